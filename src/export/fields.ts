// The exported record and its data dictionary. One list of fields drives all three formats
// and the datapackage.json, so the columns a researcher reads and their documentation cannot
// drift apart.
import type { Snippet, Span } from './spans.ts';

export interface SourceRef {
  feed: string;
  name: string | null;
}

export interface MunicipalityRef {
  code: string;
  name: string;
  score: number;
}

export interface GroupTag {
  group: string;
  mentions: number;
  tone: string;
  tone_score: number;
  frame: string;
  voice: boolean;
}

export interface MentionOut extends Span {
  group: string;
  surface: string;
  lemma: string;
  rule: string;
  tone: string;
  tone_score: number;
  frame: string;
}

export interface ToneEvidenceOut extends Span {
  word: string;
  lemma: string;
  weight: number;
  rule: string;
}

export interface VoiceEvidenceOut extends Span {
  rule: string;
}

export interface VoiceOut {
  group: string;
  speaks: boolean;
  evidence: VoiceEvidenceOut[];
}

/**
 * An analyst's judgement of a group tag, as the dashboard stores it (table corrections; the
 * latest per article, group and field stands). A value equal to machine_value confirms the tag.
 */
export interface Correction {
  group: string;
  /** tone, frame, voice or present. */
  field: string;
  value: string;
  /** What the analysis said when the analyst judged; null for a group it had not tagged. */
  machine_value: string | null;
  /** User name of the analyst. */
  by: string;
  /** When, Helsinki time (ISO 8601 with offset). */
  at: string;
  note: string | null;
  /** The latest judgement of its group and field: the one the indicators apply. */
  applied: boolean;
}

export interface ExportRecord {
  id: number;
  url: string;
  canonical_url: string | null;
  sources: SourceRef[];
  municipalities: MunicipalityRef[];
  published: string | null;
  fetched: string;
  language: string | null;
  title: string | null;
  text: string | null;
  snippets: Snippet[] | null;
  groups: string[];
  group_tags: GroupTag[];
  mentions: MentionOut[];
  tone: string | null;
  tone_score: number | null;
  tone_evidence: ToneEvidenceOut[];
  frame: string | null;
  voice: VoiceOut[];
  duplicate_of: number | null;
  paywalled: boolean;
  word_count: number;
  corrections: Correction[];
  analysis_version: string | null;
  analysed_at: string | null;
}

export type FieldName = keyof ExportRecord;
/** Frictionless Table Schema types. Arrays and objects are JSON text in CSV and Parquet. */
export type FieldType = 'integer' | 'number' | 'string' | 'boolean' | 'datetime' | 'array' | 'object';
export type ParquetType = 'INT64' | 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP';
export type DictionaryLang = 'fi' | 'en';

export interface FieldSpec {
  name: FieldName;
  type: FieldType;
  parquet: ParquetType;
  required?: boolean;
  description: Record<DictionaryLang, string>;
}

const SPAN_FI =
  'field (title/text; document, jos tallennettu teksti on muuttunut analyysin jälkeen: silloin paikat lasketaan analysoidusta tekstistä otsikko + tyhjä rivi + teksti UTF-16-yksikköinä), start, end (Unicode-merkkipaikat kentässä, end ei mukana), snippet, snippet_start, snippet_end (paikka otteessa, null jos ei otteessa)';
const SPAN_EN =
  'field (title/text; document when the stored text changed after the analysis: offsets then count UTF-16 units in the analysed title + blank line + text), start, end (Unicode code point offsets in that field, end exclusive), snippet, snippet_start, snippet_end (position in the snippet, null when outside every snippet)';

