// JSON Schemas of the API: fastify validates query strings and bodies and serialises
// responses with them, and the OpenAPI document is generated from the same objects. Schemas
// shared between routes are registered by name, so the document lists them once under
// components and refers to them.
import { FIELDS, type FieldSpec } from '../../export/fields.ts';
import { TEXT_POLICIES } from '../../export/query.ts';

export type Schema = Record<string, unknown>;

const NAMES = new Map<object, string>();

/** Registers a schema shared by several routes under a component name. */
function named<T extends Schema>(name: string, schema: T): T {
  NAMES.set(schema, name);
  return schema;
}

/** The component name of a shared schema, if it is one. */
export function componentName(schema: object): string | undefined {
  return NAMES.get(schema);
}

const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (type: string, description?: string): Schema => ({ type: [type, 'null'], ...(description ? { description } : {}) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const list = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });

function object(properties: Record<string, Schema>, required: string[] = Object.keys(properties), description?: string): Schema {
  return { type: 'object', properties, required, additionalProperties: false, ...(description ? { description } : {}) };
}

// ------------------------------------------------------------------ errors

export const ErrorBody = named(
  'Error',
  object(
    {
      error: str('What went wrong, in words a person can act on.'),
      status: int('The HTTP status code.'),
      parameters: list(str(), 'The query parameters or body fields that were wrong, when the request was refused for them.'),
    },
    ['error', 'status'],
  ),
);

// ------------------------------------------------------------------ parameters

const PERIOD = 'a calendar day (2026-11-02) or an ISO week (2026-W45), Helsinki time; both ends are included';
const REPEAT = 'Repeat the parameter or separate values with commas; any of the values matches.';

export const WEEK = { type: 'string', pattern: '^\\d{4}-W\\d{2}$', description: 'ISO week, e.g. 2026-W47 (Monday to Sunday, Helsinki time).' };

/** The filters the article list and the export share (the same as `mediamittari export`). */
export const ARTICLE_FILTERS: Record<string, Schema> = {
  from: { type: 'string', description: `First day of the period: ${PERIOD}. The article's publication time counts, or when it was fetched when it has none.` },
  to: { type: 'string', description: `Last day of the period: ${PERIOD}.` },
  week: { ...WEEK, description: 'One ISO week (instead of from and to), e.g. 2026-W47.' },
  municipality: list(str(), `Municipality the story is about, by Statistics Finland code (837) or Finnish or Swedish name. ${REPEAT}`),
  group: list(str(), `Population group mentioned, by id (roma, immigrants, …). ${REPEAT}`),
  tone: list(str(), `neg, neu or pos: the tone of one of the given groups, or of the article when no group is given. ${REPEAT}`),
  frame: list(str(), `Frame: of one of the given groups, or the article's main frame when no group is given. ${REPEAT}`),
  language: list(str(), `fi, sv or en. ${REPEAT}`),
  source: list(str(), `Feed id the article came through. ${REPEAT}`),
  originals: { type: 'boolean', description: 'Leave out near-copies of earlier stories (syndicated copies).' },
};

export const TEXT_POLICY = {
  type: 'string',
  enum: [...TEXT_POLICIES],
  description:
    'Article text: snippets around the group mentions (the default), the full text, or none. Texts are the publishers’ work: use them for research within the right of quotation.',
};

// ------------------------------------------------------------------ municipalities and feeds

export const MunicipalitySchema = named(
  'Municipality',
  object({
    code: str('Statistics Finland municipality code.'),
    name_fi: str(),
    name_sv: str(),
    region: nullable('string', 'Region (maakunta).'),
    places: list(str(), 'Villages and districts recognised as the municipality.'),
    monitored: { type: 'boolean', description: 'In the configuration now (a municipality dropped from it keeps its articles).' },
    feeds: list(str(), 'Ids of the enabled feeds covering the municipality.'),
    articles: int('Stored articles the analysis places in the municipality (copies included).'),
  }),
);

