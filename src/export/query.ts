// Reading the export slice from the store in bounded batches. Articles are paged by id
// (keyset), and everything attached to a page of articles (sources, localities, mentions,
// group tags, corrections) is read with one query per table, so memory stays the size of one
// batch whatever the size of the corpus.
import type Database from 'better-sqlite3';
import type { Evidence, Voice } from '../analyse/index.ts';
import { FIELDS, type Correction, type EncodedRow, type ExportRecord, type MentionOut, type ToneEvidenceOut, type VoiceOut } from './fields.ts';
import { ArticleSpans, type Snippet } from './spans.ts';
import { helsinkiIso, type PeriodBound } from './time.ts';

export type TextPolicy = 'full' | 'snippet' | 'none';
export const TEXT_POLICIES: readonly TextPolicy[] = ['full', 'snippet', 'none'];
export const TONES = ['neg', 'neu', 'pos'] as const;
export const LANGUAGES = ['fi', 'sv', 'en'] as const;

/** A slice of the corpus. Lists are alternatives (any of them); different filters all apply. */
export interface ExportFilters {
  from?: PeriodBound;
  to?: PeriodBound;
  /** Municipality codes, matched against the analysis localities. */
  municipalities?: string[];
  groups?: string[];
  /** With `groups`: the tone of one of those groups in the article; without: the article tone. */
  tones?: string[];
  /** Like `tones`: per group with `groups`, else the article's main frame. */
  frames?: string[];
  languages?: string[];
  /** Feed ids. */
  sources?: string[];
  /** Leave out near-copies of stories already in the corpus. */
  originalsOnly?: boolean;
  /** Only these article ids (one article read the export's way, as the JSON API does). */
  ids?: number[];
}

interface Where {
  sql: string;
  params: Record<string, string | number>;
  /**
   * FROM for a statement that reads only what the filters test: analyses joined only when a
   * filter reads it. SQLite keeps an unused LEFT JOIN here, and an analyses row is large, so
   * counting a million articles with it read a million scattered rows.
   */
  from: string;
}

const nonEmpty = (xs: readonly string[] | undefined): xs is string[] => Array.isArray(xs) && xs.length > 0;

/**
 * The filters as SQL over `articles a LEFT JOIN analyses an`. A town, group or feed filter is
 * written for how the statement runs (`membership`):
 *   - 'exists' (default): a key lookup per row tested, which costs nothing up front; for
 *     statements run once per page of an id-ordered walk (the export);
 *   - 'list': the filter's ids read once into a list (with a Bloom filter) that each row is
 *     probed against; for one statement over many rows (a count, a sorted page), where it
 *     was 2–3× faster than 'exists' on a million articles. The unary + keeps SQLite from
 *     driving the query from the list, which would read articles in id order from all over
 *     a large file.
 */
export function whereClause(f: ExportFilters, opts: { membership?: 'exists' | 'list' } = {}): Where {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  const list = (name: string, values: string[]): string => {
    params[name] = JSON.stringify(values);
    return `(SELECT value FROM json_each(@${name}))`;
  };
  const member = (table: string, alias: string, conditions: string[]): string =>
    opts.membership === 'list'
      ? `+a.id IN (SELECT ${alias}.article_id FROM ${table} ${alias} WHERE ${conditions.join(' AND ')})`
      : `EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${[`${alias}.article_id = a.id`, ...conditions].join(' AND ')})`;
  if (f.from) {
    parts.push('COALESCE(a.published_ts, a.fetched_at) >= @from_ts');
    params.from_ts = f.from.at;
  }
  if (f.to) {
    parts.push('COALESCE(a.published_ts, a.fetched_at) < @to_ts');
    params.to_ts = f.to.at;
  }
  if (nonEmpty(f.municipalities)) {
    parts.push(member('article_localities', 'l', [`l.municipality_code IN ${list('munis', f.municipalities)}`]));
  }
  if (nonEmpty(f.groups)) {
    const tagged = [`g.group_id IN ${list('groups', f.groups)}`];
    if (nonEmpty(f.tones)) tagged.push(`g.tone IN ${list('tones', f.tones)}`);
    if (nonEmpty(f.frames)) tagged.push(`g.frame IN ${list('frames', f.frames)}`);
    parts.push(member('article_groups', 'g', tagged));
  } else {
    if (nonEmpty(f.tones)) parts.push(`an.tone IN ${list('tones', f.tones)}`);
    if (nonEmpty(f.frames)) parts.push(`an.frame IN ${list('frames', f.frames)}`);
  }
  if (nonEmpty(f.languages)) parts.push(`COALESCE(an.language, a.language) IN ${list('langs', f.languages)}`);
  if (nonEmpty(f.sources)) parts.push(member('article_sources', 's', [`s.feed_id IN ${list('sources', f.sources)}`]));
  if (f.originalsOnly) parts.push('a.duplicate_of IS NULL');
  if (f.ids) {
    params.ids_only = JSON.stringify(f.ids);
    parts.push('a.id IN (SELECT value FROM json_each(@ids_only))');
  }
  const sql = parts.length ? parts.join(' AND ') : '1';
  return { sql, params, from: /\ban\./.test(sql) ? 'articles a LEFT JOIN analyses an ON an.article_id = a.id' : 'articles a' };
}

