// The article browser's query: filters on where, when, who and how an article is tagged, and
// Finnish-aware full-text search. A search word matches an article when one of its base forms
// is among the article's base forms (the analysis indexes them, so "maahanmuuttaja" finds
// "maahanmuuttajille" and "kaupunki" finds "kaupungissa" across consonant gradation) or when
// it begins a word of the title or text ("romani" finds "romaniyhdistys", also in articles
// indexed before lemmas were kept). Users never write FTS5 syntax: words and quoted phrases
// are taken out of what they type and every one is passed to SQLite as a quoted string.
//
// Pages stay an index range or a short list on a large store: the newest articles are read
// from the date index (migration 5) and tested against the filters, a rare filter's id list is
// read and sorted instead, and words found in a large part of the corpus are streamed newest
// first rather than ranked. Totals are counted within a time budget ("more than N" beyond it).
import { stemFor } from '../../analyse/compile.ts';
import { openMorphology, tokenize, type Morphology } from '../../analyse/index.ts';
import { groupTags, type GroupTag } from '../../indicators/articles.ts';
import { CORRECTIONS_TABLE } from '../../indicators/counts.ts';
import { isWeek, weekEnd, weekStart } from '../../indicators/week.ts';
import { LISTED_TIME, type Store } from '../../store/store.ts';

export const TONE_VALUES = ['neg', 'neu', 'pos'] as const;
export const LANGUAGE_VALUES = ['fi', 'sv', 'en'] as const;
export const PAGE_SIZE = 50;
/** Totals are counted up to here; past it the page says "more than". */
export const COUNT_CAP = 10_000;
const MAX_TERMS = 12;
const MAX_WORD = 64;
/** Shorter words match whole words only: a two-letter prefix would match half the corpus. */
const MIN_PREFIX = 3;

export interface ArticleFilters {
  /** Municipality code: the towns the analysis placed the story in (its feeds' towns before it was analysed). */
  municipality?: string;
  group?: string;
  /** With a group: that group's tone in the article; without: the article's tone. */
  tone?: string;
  /** With a group: that group's frame; without: the article's main frame. */
  frame?: string;
  /** ISO week of publication (of fetching when undated), Helsinki time. */
  week?: string;
  /** Feed id. */
  source?: string;
  language?: string;
  q?: string;
  /** Include syndicated copies (default: originals only, as the indicators count). */
  copies?: boolean;
  /** With q: 'relevance' (default) or 'date'; without q always by date. */
  sort?: 'relevance' | 'date';
  limit?: number;
  offset?: number;
}

export interface ArticleListItem {
  id: number;
  title: string | null;
  url: string;
  publishedTs: number | null;
  fetchedAt: number;
  language: string | null;
  duplicateOf: number | null;
  sources: { id: string; name: string }[];
  towns: { code: string; name: string }[];
  /** Group tags with analysts' corrections applied. */
  groups: GroupTag[];
}

export interface SearchResult {
  items: ArticleListItem[];
  /** Matching articles, counted up to COUNT_CAP and as far as the counting budget went. */
  total: number;
  /** At least `total` match: the count stopped at the cap or the budget. */
  totalCapped: boolean;
  /** There is a page after this one. */
  more: boolean;
  /** The words and phrases searched for; empty when q had nothing searchable in it. */
  terms: SearchTerm[];
  /** The words match so much of the corpus that the newest matches are listed, not the best. */
  broad: boolean;
}

// ------------------------------------------------------------------ query text (pure)

export interface SearchTerm {
  kind: 'word' | 'phrase';
  /** Lower-case words: one for a word, several for a phrase. */
  words: string[];
}

/**
 * The words and "quoted phrases" of what a user typed. Everything else (operators, brackets,
 * stray quotes, column names) is ordinary text: only letters and digits become words.
 */
