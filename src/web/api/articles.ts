// Articles for the API: a filtered page of the corpus, newest first, and one article with its
// evidence. The filters are the export's (whereClause), one article is read by the export's
// own reader (the same fields, offsets and snippets as a line of the JSONL export), and the
// tags shown as standing are the indicators' (corrections applied), so the three agree.
import { FIELDS, isNested, type EncodedRow } from '../../export/fields.ts';
import { RecordReader, whereClause, type ExportFilters, type TextPolicy } from '../../export/query.ts';
import { helsinkiIso } from '../../export/time.ts';
import { groupTags, type GroupTag } from '../../indicators/articles.ts';
import { LISTED_TIME, type Store } from '../../store/store.ts';
import { ApiError } from './errors.ts';

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;

export interface TagOut {
  group: string;
  tone: string;
  tone_score: number;
  frame: string;
  voice: boolean;
  mentions: number;
}

export interface ArticleSummary {
  id: number;
  url: string;
  canonical_url: string | null;
  title: string | null;
  published: string | null;
  fetched: string;
  language: string | null;
  sources: { feed: string; name: string | null }[];
  municipalities: { code: string; name: string; score: number }[];
  tone: string | null;
  frame: string | null;
  tags: TagOut[];
  corrected: boolean;
  duplicate_of: number | null;
}

export interface ArticlePage {
  /** Articles matching the filters; null when paging by cursor (it was given with the first page). */
  total: number | null;
  limit: number;
  offset: number;
  /** Pass as `cursor` for the page after this one; null on the last page. */
  next_cursor: string | null;
  articles: ArticleSummary[];
}

export interface PageRequest {
  limit: number;
  offset?: number;
  cursor?: string;
  /** An FTS5 expression over article_search (the article browser's search): only its hits. */
  match?: string;
}

const tagOut = (t: GroupTag): TagOut => ({ group: t.group, tone: t.tone, tone_score: t.toneScore, frame: t.frame, voice: t.voice, mentions: t.mentions });

/** The sort key of the last row: newest first by publication (else fetch) time, then id. */
function encodeCursor(ts: number, id: number): string {
  return Buffer.from(`${ts}.${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { ts: number; id: number } {
  const m = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'cursor: not a cursor from this API (take next_cursor from the previous page)', ['cursor']);
  return { ts: Number(m[1]), id: Number(m[2]) };
}

interface SummaryRow {
  id: number;
  ts: number;
  url: string;
  canonical_url: string | null;
  title: string | null;
  published_ts: number | null;
  fetched_at: number;
  language: string | null;
  tone: string | null;
  frame: string | null;
  duplicate_of: number | null;
  sources: string;
  municipalities: string;
  corrected: number;
}

export function listArticles(store: Store, filters: ExportFilters, page: PageRequest): ArticlePage {
  if (page.offset && page.cursor) throw new ApiError(400, 'cursor: give either offset or cursor, not both', ['offset', 'cursor']);
  const db = store.db;
  const w = whereClause(filters, { membership: 'list' });
  if (page.match !== undefined) {
    w.sql += ' AND a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH @match)';
    w.params.match = page.match;
  }
  // Counting reads every match: done for the first page and offset paging, not for each cursor step.
  const total = page.cursor
    ? null
    : (db.prepare(`SELECT COUNT(*) n FROM ${w.from} WHERE ${w.sql}`).get(w.params) as { n: number }).n;
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  // The date index's form, so that a page of the newest is read in index order rather than sorted.
  const ts = LISTED_TIME;
  const keyset = after ? `AND (${ts} < @cursor_ts OR (${ts} = @cursor_ts AND a.id < @cursor_id))` : '';
  // The page's ids first, then what is shown of them: the lists are built for one page, not for every match sorted.
  const rows = db
    .prepare(
      `SELECT a.id, p.ts, a.url, a.canonical_url, a.title, a.published_ts, a.fetched_at,
         COALESCE(an.language, a.language) language, an.tone, an.frame, a.duplicate_of,
         (SELECT json_group_array(json_object('feed', s.feed_id, 'name', f.name) ORDER BY s.feed_id)
            FROM article_sources s LEFT JOIN feeds f ON f.id = s.feed_id WHERE s.article_id = a.id) sources,
         (SELECT json_group_array(json_object('code', l.municipality_code, 'name', COALESCE(m.name_fi, l.municipality_code), 'score', l.score)
              ORDER BY l.score DESC, l.municipality_code)
            FROM article_localities l LEFT JOIN municipalities m ON m.code = l.municipality_code WHERE l.article_id = a.id) municipalities,
         EXISTS (SELECT 1 FROM corrections c WHERE c.article_id = a.id) corrected
       FROM (SELECT a.id, ${ts} ts FROM ${w.from}
             WHERE ${w.sql} ${keyset} ORDER BY ts DESC, a.id DESC LIMIT @limit OFFSET @offset) p
       JOIN articles a ON a.id = p.id LEFT JOIN analyses an ON an.article_id = a.id
       ORDER BY p.ts DESC, p.id DESC`,
    )
    .all({ ...w.params, limit: page.limit, offset: page.offset ?? 0, ...(after ? { cursor_ts: after.ts, cursor_id: after.id } : {}) }) as SummaryRow[];
  const tags = groupTags(store, rows.map((r) => r.id));
  const last = rows.at(-1);
  return {
    total,
    limit: page.limit,
    offset: page.offset ?? 0,
    next_cursor: last && rows.length === page.limit ? encodeCursor(last.ts, last.id) : null,
    articles: rows.map((r) => ({
      id: r.id,
      url: r.url,
      canonical_url: r.canonical_url,
      title: r.title,
      published: r.published_ts === null ? null : helsinkiIso(r.published_ts),
      fetched: helsinkiIso(r.fetched_at),
      language: r.language,
      sources: JSON.parse(r.sources) as ArticleSummary['sources'],
      municipalities: JSON.parse(r.municipalities) as ArticleSummary['municipalities'],
      tone: r.tone,
      frame: r.frame,
      tags: (tags.get(r.id) ?? []).map(tagOut),
      corrected: r.corrected === 1,
      duplicate_of: r.duplicate_of,
    })),
  };
}

/** An export row as an object, its nested fields parsed where SQLite built them as JSON text. */
function recordOf(row: EncodedRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  FIELDS.forEach((f, i) => {
    const v = row[i];
    out[f.name] = isNested(f.type) && typeof v === 'string' ? JSON.parse(v) : v;
  });
  return out;
}

/** One article the way the export writes it (the corrections with it), plus its tags with the corrections applied; null when there is none. */
export function articleDetail(store: Store, id: number, text: TextPolicy): Record<string, unknown> | null {
  const row = new RecordReader(store.db, { ids: [id] }, { text, batchSize: 1 }).next()?.[0];
  if (!row) return null;
  return { ...recordOf(row), tags: articleTags(store, id) };
}

/** An article's group tags with the standing corrections applied. */
export function articleTags(store: Store, id: number): TagOut[] {
  return (groupTags(store, [id]).get(id) ?? []).map(tagOut);
}