const iso = (description: string): Schema => ({ type: ['string', 'null'], format: 'date-time', description });

export const FeedHealthSchema = named(
  'FeedHealth',
  object({
    state: { type: 'string', enum: ['ok', 'failing', 'silent', 'disabled', 'never_polled'] },
    disabled_reason: nullable('string', 'Why polling stopped by itself (HTTP 410, …).'),
    last_attempt_at: iso('Last poll.'),
    last_success_at: iso('Last successful poll.'),
    last_new_item_at: iso('Last time a poll brought a new item.'),
    consecutive_failures: int(),
    next_poll_at: iso('When the feed is polled next.'),
    last_status: nullable('integer', 'HTTP status of the last poll.'),
    last_error: nullable('string'),
    usual_gap_ms: nullable('integer', 'Median gap between new items.'),
    silent: { type: 'boolean', description: 'Nothing new for several of its usual gaps.' },
  }),
);

export const FeedSchema = named(
  'Feed',
  object({
    id: str(),
    name: str(),
    url: str(),
    kind: { type: 'string', enum: ['local_paper', 'regional_broadcaster', 'city'] },
    municipalities: list(str(), 'Codes of the municipalities the feed covers.'),
    region: nullable('string'),
    interval_ms: int('Polling interval.'),
    enabled: { type: 'boolean', description: 'Enabled in the configuration.' },
    articles: int('Stored articles that came through the feed.'),
    health: { anyOf: [FeedHealthSchema, { type: 'null' }], description: 'Polling state; null before the collector has seen the feed.' },
  }),
);

// ------------------------------------------------------------------ indicators and alerts

export const IndicatorRowSchema = named(
  'IndicatorRow',
  object({
    municipality_code: str(),
    municipality: str(),
    week: str('ISO week.'),
    group: str('Group id; empty for the municipality-level (coverage) indicators.'),
    indicator: str('Indicator id (config/indicators.yaml).'),
    domain: str(),
    value: nullable('number', 'Null when undefined (no articles to divide by).'),
    n: int('The count the value rests on.'),
    ci_low: nullable('number', '95 % interval, lower end.'),
    ci_high: nullable('number', '95 % interval, upper end.'),
    coverage_flag: { type: 'string', enum: ['ok', 'low', 'unknown'], description: 'low: few articles or feeds down that week, so a quiet week may not be a calm one.' },
  }),
);

const ArticleRef = named(
  'ArticleRef',
  object({
    id: int(),
    title: nullable('string'),
    url: str('Canonical address, else the final one, else the one it was reached by.'),
    published: iso('Publication time (Helsinki time with offset).'),
  }),
);

export const AlertSchema = named(
  'Alert',
  object({
    week: str(),
    municipality_code: str(),
    municipality: str(),
    group: str(),
    observed: int('Negative stories about the group that week.'),
    expected: { type: 'number', description: 'Expected from the municipality’s own trailing weeks.' },
    p: nullable('number', 'Probability of at least this many under the baseline (negative binomial tail).'),
    baseline_weeks: int(),
    coverage_flag: { type: 'string', enum: ['ok', 'low', 'unknown'] },
    articles: list(ArticleRef, 'The negative stories behind the alert, most negative first.'),
    terms: list(object({ term: str(), score: { type: 'number' } }), 'Words that set these stories apart from the municipality’s usual coverage.'),
  }),
);

// ------------------------------------------------------------------ articles

export const GroupTagSchema = named(
  'GroupTag',
  object(
    {
      group: str(),
      tone: { type: 'string', enum: ['neg', 'neu', 'pos'] },
      tone_score: { type: 'number' },
      frame: str(),
      voice: { type: 'boolean', description: 'A member of the group speaks in the article.' },
      mentions: int(),
    },
    undefined,
    'A group tag with analysts’ corrections applied, as the indicators count it.',
  ),
);