export function parseQuery(q: string): SearchTerm[] {
  const out: SearchTerm[] = [];
  const seen = new Set<string>();
  const add = (kind: SearchTerm['kind'], text: string) => {
    const words = tokenize(text)
      .filter((t) => t.kind !== 'punct')
      .map((t) => t.text.toLowerCase().slice(0, MAX_WORD));
    if (words.length === 0) return;
    const term: SearchTerm = kind === 'phrase' && words.length > 1 ? { kind: 'phrase', words } : { kind: 'word', words: [words[0]!] };
    const key = `${term.kind}:${term.words.join(' ')}`;
    if (seen.has(key) || out.length >= MAX_TERMS) return;
    seen.add(key);
    out.push(term);
  };
  const text = q.normalize('NFC').slice(0, 1000);
  // Balanced quotes make phrases; an unbalanced last quote is just a character.
  const re = /"([^"]*)"/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    for (const w of tokenize(text.slice(last, m.index))) if (w.kind !== 'punct') add('word', w.text);
    const inner = tokenize(m[1]!).filter((t) => t.kind !== 'punct');
    if (inner.length === 1) add('word', inner[0]!.text);
    else if (inner.length > 1) add('phrase', m[1]!);
    last = m.index + m[0].length;
  }
  for (const w of tokenize(text.slice(last))) if (w.kind !== 'punct') add('word', w.text);
  return out;
}

/** A string as an FTS5 string literal: double quotes doubled, so nothing in it is syntax. */
export function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 MATCH expression: every term must match. A word matches by one of its base forms
 * (`keysOf`) in the lemmas column, or as a word of the title or text; with `prefix` also as
 * the start of one ("kotoutumis-" in "kotoutumiskoulutus", articles analysed before lemmas
 * were kept). A phrase matches its words in a row in the title or text. Null when there is
 * nothing to search.
 *
 * Without prefixes every part is a single term that FTS5 reads lazily, newest first if asked;
 * a prefix longer than the prefix index ('3 5') is merged over all its terms before the first
 * row comes, which is what makes a very common word slow.
 */