export function countArticles(db: Database.Database, f: ExportFilters): number {
  const w = whereClause(f);
  const row = db.prepare(`SELECT COUNT(*) n FROM ${w.from} WHERE ${w.sql}`).get(w.params) as { n: number };
  return row.n;
}

/**
 * Analysts' judgements of the group tags per article, oldest first (table corrections: the
 * latest per article, group and field stands). This is the one place the export reads them.
 * The exported tags are the analysis's own; `applied` marks the judgement the indicators
 * apply, so a reader can apply the same ones.
 */
export function correctionsFor(db: Database.Database, ids: number[]): Map<number, Correction[]> {
  const out = new Map<number, Correction[]>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT c.article_id, c.group_id, c.field, CAST(c.value AS TEXT) value, c.machine_value, c.username, c.created_at, c.note,
         c.id = (SELECT MAX(l.id) FROM corrections l WHERE l.article_id = c.article_id AND l.group_id = c.group_id AND l.field = c.field) applied
       FROM corrections c
       WHERE c.article_id IN (SELECT value FROM json_each(?)) ORDER BY c.article_id, c.id`,
    )
    .all(JSON.stringify(ids)) as {
    article_id: number;
    group_id: string;
    field: string;
    value: string;
    machine_value: string | null;
    username: string;
    created_at: number;
    note: string | null;
    applied: number;
  }[];
  for (const r of rows) {
    let list = out.get(r.article_id);
    if (!list) out.set(r.article_id, (list = []));
    list.push({
      group: r.group_id,
      field: r.field,
      value: r.value,
      machine_value: r.machine_value,
      by: r.username,
      at: helsinkiIso(r.created_at),
      note: r.note,
      applied: r.applied === 1,
    });
  }
  return out;
}

interface ArticleRow {
  id: number;
  url: string;
  canonical_url: string | null;
  title: string | null;
  full_text: string | null;
  published_ts: number | null;
  fetched_at: number;
  duplicate_of: number | null;
  paywalled: number;
  word_count: number;
  language: string | null;
  version: string | null;
  analysed_at: number | null;
  tone: string | null;
  tone_score: number | null;
  frame: string | null;
  body_offset: number | null;
  tone_evidence: string | null;
  voice: string | null;
  sources: string;
  municipalities: string;
  groups: string;
  group_tags: string;
}

interface Attachment {
  range: Database.Statement;
  list: Database.Statement;
}

interface MentionRow {
  article_id: number;
  group_id: string;
  start: number;
  end: number;
  surface: string;
  lemma: string;
  rule: string;
  tone: string;
  tone_score: number;
  frame: string;
}

export interface ReadOptions {
  text: TextPolicy;
  /** Articles per query round. Small batches keep the live heap, and with it the peak RSS, low. */
  batchSize?: number;
}

export const DEFAULT_BATCH = 250;

/**
 * Reads the slice page by page. Lists that are exported as stored (sources, municipalities,
 * groups and their tags) are built as JSON by SQLite in the page query itself; only articles
 * with evidence, whose offsets are mapped into the exported text, are handled field by field.
 * Run it inside one read transaction for a consistent slice.
 */
export class RecordReader {
  private readonly page: Database.Statement;
  private readonly texts: Database.Statement;
  private readonly mentions: Database.Statement;
  private readonly sources: Attachment;
  private readonly localities: Attachment;
  private readonly groups: Attachment;
  private readonly where: Where;
  private after = 0;
  private finished = false;

  constructor(
    private readonly db: Database.Database,
    filters: ExportFilters,
    private readonly opts: ReadOptions,
  ) {
    this.where = whereClause(filters);
    const full = opts.text === 'full' ? 'a.text' : 'NULL';
    this.page = db.prepare(
      `SELECT a.id, a.url, a.canonical_url, a.title, ${full} full_text, a.published_ts, a.fetched_at, a.duplicate_of,
         a.paywalled, a.word_count, COALESCE(an.language, a.language) language, an.version, an.analysed_at, an.tone,
         an.tone_score, an.frame, an.body_offset,
         json_extract(an.result_json, '$.tone.evidence') tone_evidence, json_extract(an.result_json, '$.voice') voice
       FROM articles a LEFT JOIN analyses an ON an.article_id = a.id
       WHERE a.id > @after AND ${this.where.sql}
       ORDER BY a.id LIMIT @limit`,
    );
    // Attached lists, built as JSON by SQLite, per page: over the page's id range when the
    // page is dense (a plain export), over its id list when a filter thins it out.
    const attached = (select: string, from: string, key: string) => ({
      range: db.prepare(`SELECT ${key} article_id, ${select} FROM ${from} WHERE ${key} BETWEEN @lo AND @hi GROUP BY ${key}`),
      list: db.prepare(`SELECT ${key} article_id, ${select} FROM ${from} WHERE ${key} IN (SELECT value FROM json_each(@ids)) GROUP BY ${key}`),
    });
    this.sources = attached(
      `json_group_array(json_object('feed', s.feed_id, 'name', f.name) ORDER BY s.feed_id) sources`,
      'article_sources s LEFT JOIN feeds f ON f.id = s.feed_id',
      's.article_id',
    );
    this.localities = attached(
      `json_group_array(json_object('code', l.municipality_code, 'name', COALESCE(m.name_fi, l.municipality_code), 'score', l.score)
         ORDER BY l.score DESC, l.municipality_code) municipalities`,
      'article_localities l LEFT JOIN municipalities m ON m.code = l.municipality_code',
      'l.article_id',
    );
    this.groups = attached(
      `json_group_array(g.group_id ORDER BY g.group_id) groups,
       json_group_array(json_object('group', g.group_id, 'mentions', g.mentions, 'tone', g.tone, 'tone_score', g.tone_score,
         'frame', g.frame, 'voice', json(CASE g.voice WHEN 1 THEN 'true' ELSE 'false' END)) ORDER BY g.group_id) group_tags`,
      'article_groups g',
      'g.article_id',
    );
    const ids = '(SELECT value FROM json_each(@ids))';
    this.texts = db.prepare(`SELECT id, text FROM articles WHERE id IN ${ids}`);
    this.mentions = db.prepare(
      `SELECT article_id, group_id, start, end, surface, lemma, rule, tone, tone_score, frame FROM group_mentions
       WHERE article_id IN ${ids} ORDER BY article_id, start, id`,
    );
  }

  /** The next batch of rows (values in FIELDS order), or null when the slice is exhausted. */
  next(): EncodedRow[] | null {
    if (this.finished) return null;
    const limit = this.opts.batchSize ?? DEFAULT_BATCH;
    const rows = this.page.all({ ...this.where.params, after: this.after, limit }) as ArticleRow[];
    if (rows.length < limit) this.finished = true;
    if (rows.length === 0) return null;
    this.after = rows.at(-1)!.id;
    const lo = rows[0]!.id;
    const hi = this.after;
    const dense = hi - lo < 2 * rows.length;
    const pageIds = dense ? null : JSON.stringify(rows.map((r) => r.id));
    const fetch = (a: Attachment) => (pageIds === null ? a.range.all({ lo, hi }) : a.list.all({ ids: pageIds })) as ({ article_id: number } & Record<string, string>)[];
    const sources = new Map(fetch(this.sources).map((x) => [x.article_id, x.sources!]));
    const localities = new Map(fetch(this.localities).map((x) => [x.article_id, x.municipalities!]));
    const groups = new Map(fetch(this.groups).map((x) => [x.article_id, x]));
    for (const r of rows) {
      const g = groups.get(r.id);
      r.sources = sources.get(r.id) ?? '[]';
      r.municipalities = localities.get(r.id) ?? '[]';
      r.groups = g?.groups ?? '[]';
      r.group_tags = g?.group_tags ?? '[]';
    }

    // Offsets are mapped against the text, so it is read for every article with evidence,
    // whatever the text policy writes out.
    const withEvidence = rows.filter((r) => r.groups !== '[]' || hasItems(r.tone_evidence) || hasItems(r.voice)).map((r) => r.id);
    const mentions = new Map<number, MentionRow[]>();
    const texts = new Map<number, string>();
    if (withEvidence.length > 0) {
      const ids = JSON.stringify(withEvidence);
      for (const m of this.mentions.all({ ids }) as MentionRow[]) {
        let list = mentions.get(m.article_id);
        if (!list) mentions.set(m.article_id, (list = []));
        list.push(m);
      }
      if (this.opts.text !== 'full') for (const t of this.texts.all({ ids }) as { id: number; text: string }[]) texts.set(t.id, t.text);
    }
    const corrections = correctionsFor(this.db, rows.map((r) => r.id));
    return rows.map((r) =>
      encodeRow(r, {
        text: this.opts.text === 'full' ? r.full_text : (texts.get(r.id) ?? null),
        policy: this.opts.text,
        mentions: mentions.get(r.id) ?? [],
        corrections: corrections.get(r.id) ?? [],
      }),
    );
  }
}

const hasItems = (json: string | null): boolean => json !== null && json !== '[]';

const EMPTY = '[]';

interface Attached {
  text: string | null;
  policy: TextPolicy;
  mentions: MentionRow[];
  corrections: Correction[];
}

function parseList<T>(json: string | null): T[] {
  if (!json) return [];
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? (v as T[]) : [];
}

/** One store row and what is attached to it → the exported row (pure). */
export function encodeRow(r: ArticleRow, x: Attached): EncodedRow {
  // Nested values are JS values, or JSON text where the stored JSON is exported unchanged.
  let mentions: MentionOut[] | string = EMPTY;
  let evidence: ToneEvidenceOut[] | string = EMPTY;
  let voices: VoiceOut[] | string = r.voice ?? EMPTY;
  let snippets: Snippet[] | string | null = x.policy === 'snippet' ? EMPTY : null;
  if (x.text !== null && r.body_offset !== null && (x.mentions.length > 0 || hasItems(r.tone_evidence) || hasItems(r.voice))) {
    const spans = new ArticleSpans({ title: r.title, text: x.text, bodyOffset: r.body_offset, check: x.mentions });
    if (x.policy === 'snippet') snippets = spans.buildSnippets(x.mentions.map((m) => m.start));
    // Objects are written out field by field rather than spread from the span: this keeps
    // them small and short-lived (spread copies measurably raised the heap's old space).
    mentions = x.mentions.map((m) => {
      const at = spans.span(m);
      return {
        group: m.group_id,
        field: at.field,
        start: at.start,
        end: at.end,
        snippet: at.snippet,
        snippet_start: at.snippet_start,
        snippet_end: at.snippet_end,
        surface: m.surface,
        lemma: m.lemma,
        rule: m.rule,
        tone: m.tone,
        tone_score: m.tone_score,
        frame: m.frame,
      };
    });
    evidence = parseList<Evidence>(r.tone_evidence).map((e) => {
      const at = spans.span(e);
      return {
        field: at.field,
        start: at.start,
        end: at.end,
        snippet: at.snippet,
        snippet_start: at.snippet_start,
        snippet_end: at.snippet_end,
        word: spans.surface(e),
        lemma: String(e.lemma),
        weight: Number(e.weight),
        rule: String(e.rule),
      };
    });
    voices = parseList<Voice>(r.voice).map((v) => ({
      group: String(v.group),
      speaks: v.speaks === true,
      evidence: v.evidence.map((e) => {
        const at = spans.span(e);
        return {
          field: at.field,
          start: at.start,
          end: at.end,
          snippet: at.snippet,
          snippet_start: at.snippet_start,
          snippet_end: at.snippet_end,
          rule: String(e.rule),
        };
      }),
    }));
  }
  // In FIELDS order (checked at load below): a row is built once per article, so no
  // intermediate object.
  return [
    r.id,
    r.url,
    r.canonical_url,
    r.sources,
    r.municipalities,
    r.published_ts === null ? null : helsinkiIso(r.published_ts),
    helsinkiIso(r.fetched_at),
    r.language,
    r.title,
    x.policy === 'full' ? x.text : null,
    snippets,
    r.groups,
    r.group_tags,
    mentions,
    r.tone,
    r.tone_score,
    evidence,
    r.frame,
    voices,
    r.duplicate_of,
    r.paywalled === 1,
    r.word_count,
    x.corrections.length > 0 ? x.corrections : EMPTY,
    r.version,
    r.analysed_at === null ? null : helsinkiIso(r.analysed_at),
  ];
}

const ROW_ORDER: (keyof ExportRecord)[] = [
  'id', 'url', 'canonical_url', 'sources', 'municipalities', 'published', 'fetched', 'language', 'title', 'text', 'snippets',
  'groups', 'group_tags', 'mentions', 'tone', 'tone_score', 'tone_evidence', 'frame', 'voice', 'duplicate_of', 'paywalled',
  'word_count', 'corrections', 'analysis_version', 'analysed_at',
];
if (ROW_ORDER.join() !== FIELDS.map((f) => f.name).join()) throw new Error('export: encodeRow and FIELDS disagree on the column order');