const SourceRef = object({ feed: str(), name: nullable('string') });
const MunicipalityRef = object({ code: str(), name: str(), score: { type: 'number' } });

export const ArticleSummarySchema = named(
  'ArticleSummary',
  object({
    id: int(),
    url: str('Address the article was reached by.'),
    canonical_url: nullable('string'),
    title: nullable('string'),
    published: iso('Publication time, Helsinki time with offset.'),
    fetched: { type: 'string', format: 'date-time' },
    language: nullable('string'),
    sources: list(SourceRef),
    municipalities: list(MunicipalityRef),
    tone: nullable('string', 'Article tone (neg, neu, pos).'),
    frame: nullable('string', 'Main frame.'),
    tags: list(GroupTagSchema),
    corrected: { type: 'boolean', description: 'Analysts have corrected or confirmed a tag of this article.' },
    duplicate_of: nullable('integer'),
  }),
);

const spanProperties: Record<string, Schema> = {
  field: { type: 'string', enum: ['title', 'text', 'document'], description: 'The string the offsets index.' },
  start: int('Code point offset in the field.'),
  end: int('Code point offset in the field, exclusive.'),
  snippet: nullable('integer', 'Index into snippets; null outside every snippet.'),
  snippet_start: nullable('integer'),
  snippet_end: nullable('integer'),
};

/** Item schemas of the export's nested fields (FIELDS says only "array"). */
const NESTED_ITEMS: Partial<Record<FieldSpec['name'], Schema>> = {
  sources: SourceRef,
  municipalities: MunicipalityRef,
  snippets: object({ start: int(), end: int(), text: str() }),
  groups: str(),
  group_tags: object({ group: str(), mentions: int(), tone: str(), tone_score: { type: 'number' }, frame: str(), voice: { type: 'boolean' } }),
  mentions: object({
    group: str(), ...spanProperties, surface: str(), lemma: str(), rule: str(), tone: str(), tone_score: { type: 'number' }, frame: str(),
  }),
  tone_evidence: object({ ...spanProperties, word: str(), lemma: str(), weight: { type: 'number' }, rule: str() }),
  voice: object({ group: str(), speaks: { type: 'boolean' }, evidence: list(object({ ...spanProperties, rule: str() })) }),
  corrections: object({
    group: str(),
    field: { type: 'string', enum: ['tone', 'frame', 'voice', 'present'] },
    value: str(),
    machine_value: nullable('string'),
    by: str(),
    at: { type: 'string', format: 'date-time' },
    note: nullable('string'),
    applied: { type: 'boolean' },
  }),
};

function fieldSchema(f: FieldSpec): Schema {
  const description = f.description.en;
  if (f.type === 'array' || f.type === 'object') {
    const items = NESTED_ITEMS[f.name];
    const base = f.type === 'array' ? { type: f.required ? 'array' : ['array', 'null'], ...(items ? { items } : {}) } : { type: f.required ? 'object' : ['object', 'null'], additionalProperties: true };
    return { ...base, description };
  }
  const type = f.type === 'datetime' ? 'string' : f.type;
  return { type: f.required ? type : [type, 'null'], ...(f.type === 'datetime' ? { format: 'date-time' } : {}), description };
}

/** One exported article: the same fields as a line of the JSONL export, from the export's data dictionary. */
export const ArticleRecordSchema = named(
  'ArticleRecord',
  object(Object.fromEntries(FIELDS.map((f) => [f.name, fieldSchema(f)]))),
);

export const ArticleDetailSchema = named('ArticleDetail', {
  ...ArticleRecordSchema,
  properties: {
    ...(ArticleRecordSchema.properties as Record<string, Schema>),
    tags: list(GroupTagSchema, 'Group tags with the applied corrections: what the indicators count (group_tags are the analysis’s own).'),
  },
  required: [...(ArticleRecordSchema.required as string[]), 'tags'],
  description: 'An article with its evidence: the export’s record and the tags with analysts’ corrections applied.',
});