export const FIELDS: FieldSpec[] = [
  {
    name: 'id',
    type: 'integer',
    parquet: 'INT64',
    required: true,
    description: { fi: 'Artikkelin tunniste Mediamittarin tietokannassa.', en: 'Article id in the Mediamittari store.' },
  },
  {
    name: 'url',
    type: 'string',
    parquet: 'STRING',
    required: true,
    description: { fi: 'Osoite, josta artikkeli haettiin (normalisoitu syötteen linkki).', en: 'Address the article was reached by (normalised feed link).' },
  },
  {
    name: 'canonical_url',
    type: 'string',
    parquet: 'STRING',
    description: { fi: 'Sivun ilmoittama kanoninen osoite, jos on.', en: 'Canonical address the page declares, if any.' },
  },
  {
    name: 'sources',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: 'Syötteet, joissa artikkeli oli: [{feed, name}] (syötteen tunniste ja nimi).',
      en: 'Feeds that listed the article: [{feed, name}] (feed id and name).',
    },
  },
  {
    name: 'municipalities',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: 'Kunnat, joita juttu analyysin mukaan koskee: [{code, name, score}] (Tilastokeskuksen kuntakoodi, nimi, paikallisuuspisteet).',
      en: 'Municipalities the story is about according to the analysis: [{code, name, score}] (Statistics Finland code, name, locality score).',
    },
  },
  {
    name: 'published',
    type: 'datetime',
    parquet: 'TIMESTAMP',
    description: {
      fi: 'Julkaisuaika Helsingin aikaa ISO 8601 -muodossa aikavyöhykepoikkeamineen (Parquetissa UTC-aikaleima); tyhjä, jos sivu ei kertonut sitä.',
      en: 'Publication time in Helsinki time, ISO 8601 with offset (a UTC timestamp in Parquet); empty when the page did not give it.',
    },
  },
  {
    name: 'fetched',
    type: 'datetime',
    parquet: 'TIMESTAMP',
    required: true,
    description: {
      fi: 'Hakuaika Helsingin aikaa. Aikarajaus (--from/--to) käyttää julkaisuaikaa tai sen puuttuessa hakuaikaa.',
      en: 'Time the page was fetched, Helsinki time. The period filter (--from/--to) uses the publication time, or this when there is none.',
    },
  },
  {
    name: 'language',
    type: 'string',
    parquet: 'STRING',
    description: { fi: 'Kieli (fi, sv, en) analyysin mukaan, muuten sivun ilmoittama.', en: 'Language (fi, sv, en) as the analysis found it, else as the page declared it.' },
  },
  {
    name: 'title',
    type: 'string',
    parquet: 'STRING',
    description: { fi: 'Otsikko sellaisena kuin sivu sen antoi (julkaisijan teos).', en: 'Headline as the page gave it (the publisher’s work).' },
  },
  {
    name: 'text',
    type: 'string',
    parquet: 'STRING',
    description: {
      fi: 'Koko teksti (vain --text full). Teksti on julkaisijan teos; käytä sitä vain tutkimukseen.',
      en: 'Full text (only with --text full). The text is the publisher’s work; use it for research only.',
    },
  },
  {
    name: 'snippets',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: 'Otteet (oletus, --text snippet): ryhmämaininnan virke ja sen naapurivirkkeet, päällekkäiset yhdistettyinä: [{start, end, text}], start/end Unicode-merkkipaikkoina tekstissä. Tyhjä lista, jos mainintoja ei ole; tyhjä kenttä muilla tekstivalinnoilla.',
      en: 'Snippets (default, --text snippet): each group mention’s sentence with its neighbour sentences, overlapping ones merged: [{start, end, text}], start/end as code point offsets in the text. An empty list when there are no mentions; empty under the other text policies.',
    },
  },
  {
    name: 'groups',
    type: 'array',
    parquet: 'STRING',
    description: { fi: 'Mainitut väestöryhmät (tunnisteet, esim. ["roma", "immigrants"]).', en: 'Population groups mentioned (ids, e.g. ["roma", "immigrants"]).' },
  },
  {
    name: 'group_tags',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: 'Ryhmäkohtaiset tagit: [{group, mentions, tone, tone_score, frame, voice}]; voice = ryhmän jäsen puhuu jutussa.',
      en: 'Tags per group: [{group, mentions, tone, tone_score, frame, voice}]; voice = a member of the group speaks in the article.',
    },
  },
  {
    name: 'mentions',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: `Ryhmämaininnat todisteineen: [{group, ${SPAN_FI}, surface (sana tekstissä), lemma, rule (sääntö, joka tunnisti), tone, tone_score, frame}].`,
      en: `Group mentions with their evidence: [{group, ${SPAN_EN}, surface (the word as written), lemma, rule (the rule that matched), tone, tone_score, frame}].`,
    },
  },
  {
    name: 'tone',
    type: 'string',
    parquet: 'STRING',
    description: {
      fi: 'Väestösuhteiden sävy (neg, neu, pos) ryhmämainintojen ympäriltä arvioituna; neu, jos ryhmiä ei mainita.',
      en: 'Tone for relations (neg, neu, pos) judged around the group mentions; neu when no group is mentioned.',
    },
  },
  {
    name: 'tone_score',
    type: 'number',
    parquet: 'DOUBLE',
    description: { fi: 'Sävyn pistemäärä (negatiivinen = kielteinen).', en: 'Tone score (negative = negative tone).' },
  },
  {
    name: 'tone_evidence',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: `Sävyn ratkaisseet sanat: [{${SPAN_FI}, word, lemma, weight, rule}].`,
      en: `Words that decided the tone: [{${SPAN_EN}, word, lemma, weight, rule}].`,
    },
  },
  {
    name: 'frame',
    type: 'string',
    parquet: 'STRING',
    description: {
      fi: 'Pääkehys (crime_security, threat_burden, victim_discrimination, integration_work, culture_community, policy_admin, other); tyhjä, jos ryhmiä ei mainita.',
      en: 'Main frame (crime_security, threat_burden, victim_discrimination, integration_work, culture_community, policy_admin, other); empty when no group is mentioned.',
    },
  },
  {
    name: 'voice',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: `Ääni: puhuuko ryhmän jäsen (lainataanko häntä): [{group, speaks, evidence: [{${SPAN_FI}, rule}]}]. Todisteista annetaan vain paikat, ei sanoja: ne voivat osua henkilön nimeen.`,
      en: `Voice: does a member of the group speak (is quoted): [{group, speaks, evidence: [{${SPAN_EN}, rule}]}]. Evidence gives positions only, no words: they may point at a person’s name.`,
    },
  },
  {
    name: 'duplicate_of',
    type: 'integer',
    parquet: 'INT64',
    description: {
      fi: 'Jos artikkeli on lähes sama kuin aiemmin julkaistu (välitetty juttu), alkuperäisen id; muuten tyhjä.',
      en: 'When the article is a near-copy of one published earlier (a syndicated story), the id of that original; else empty.',
    },
  },
  {
    name: 'paywalled',
    type: 'boolean',
    parquet: 'BOOLEAN',
    required: true,
    description: { fi: 'Maksumuurin takana: teksti on vain alku.', en: 'Behind a paywall: the text is only its opening.' },
  },
  {
    name: 'word_count',
    type: 'integer',
    parquet: 'INT32',
    required: true,
    description: { fi: 'Tekstin sanamäärä.', en: 'Words in the text.' },
  },
  {
    name: 'corrections',
    type: 'array',
    parquet: 'STRING',
    description: {
      fi: 'Analyytikoiden tarkistukset ryhmätageihin vanhimmasta uusimpaan: [{group, field (tone, frame, voice, present), value, machine_value (analyysin arvo tarkistushetkellä; tyhjä, jos analyysi ei ollut merkinnyt ryhmää), by (analyytikko), at (aika, Helsingin aikaa), note, applied}]. Arvo, joka on sama kuin machine_value, vahvistaa tagin. applied = ryhmän ja kentän uusin tarkistus, jota indikaattorit käyttävät. Rivin omat tagit (groups, group_tags) ovat analyysin, eivät korjattuja.',
      en: 'Analysts’ judgements of the group tags, oldest first: [{group, field (tone, frame, voice, present), value, machine_value (what the analysis said at the time; empty when it had not tagged the group), by (the analyst), at (when, Helsinki time), note, applied}]. A value equal to machine_value confirms the tag. applied = the latest judgement of its group and field, the one the indicators apply. The row’s own tags (groups, group_tags) are the analysis’s, uncorrected.',
    },
  },
  {
    name: 'analysis_version',
    type: 'string',
    parquet: 'STRING',
    description: {
      fi: 'Analyysin versio (sanastojen ja koodin tiiviste sekä morfologia); tyhjä, jos artikkelia ei ole analysoitu.',
      en: 'Analysis version (hash of lexicons and code, and the morphology); empty when the article has not been analysed.',
    },
  },
  {
    name: 'analysed_at',
    type: 'datetime',
    parquet: 'TIMESTAMP',
    description: { fi: 'Analyysin ajankohta, Helsingin aikaa.', en: 'When the analysis ran, Helsinki time.' },
  },
];

/** Column position of each field in an encoded row. */
export const FIELD_INDEX = Object.fromEntries(FIELDS.map((f, i) => [f.name, i])) as Record<FieldName, number>;

/**
 * One exported row: values in FIELDS order. A nested field's value is either a JS array or
 * object, or a string holding it already serialised as JSON (built by SQLite for lists that
 * need no rewriting), which encoders copy as it is.
 */
export type EncodedRow = unknown[];

/** Frictionless types whose values are written as JSON text in CSV and Parquet. */
export function isNested(t: FieldType): boolean {
  return t === 'array' || t === 'object';
}
