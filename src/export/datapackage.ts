// datapackage.json: the export describes itself (Frictionless Data Package). A researcher who
// finds the file a year later can read what every column means, which slice of the corpus it
// is, which analysis version tagged it and when it was made, and whose the text is.
import { basename } from 'node:path';
import { FIELDS, isNested, type DictionaryLang } from './fields.ts';
import { MEDIA_TYPES, type ExportFormat } from './formats.ts';
import type { ExportFilters, TextPolicy } from './query.ts';

export interface ExportSummary {
  format: ExportFormat;
  text: TextPolicy;
  bom: boolean;
  filters: ExportFilters;
  rows: number;
  /** Rows whose article has no analysis yet (no tags, no version). */
  unanalysed: number;
  analysisVersions: string[];
  bytes: number;
  sha256: string;
  startedAt: string;
  finishedAt: string;
  storeSchemaVersion: number;
}

interface PackageText {
  title: string;
  description: string;
  licence: string;
  nested: string;
  privacy: string;
  csv: string;
  bom: string;
}

const TEXT: Record<DictionaryLang, PackageText> = {
  fi: {
    title: 'Mediamittari: paikallisuutisten väestöryhmätagit',
    description:
      'Suomalaisten paikallismedioiden artikkelit ja niiden analyysi (kunnat, väestöryhmämaininnat todisteineen, sävy, kehys, ääni). Yksi rivi artikkelia kohti.',
    licence:
      'Artikkelien tekstit, otteet ja otsikot ovat julkaisijoiden teoksia ja kuuluvat heille; niitä saa käyttää vain tutkimukseen sitaattioikeuden rajoissa, ei julkaista uudelleen. Tagit ja metatiedot: Mediamittari.',
    nested: 'CSV:ssä ja Parquetissa JSON-tekstinä.',
    privacy:
      'Ryhmätagi nimetyn henkilön yhteydessä on tietoa etnisestä alkuperästä tai uskonnosta (GDPR:n erityinen henkilötietoryhmä). Älä yhdistä tageja henkilöihin.',
    csv: 'CSV RFC 4180: pilkku erottimena, lainausmerkit kahdennetaan, rivinvaihto CRLF, UTF-8',
    bom: ', alussa UTF-8 BOM',
  },
  en: {
    title: 'Mediamittari: population group tags in Finnish local news',
    description:
      'Articles of Finnish local media and their analysis (municipalities, population group mentions with evidence, tone, frame, voice). One row per article.',
    licence:
      'Article texts, snippets and headlines are the work of their publishers and belong to them; use them for research within the right of quotation only, do not republish them. Tags and metadata: Mediamittari.',
    nested: 'JSON text in CSV and Parquet.',
    privacy:
      'A group tag next to a named person is data on ethnic origin or religion (a special category under the GDPR). Do not link tags to persons.',
    csv: 'CSV per RFC 4180: comma separated, quotes doubled, CRLF line ends, UTF-8',
    bom: ', starting with a UTF-8 byte-order mark',
  },
};

function filtersOut(f: ExportFilters, text: TextPolicy): Record<string, unknown> {
  return {
    from: f.from ? { input: f.from.input, from_instant: new Date(f.from.at).toISOString() } : null,
    to: f.to ? { input: f.to.input, until_instant_exclusive: new Date(f.to.at).toISOString() } : null,
    municipality: f.municipalities ?? [],
    group: f.groups ?? [],
    tone: f.tones ?? [],
    frame: f.frames ?? [],
    language: f.languages ?? [],
    source: f.sources ?? [],
    originals_only: Boolean(f.originalsOnly),
    text,
  };
}

/** The descriptor for an export written to `dataPath` (the data file sits beside it). */
export function buildDataPackage(s: ExportSummary, dataPath: string, lang: DictionaryLang = 'fi'): Record<string, unknown> {
  const t = TEXT[lang];
  const file = basename(dataPath);
  const resource: Record<string, unknown> = {
    name: 'articles',
    path: file,
    // Frictionless (v1) calls only CSV data tabular; JSONL and Parquet keep the same schema
    // under the generic profile.
    profile: s.format === 'csv' ? 'tabular-data-resource' : 'data-resource',
    format: s.format,
    mediatype: MEDIA_TYPES[s.format],
    ...(s.format === 'parquet' ? {} : { encoding: 'utf-8' }),
    bytes: s.bytes,
    hash: `sha256:${s.sha256}`,
    schema: {
      fields: FIELDS.map((f) => ({
        name: f.name,
        type: f.type,
        ...(f.type === 'datetime' ? { format: 'default' } : {}),
        description: isNested(f.type) ? `${f.description[lang]} ${t.nested}` : f.description[lang],
        ...(f.required ? { constraints: { required: true } } : {}),
      })),
      primaryKey: ['id'],
      missingValues: [''],
    },
  };
  if (s.format === 'csv') {
    resource.dialect = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true };
    resource.description = t.csv + (s.bom ? t.bom : '') + '.';
  }
  return {
    profile: s.format === 'csv' ? 'tabular-data-package' : 'data-package',
    name: `mediamittari-articles-${s.finishedAt.slice(0, 10)}`,
    title: t.title,
    description: `${t.description} ${t.privacy}`,
    created: s.finishedAt,
    licenses: [{ name: 'other-closed', title: t.licence }],
    resources: [resource],
    mediamittari: {
      rows: s.rows,
      unanalysed_rows: s.unanalysed,
      analysis_versions: s.analysisVersions,
      filters: filtersOut(s.filters, s.text),
      exported_at: s.finishedAt,
      started_at: s.startedAt,
      store_schema_version: s.storeSchemaVersion,
      time_zone: 'Europe/Helsinki',
    },
  };
}