export function buildMatch(terms: readonly SearchTerm[], keysOf: (word: string) => readonly string[], opts: { prefix?: boolean } = {}): string | null {
  const prefix = opts.prefix ?? true;
  const parts: string[] = [];
  for (const t of terms) {
    if (t.kind === 'phrase') {
      parts.push(`{title body} : ${ftsString(t.words.join(' '))}`);
      continue;
    }
    const word = t.words[0]!;
    const options = [...new Set(keysOf(word).filter((k) => k.length > 0))].map((k) => `lemmas : ${ftsString(k)}`);
    const letters = [...word].length;
    options.push(`{title body} : ${ftsString(word)}${prefix && letters >= MIN_PREFIX ? ' *' : ''}`);
    parts.push(options.length === 1 ? options[0]! : `(${options.join(' OR ')})`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/**
 * The same terms in the title alone, for ranking: articles whose title answers the whole query
 * come before those that only mention it in the text. A word counts as in the title when a
 * title word starts with it or with its stem ("maahanmuuttaj-" for "maahanmuuttajia", whose
 * base form is not its prefix) and the article has one of its base forms, so that "romani"
 * does not lift a title about "Romaniaan". It widens the ranking only, never the results.
 */
export function buildTitleMatch(terms: readonly SearchTerm[], stemOf: (word: string) => string, keysOf: (word: string) => readonly string[] = () => []): string | null {
  const parts = terms.map((t) => {
    if (t.kind === 'phrase') return `title : ${ftsString(t.words.join(' '))}`;
    const word = t.words[0]!;
    if ([...word].length < MIN_PREFIX) return `title : ${ftsString(word)}`;
    const stem = stemOf(word);
    const prefixes = [...new Set([word, ...([...stem].length >= MIN_PREFIX ? [stem] : [])])].map((p) => `title : ${ftsString(p)} *`);
    const inTitle = prefixes.length === 1 ? prefixes[0]! : `(${prefixes.join(' OR ')})`;
    const keys = [...new Set(keysOf(word).filter((k) => k.length > 0))].map((k) => `lemmas : ${ftsString(k)}`);
    return keys.length === 0 ? inTitle : `(${inTitle} AND ${keys.length === 1 ? keys[0]! : `(${keys.join(' OR ')})`})`;
  });
  return parts.length > 0 ? parts.join(' AND ') : null;
}

// ------------------------------------------------------------------ base forms of query words

/**
 * The base forms a query word is looked up by, made as the analysis makes the article's: the
 * Voikko lemmas (tried as typed and capitalised, since users type names in lower case), or
 * the Finnish stem of a word Voikko does not know; and the Swedish and English stems, which
 * index articles in those languages.
 */
export function queryKeys(word: string, morphology: Morphology): string[] {
  const lower = word.toLowerCase();
  const keys = new Set<string>();
  if (morphology.kind === 'voikko') {
    const capitalised = lower.charAt(0).toUpperCase() + lower.slice(1);
    for (const form of new Set([word, lower, capitalised])) for (const l of morphology.analyse(form).lemmas) keys.add(l.toLowerCase());
  }
  if (keys.size === 0) keys.add(morphology.stem(lower));
  keys.add(stemFor('sv', morphology)(lower));
  keys.add(stemFor('en', morphology)(lower));
  return [...keys];
}

let shared: Morphology | null = null;

/** The morphology queries are lemmatised with: opened once per process, Voikko when installed. */
export function queryMorphology(): Morphology {
  if (!shared) shared = openMorphology().morphology;
  return shared;
}

// ------------------------------------------------------------------ the query

interface Sql {
  where: string[];
  params: Record<string, string | number>;
}

const hasCorrections = (store: Store) => store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(CORRECTIONS_TABLE) !== undefined;

/** The analyst's latest value of a field for the article's group, or null. */
const corrected = (article: string, group: string, field: string) =>
  `(SELECT k.value FROM ${CORRECTIONS_TABLE} k WHERE k.article_id = ${article} AND k.group_id = ${group} AND k.field = '${field}' ORDER BY k.id DESC LIMIT 1)`;

/**
 * Group, tone and frame as the analysts left them (the same rules as the counts): a tag removed
 * by a correction does not match, one added by a correction does, and a corrected tone or
 * frame replaces the analysis's.
 */
function tagPredicate(f: ArticleFilters, withCorrections: boolean): string {
  const group = f.group ? '@group' : null;
  if (!withCorrections) {
    const c = ['g.article_id = a.id', group ? 'g.group_id = @group' : null, f.tone ? 'g.tone = @tone' : null, f.frame ? 'g.frame = @frame' : null];
    return `EXISTS (SELECT 1 FROM article_groups g WHERE ${c.filter(Boolean).join(' AND ')})`;
  }
  const machine = [
    'g.article_id = a.id',
    group ? 'g.group_id = @group' : null,
    `COALESCE(${corrected('a.id', 'g.group_id', 'present')}, '1') = '1'`,
    f.tone ? `COALESCE(${corrected('a.id', 'g.group_id', 'tone')}, g.tone) = @tone` : null,
    f.frame ? `COALESCE(${corrected('a.id', 'g.group_id', 'frame')}, g.frame) = @frame` : null,
  ];
  // A tag the analysis missed and an analyst added: neutral and framed "other" unless corrected.
  const added = [
    'p.article_id = a.id',
    "p.field = 'present'",
    group ? 'p.group_id = @group' : null,
    `p.id = (SELECT MAX(x.id) FROM ${CORRECTIONS_TABLE} x WHERE x.article_id = p.article_id AND x.group_id = p.group_id AND x.field = 'present')`,
    "p.value = '1'",
    'NOT EXISTS (SELECT 1 FROM article_groups g2 WHERE g2.article_id = p.article_id AND g2.group_id = p.group_id)',
    f.tone ? `COALESCE(${corrected('a.id', 'p.group_id', 'tone')}, 'neu') = @tone` : null,
    f.frame ? `COALESCE(${corrected('a.id', 'p.group_id', 'frame')}, 'other') = @frame` : null,
  ];
  return `(EXISTS (SELECT 1 FROM article_groups g WHERE ${machine.filter(Boolean).join(' AND ')})
    OR EXISTS (SELECT 1 FROM ${CORRECTIONS_TABLE} p WHERE ${added.filter(Boolean).join(' AND ')}))`;
}

/** When an article counts as published: the indicators' rule, in the form the browser's indexes are on (migration 5). */
const TIME = LISTED_TIME;

/**
 * Articles reached by id from a list (search hits, a filter's ids). The narrow index of
 * migration 8 holds what the filters and the order read of an article (duplicate link, time),
 * so each hit is a step in a small index instead of a visit to the article's row, which
 * holds its text: on a million articles with a cold cache, 3,500 hits took 230 ms that way
 * and 7 ms this way. SQLite would take the row itself by rowid, hence INDEXED BY.
 */
const BY_ID = 'articles a INDEXED BY articles_by_id';

function filterSql(store: Store, f: ArticleFilters): Sql {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (!f.copies) where.push('a.duplicate_of IS NULL');
  if (f.week) {
    where.push(`${TIME} >= @from AND ${TIME} < @to`);
    params.from = weekStart(f.week);
    params.to = weekEnd(f.week);
  }
  if (f.municipality) {
    params.municipality = f.municipality;
    // Tests in order of cost: an analyses row is large, so it is looked up last and rarely.
    where.push(`(EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = @municipality)
      OR (EXISTS (SELECT 1 FROM article_municipalities m WHERE m.article_id = a.id AND m.municipality_code = @municipality AND m.via = 'feed')
          AND NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id)))`);
  }
  if (f.group) {
    params.group = f.group;
    if (f.tone) params.tone = f.tone;
    if (f.frame) params.frame = f.frame;
    where.push(tagPredicate(f, hasCorrections(store)));
  } else {
    if (f.tone) {
      params.tone = f.tone;
      where.push('EXISTS (SELECT 1 FROM analyses t WHERE t.article_id = a.id AND t.tone = @tone)');
    }
    if (f.frame) {
      params.frame = f.frame;
      where.push('EXISTS (SELECT 1 FROM analyses fr WHERE fr.article_id = a.id AND fr.frame = @frame)');
    }
  }
  if (f.source) {
    params.source = f.source;
    where.push('EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id AND s.feed_id = @source)');
  }
  if (f.language) {
    params.language = f.language;
    where.push('COALESCE((SELECT la.language FROM analyses la WHERE la.article_id = a.id), a.language) = @language');
  }
  return { where, params };
}

/** An id list behind one filter's index, with its size as far as it was counted. */
interface IdList {
  sql: string;
  size: number;
  /** Cheap to build whole (one covering index range): worth testing membership in when large. */
  member: boolean;
}

/**
 * The smallest of the id lists behind the filters' indexes (group, source, town), counted up
 * to `cap`; null when there is none or all are larger. A list is a superset of its filter's
 * matches (the filter itself is still applied): the town's list holds its feeds' articles too.
 */
function smallestList(store: Store, f: ArticleFilters, params: Record<string, string | number>, cap: number): IdList | null {
  const lists: { sql: string; probes: string[]; member: boolean }[] = [];
  if (f.group) {
    const corrections = hasCorrections(store);
    lists.push({
      sql: `SELECT article_id FROM article_groups WHERE group_id = @group${corrections ? ` UNION SELECT article_id FROM ${CORRECTIONS_TABLE} WHERE group_id = @group AND field = 'present'` : ''}`,
      probes: ['SELECT 1 FROM article_groups WHERE group_id = @group', ...(corrections ? [`SELECT 1 FROM ${CORRECTIONS_TABLE} WHERE group_id = @group AND field = 'present'`] : [])],
      member: true,
    });
  }
  // The feed index holds row ids of article_sources, not article ids: read whole it costs a
  // lookup per row, more than the source's own test.
  if (f.source) lists.push({ sql: 'SELECT article_id FROM article_sources WHERE feed_id = @source', probes: ['SELECT 1 FROM article_sources WHERE feed_id = @source'], member: false });
  if (f.municipality) {
    lists.push({
      sql: `SELECT article_id FROM article_localities WHERE municipality_code = @municipality
            UNION SELECT article_id FROM article_municipalities WHERE municipality_code = @municipality AND via = 'feed'`,
      probes: ['SELECT 1 FROM article_localities WHERE municipality_code = @municipality', `SELECT 1 FROM article_municipalities WHERE municipality_code = @municipality AND via = 'feed'`],
      // Two ranges merged and sorted: built whole it costs more than the town's own test.
      member: false,
    });
  }
  let best: IdList | null = null;
  for (const l of lists) {
    const bound = Math.min(l.member ? cap : DRIVING_LIST, best ? best.size : cap);
    let n = 0;
    for (const probe of l.probes) {
      n += store.db.prepare(`SELECT COUNT(*) FROM (${probe} LIMIT ${bound + 1})`).pluck().get(params) as number;
      if (n > bound) break;
    }
    if (n <= bound) best = { sql: l.sql, size: n, member: l.member };
  }
  return best;
}

/**
 * Id lists up to this size drive the query: each id is looked up and the matches sorted. An
 * article row costs some 10 µs to reach (its text lives in it), so larger lists are used as a
 * membership test while the date index is read newest first.
 */
const DRIVING_LIST = 2_000;
/** Lists up to this size are tested for membership; beyond it the filters' own tests are cheaper. */
const MEMBER_LIST = 200_000;
/**
 * Search words matching more articles than this are listed newest first instead of ranked:
 * ranking reads and scores every match (some 10–20 µs each), a stream stops at the page.
 */
export const BROAD = 10_000;
/**
 * Words matching more articles than this (within the week's ids) are not ranked when a narrow
 * filter (a week, or an id list of at most DRIVING_LIST) can be walked instead: ranking
 * costs some 60 µs per match before the filters apply.
 */
const FILTER_DRIVES_AT = 2_000;
/** Time a page may spend counting its matches before it says "more than". */
const COUNT_BUDGET_MS = 60;

/**
 * Counts the rows of a query up to `cap`, within a time budget: a total is worth a glance,
 * not a page that waits. Inexact when either ran out.
 */
function countUpTo(store: Store, sql: string, params: Record<string, string | number>, cap: number, budgetMs: number): { n: number; exact: boolean } {
  const deadline = performance.now() + budgetMs;
  let n = 0;
  for (const _ of store.db.prepare(sql).pluck().iterate(params)) {
    void _;
    if (++n >= cap || ((n & 127) === 0 && performance.now() > deadline)) return { n, exact: false };
  }
  return { n, exact: true };
}

/**
 * The article ids a week's articles lie between. Ids grow as articles are stored, so a week's
 * articles sit in a narrow band of them: full-text matches are read within it only.
 */
function weekIds(store: Store, f: ArticleFilters): { lo: number; hi: number } | null {
  if (!f.week) return null;
  const r = store.db.prepare(`SELECT MIN(a.id) lo, MAX(a.id) hi FROM articles a WHERE ${TIME} >= ? AND ${TIME} < ?`).get(weekStart(f.week), weekEnd(f.week)) as { lo: number | null; hi: number | null };
  return { lo: r.lo ?? 0, hi: r.hi ?? -1 };
}

/** One page of the articles matching the filters, with the total (up to COUNT_CAP). */
export function searchArticles(store: Store, filters: ArticleFilters, opts: { morphology?: Morphology; broadAt?: number; filterDrivesAt?: number } = {}): SearchResult {
  const f = normaliseFilters(filters);
  const limit = Math.min(Math.max(1, Math.floor(f.limit ?? PAGE_SIZE)), 500);
  const offset = Math.max(0, Math.floor(f.offset ?? 0));
  const sql = filterSql(store, f);
  const terms = f.q ? parseQuery(f.q) : [];
  const morphology = terms.length > 0 ? opts.morphology ?? queryMorphology() : null;
  const keysOf = (w: string) => queryKeys(w, morphology!);
  const exact = morphology ? buildMatch(terms, keysOf, { prefix: false }) : null;
  const where = [...sql.where];
  const params: Record<string, string | number> = { ...sql.params, limit: limit + 1, offset };
  const byDate = `ORDER BY ${TIME} DESC, a.id DESC`;

  let from = 'articles a';
  let order = byDate;
  /** The same rows without what only ordering needs (scores), for counting. */
  let countFrom: string | null = null;
  let broad = false;
  if (exact) {
    params.exact = exact;
    const ids = weekIds(store, f);
    params.lo = ids?.lo ?? 0;
    params.hi = ids?.hi ?? Number.MAX_SAFE_INTEGER;
    const inRange = 'rowid BETWEEN @lo AND @hi';
    // How many articles the words themselves match, read lazily up to the limit.
    const broadAt = opts.broadAt ?? BROAD;
    const filterAt = Math.min(opts.filterDrivesAt ?? FILTER_DRIVES_AT, broadAt);
    const inBand = store.db.prepare(`SELECT COUNT(*) FROM (SELECT rowid FROM article_search WHERE article_search MATCH @exact AND ${inRange} LIMIT ${broadAt + 1})`).pluck().get(params) as number;
    broad = inBand > broadAt;
    // Common words with narrow filters (a week, a small id list): ranking would score every
    // match only to drop most of them at the filters (a common word in a town's week: 0.6 s
    // on a million articles). The filter's articles are walked newest first instead, each
    // tested against the words with FTS5 seeking its one rowid, and listed as broad words are.
    // (smallestList counts up to its cap, so a list it returns here is one to drive from.)
    const narrow = inBand > filterAt ? smallestList(store, f, params, DRIVING_LIST) : null;
    if (inBand > filterAt && (narrow || f.week)) {
      broad = true;
      if (narrow) from = `(${narrow.sql}) c CROSS JOIN ${BY_ID} ON a.id = c.article_id`;
      where.push('EXISTS (SELECT 1 FROM article_search WHERE article_search MATCH @exact AND rowid = a.id)');
    } else if (broad) {
      // Words in a large part of the corpus: ranking them says little and costs a pass over
      // every match, so the newest matching articles (by when they were stored) are streamed.
      // FTS5 reads its rows in descending rowid itself, so the order costs no sort.
      from = `(SELECT rowid id FROM article_search WHERE article_search MATCH @exact AND ${inRange}) h CROSS JOIN ${BY_ID} ON a.id = h.id`;
      order = 'ORDER BY h.id DESC';
    } else {
      params.match = buildMatch(terms, keysOf, { prefix: true })!;
      params.titleMatch = buildTitleMatch(terms, (w) => morphology!.stem(w), keysOf)!;
      // Ranked by where the words are: title matches first, then BM25 over title, text and lemmas.
      from = `(SELECT rowid id, bm25(article_search, 4.0, 1.0, 1.0) score FROM article_search WHERE article_search MATCH @match AND ${inRange}) h CROSS JOIN ${BY_ID} ON a.id = h.id`;
      countFrom = `(SELECT rowid id FROM article_search WHERE article_search MATCH @match AND ${inRange}) h CROSS JOIN ${BY_ID} ON a.id = h.id`;
      const inTitle = 'h.id IN (SELECT rowid FROM article_search WHERE article_search MATCH @titleMatch)';
      order = f.sort === 'date' ? byDate : `ORDER BY ${inTitle} DESC, h.score, a.id DESC`;
    }
  } else {
    // Newest first from the date index, unless a filter's id list is small enough to start from.
    const list = smallestList(store, f, params, MEMBER_LIST);
    if (list && list.size <= DRIVING_LIST) from = `(${list.sql}) c CROSS JOIN ${BY_ID} ON a.id = c.article_id`;
    // The unary + keeps the list from driving the query: it is a membership test on the index scan.
    else if (list?.member) where.unshift(`+a.id IN (${list.sql})`);
  }
  const whereSql = where.length > 0 ? where.join(' AND ') : '1';
  const ids = store.db.prepare(`SELECT a.id FROM ${from} WHERE ${whereSql} ${order} LIMIT @limit OFFSET @offset`).pluck().all(params) as number[];
  const more = ids.length > limit;
  if (more) ids.pop();
  // A first page that is not full is the whole answer; otherwise count, as far as the budget goes.
  const counted = offset === 0 && !more ? { n: ids.length, exact: true } : countUpTo(store, `SELECT 1 FROM ${countFrom ?? from} WHERE ${whereSql}`, params, COUNT_CAP + 1, COUNT_BUDGET_MS);
  const total = Math.max(Math.min(counted.n, COUNT_CAP), offset + ids.length);
  return { items: listItems(store, ids), total, totalCapped: !counted.exact, more, terms: exact ? terms : [], broad };
}

/** Drops values that are not what a filter takes (a stray week, a tone no one tags). */
export function normaliseFilters(f: ArticleFilters): ArticleFilters {
  const s = (v: unknown, max = 100) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);
  const week = s(f.week);
  const tone = s(f.tone);
  const language = s(f.language);
  return {
    ...f,
    municipality: s(f.municipality),
    group: s(f.group),
    tone: tone && (TONE_VALUES as readonly string[]).includes(tone) ? tone : undefined,
    frame: s(f.frame),
    week: week && isWeek(week) ? week : undefined,
    source: s(f.source, 200),
    language: language && (LANGUAGE_VALUES as readonly string[]).includes(language) ? language : undefined,
    q: s(f.q, 1000),
    sort: f.sort === 'date' ? 'date' : 'relevance',
  };
}

/** The rows of a page, in the page's order: sources, towns and group tags read per page, not per row. */
export function listItems(store: Store, ids: readonly number[]): ArticleListItem[] {
  if (ids.length === 0) return [];
  const db = store.db;
  const list = JSON.stringify(ids);
  const rows = db
    .prepare(
      `SELECT a.id, a.title, COALESCE(a.canonical_url, a.final_url, a.url) url, a.published_ts, a.fetched_at, COALESCE(an.language, a.language) language, a.duplicate_of
       FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE a.id IN (SELECT value FROM json_each(?))`,
    )
    .all(list) as { id: number; title: string | null; url: string; published_ts: number | null; fetched_at: number; language: string | null; duplicate_of: number | null }[];
  const sources = new Map<number, { id: string; name: string }[]>();
  for (const r of db
    .prepare(`SELECT s.article_id, s.feed_id, COALESCE(f.name, s.feed_id) name FROM article_sources s LEFT JOIN feeds f ON f.id = s.feed_id
              WHERE s.article_id IN (SELECT value FROM json_each(?)) ORDER BY s.first_seen_at, s.feed_id`)
    .all(list) as { article_id: number; feed_id: string; name: string }[]) {
    sources.set(r.article_id, [...(sources.get(r.article_id) ?? []), { id: r.feed_id, name: r.name }]);
  }
  const towns = articleTowns(store, ids);
  const tags = groupTags(store, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({
      id: r.id,
      title: r.title,
      url: r.url,
      publishedTs: r.published_ts,
      fetchedAt: r.fetched_at,
      language: r.language,
      duplicateOf: r.duplicate_of,
      sources: sources.get(r.id) ?? [],
      towns: towns.get(r.id) ?? [],
      groups: tags.get(r.id) ?? [],
    }));
}

/** The towns a story is about: the analysis's localities, or its feeds' towns before it was analysed. */
export function articleTowns(store: Store, ids: readonly number[]): Map<number, { code: string; name: string }[]> {
  const out = new Map<number, { code: string; name: string }[]>();
  const rows = store.db
    .prepare(
      `SELECT i.value article_id, m.code, m.name_fi name FROM json_each(?) i
       JOIN article_localities l ON l.article_id = i.value JOIN municipalities m ON m.code = l.municipality_code
       UNION ALL
       SELECT i.value, m.code, m.name_fi FROM json_each(?) i
       JOIN article_municipalities am ON am.article_id = i.value AND am.via = 'feed' JOIN municipalities m ON m.code = am.municipality_code
       WHERE NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = i.value)
       ORDER BY 1, 3`,
    )
    .all(JSON.stringify(ids), JSON.stringify(ids)) as { article_id: number; code: string; name: string }[];
  for (const r of rows) {
    const list = out.get(r.article_id) ?? [];
    if (!list.some((t) => t.code === r.code)) list.push({ code: r.code, name: r.name });
    out.set(r.article_id, list);
  }
  return out;
}
