// Weekly counts in the store (table indicator_counts, migration 3): the one place where
// articles, localities and group tags are turned into numbers. Every indicator, alert and
// export is computed from these counts, so this is where the counting rules live:
//  - only originals count (duplicate_of IS NULL); a syndicated copy is its original's story;
//  - an article is local to the municipalities its analysis names (article_localities); one
//    without an analysis counts for the municipalities of its feeds (article_municipalities);
//  - its week is the ISO week (Europe/Helsinki) of its publication time, or of when it was
//    fetched when it has no date;
//  - per group, the article's tone, frame and voice for that group (article_groups), with an
//    analyst's correction taking precedence where one exists (see CORRECTIONS_TABLE).
//
// Counts are kept up to date week by week: refreshIndicators() recounts the weeks touched by
// new articles, re-analyses and corrections since the last refresh, and whatever was marked
// with markDirty().
//
// Why the aggregation is done in JavaScript: SQLite has no hash aggregation, and its sorter
// made GROUP BY over a million joined rows the slowest step by far. SQL does the joins and
// packs each row into one integer; the grouping is a typed-array pass here.
import type Database from 'better-sqlite3';
import type { Store } from '../store/store.ts';
import { weekEnd, weekOf, weekStart } from './week.ts';

/** Bumped when the counting rules change: stored counts from older rules are recounted. */
export const COUNTS_VERSION = '1';

/**
 * Analyst corrections (the dashboard's table) override the analysis per article and group:
 * a table `corrections (article_id, group_id, field, value)` where field is
 *   'tone' (neg | neu | pos), 'frame' (a frame id), 'voice' ('0' | '1') or
 *   'present' ('0' removes the group from the article, '1' adds it when the analysis missed it).
 * The latest row (highest rowid) per article, group and field wins. When the table exists its
 * rows are applied here, and rows added since the last refresh mark their weeks for a recount.
 */
export const CORRECTIONS_TABLE = 'corrections';

export interface RefreshResult {
  full: boolean;
  /** Weeks recounted. */
  weeks: string[];
  ms: number;
}

export interface CountRow {
  week: string;
  municipality_code: string;
  /** '' for all local articles of the week. */
  group_id: string;
  articles: number;
  mentions: number;
  neg: number;
  neu: number;
  pos: number;
  voice: number;
  /** frame → articles */
  frames: Record<string, number>;
}

// ---------------------------------------------------------------- weeks in SQL

const WEEK_MS = 604_800_000;
const HOUR_MS = 3_600_000;
// Monday 00:00 at UTC+2 falls on a multiple of a week after shifting by this much: the Unix
// epoch was a Thursday, three days and two hours after such a Monday.
const SHIFT_MS = 3 * 86_400_000 + 2 * HOUR_MS;

/**
 * The Helsinki ISO week of `ts` as an integer (weeks since the one of Monday 29 December 1969),
 * in plain SQL arithmetic:
 * the week at UTC+2, moved one on in the last hour before a summer-time (UTC+3) Monday, for
 * which temp.mm_dst lists the weeks. A JavaScript SQL function per row measured about eight
 * times slower over a million articles.
 */
function weekIndexSql(ts: string): string {
  return `((${ts} + ${SHIFT_MS}) / ${WEEK_MS} + CASE WHEN (${ts} + ${SHIFT_MS}) % ${WEEK_MS} >= ${WEEK_MS - HOUR_MS}
    THEN EXISTS (SELECT 1 FROM temp.mm_dst d WHERE d.wk = (${ts} + ${SHIFT_MS}) / ${WEEK_MS} + 1) ELSE 0 END)`;
}

function weekLabelOfIndex(wk: number): string {
  return weekOf(wk * WEEK_MS - SHIFT_MS + WEEK_MS / 2);
}

/** Fills temp.mm_dst with the summer-time weeks between two instants. */
function prepareDst(db: Database.Database, from: number, to: number): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS mm_dst (wk INTEGER PRIMARY KEY) WITHOUT ROWID');
  db.exec('DELETE FROM temp.mm_dst');
  const ins = db.prepare('INSERT OR IGNORE INTO temp.mm_dst (wk) VALUES (?)');
  const first = Math.floor((from + SHIFT_MS) / WEEK_MS) - 1;
  const last = Math.floor((to + SHIFT_MS) / WEEK_MS) + 1;
  for (let wk = first; wk <= last; wk++) {
    const start = weekStart(weekLabelOfIndex(wk));
    if ((start + SHIFT_MS) / WEEK_MS !== wk) ins.run(wk);
  }
}

// ---------------------------------------------------------------- state

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function getState(db: Database.Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM indicator_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function setState(db: Database.Database, key: string, value: string | number): void {
  db.prepare('INSERT INTO indicator_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, String(value));
}

function articleWeeks(db: Database.Database, sql: string, params: unknown[]): string[] {
  const out = new Set<string>();
  for (const ts of db.prepare(sql).pluck().all(...params) as (number | null)[]) if (typeof ts === 'number') out.add(weekOf(ts));
  return [...out];
}

/**
 * Marks the weeks of these articles for a recount: call after changing an article's tags,
 * localities or duplicate link outside the paths refreshIndicators() notices by itself.
 * A copy's original and an original's copies are marked too, since either may move the story.
 */
export function markDirty(store: Store, articleIds: readonly number[], now = Date.now()): string[] {
  const weeks = new Set<string>();
  for (const id of articleIds) {
    for (const w of articleWeeks(
      store.db,
      `SELECT COALESCE(published_ts, fetched_at) FROM articles
       WHERE id = @id OR id = (SELECT duplicate_of FROM articles WHERE id = @id) OR duplicate_of = @id`,
      [{ id }],
    )) weeks.add(w);
  }
  markWeeksDirty(store, [...weeks], now);
  return [...weeks].sort();
}

export function markWeeksDirty(store: Store, weeks: readonly string[], now = Date.now()): void {
  const ins = store.db.prepare('INSERT OR IGNORE INTO indicator_dirty_weeks (week, marked_at) VALUES (?, ?)');
  store.db.transaction(() => {
    for (const w of weeks) ins.run(w, now);
  })();
}

/** Finds what changed since the last refresh (by watermarks) and marks those weeks. */
function markChanges(store: Store, now: number): void {
  const db = store.db;
  const lastArticle = Number(getState(db, 'article_watermark') ?? 0);
  const lastAnalysis = Number(getState(db, 'analysis_watermark') ?? 0);
  const weeks = new Set<string>();
  const add = (ws: string[]) => ws.forEach((w) => weeks.add(w));
  // New articles; one that became the original of an older story moves its copies' weeks too.
  add(articleWeeks(db, 'SELECT COALESCE(published_ts, fetched_at) FROM articles WHERE id > ?', [lastArticle]));
  add(articleWeeks(db, 'SELECT COALESCE(c.published_ts, c.fetched_at) FROM articles c WHERE c.duplicate_of > ?', [lastArticle]));
  // Re-analyses of articles counted before: analysed after the watermark, or in its very
  // millisecond when more analyses carry that time than were seen.
  const atMark = db.prepare('SELECT COUNT(*) FROM analyses WHERE analysed_at = ? AND article_id <= ?').pluck().get(lastAnalysis, lastArticle) as number;
  const seenAtMark = Number(getState(db, 'analysis_watermark_n') ?? 0);
  add(articleWeeks(
    db,
    `SELECT COALESCE(a.published_ts, a.fetched_at) FROM analyses x JOIN articles a ON a.id = x.article_id
     WHERE (x.analysed_at > @last OR (x.analysed_at = @last AND @more)) AND a.id <= @lastArticle`,
    [{ last: lastAnalysis, more: atMark > seenAtMark ? 1 : 0, lastArticle }],
  ));
  // A feed town added to an article already stored (a second feed listing the same page):
  // it moves the counts while the article is not analysed, when its feeds' towns stand in
  // for its localities.
  // (A store counted before this watermark existed starts it at the next save, not at 0: a
  // first pass over every feed town of a large store would take long for nothing.)
  const lastFeedTown = getState(db, 'feed_town_watermark');
  if (lastFeedTown !== null) {
    add(articleWeeks(
      db,
      // The new rows by rowid, then their articles by key: with a plain `a.id <= ?` SQLite
      // ranged over the article ids instead (1.8 s on a million articles, against 0.3 ms).
      `SELECT COALESCE(a.published_ts, a.fetched_at) FROM article_municipalities m CROSS JOIN articles a ON a.id = m.article_id
       WHERE m.rowid > ? AND m.via = 'feed' AND +a.id <= ? AND NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id)`,
      [Number(lastFeedTown), lastArticle],
    ));
  }
  if (hasTable(db, CORRECTIONS_TABLE)) {
    const lastCorrection = Number(getState(db, 'correction_watermark') ?? 0);
    add(articleWeeks(
      db,
      `SELECT COALESCE(a.published_ts, a.fetched_at) FROM ${CORRECTIONS_TABLE} c JOIN articles a ON a.id = c.article_id WHERE c.rowid > ?`,
      [lastCorrection],
    ));
  }
  markWeeksDirty(store, [...weeks], now);
}

function saveWatermarks(db: Database.Database): void {
  setState(db, 'article_watermark', (db.prepare('SELECT COALESCE(MAX(id), 0) FROM articles').pluck().get() as number));
  setState(db, 'feed_town_watermark', (db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM article_municipalities').pluck().get() as number));
  const lastAnalysis = db.prepare('SELECT COALESCE(MAX(analysed_at), 0) FROM analyses').pluck().get() as number;
  setState(db, 'analysis_watermark', lastAnalysis);
  // Analyses at the watermark's millisecond, so that one more there (a re-analysis of an article
  // already counted) is noticed next time.
  setState(db, 'analysis_watermark_n', db.prepare('SELECT COUNT(*) FROM analyses WHERE analysed_at = ?').pluck().get(lastAnalysis) as number);
  if (hasTable(db, CORRECTIONS_TABLE)) {
    setState(db, 'correction_watermark', (db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM ${CORRECTIONS_TABLE}`).pluck().get() as number));
  }
}

// ---------------------------------------------------------------- counting

/**
 * The group tags counted: article_groups with corrections applied. The latest correction per
 * (article, group, field) goes into a keyed temp table first, so applying it is one lookup.
 */
function groupSource(db: Database.Database): string {
  if (!hasTable(db, CORRECTIONS_TABLE)) return 'article_groups';
  db.exec(`DROP TABLE IF EXISTS temp.mm_corrections;
    CREATE TEMP TABLE mm_corrections (article_id INTEGER, group_id TEXT, field TEXT, value TEXT, PRIMARY KEY (article_id, group_id, field)) WITHOUT ROWID;
    INSERT INTO temp.mm_corrections
      SELECT article_id, group_id, field, CAST(value AS TEXT) FROM ${CORRECTIONS_TABLE}
      WHERE rowid IN (SELECT MAX(rowid) FROM ${CORRECTIONS_TABLE} GROUP BY article_id, group_id, field);`);
  const corr = (alias: string, field: string) =>
    `(SELECT value FROM temp.mm_corrections k WHERE k.article_id = ${alias}.article_id AND k.group_id = ${alias}.group_id AND k.field = '${field}')`;
  return `(
    SELECT g.article_id, g.group_id, g.mentions,
      COALESCE(${corr('g', 'tone')}, g.tone) tone,
      COALESCE(${corr('g', 'frame')}, g.frame) frame,
      COALESCE(CAST(${corr('g', 'voice')} AS INTEGER), g.voice) voice
    FROM article_groups g
    WHERE COALESCE(${corr('g', 'present')}, '1') <> '0'
    UNION ALL
    SELECT p.article_id, p.group_id, 0,
      COALESCE(${corr('p', 'tone')}, 'neu'),
      COALESCE(${corr('p', 'frame')}, 'other'),
      COALESCE(CAST(${corr('p', 'voice')} AS INTEGER), 0)
    FROM temp.mm_corrections p
    WHERE p.field = 'present' AND p.value = '1'
      AND NOT EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = p.article_id AND g.group_id = p.group_id)
  )`;
}

// A span without any group tag has no values: CASE needs at least one WHEN, so it is a constant then.
const caseOf = (column: string, values: readonly string[]): string =>
  values.length === 0
    ? '0'
    : `CASE ${column} ${values.map((v, i) => `WHEN '${v.replace(/'/g, "''")}' THEN ${i}`).join(' ')} ELSE ${values.length} END`;

// Bit layout of the packed rows (as multiplications: JS bit operators are 32-bit).
const WEEK_SLOTS = 4096; // weeks a count may span (78 years)
const MUNI_SLOTS = 1024; // municipality codes are three digits
const GROUP_ROW = { id: 2 ** 23, group: 2 ** 17, frame: 2 ** 13, tone: 2 ** 11, voice: 2 ** 10 } as const;
const MAX_GROUPS = 63;
const MAX_FRAMES = 15;
// Mentions of one group in one article above this add only this much to the mention count.
const MENTION_CAP = 1023;

interface Span {
  from: number;
  to: number;
}

/** Counts the originals published in the span (or all) and replaces their weeks' counts. */
function countSpan(db: Database.Database, span: Span | null): void {
  const bad = db.prepare(`SELECT code FROM municipalities WHERE NOT (code GLOB '[0-9][0-9][0-9]')`).pluck().all() as string[];
  if (bad.length > 0) throw new Error(`municipality codes must be three digits (Statistics Finland codes), got: ${bad.join(', ')}`);

  // The instants the counted articles may have: for the summer-time table and the week base.
  const range = span ?? (() => {
    const r = db.prepare(
      `SELECT MIN(t), MAX(t) FROM (
         SELECT MIN(published_ts) t FROM articles UNION ALL SELECT MAX(published_ts) FROM articles
         UNION ALL SELECT MIN(fetched_at) FROM articles WHERE published_ts IS NULL
         UNION ALL SELECT MAX(fetched_at) FROM articles WHERE published_ts IS NULL)`,
    ).raw().get() as [number | null, number | null];
    return r[0] === null || r[1] === null ? null : { from: r[0], to: r[1] + 1 };
  })();
  if (span) {
    db.prepare('DELETE FROM indicator_counts WHERE week >= ? AND week <= ?').run(weekOf(span.from), weekOf(span.to - 1));
  } else {
    db.exec('DELETE FROM indicator_counts');
  }
  if (!range) return;
  prepareDst(db, range.from, range.to);
  const base = Math.floor((range.from + SHIFT_MS) / WEEK_MS) - 1;
  const spanWeeks = Math.floor((range.to + SHIFT_MS) / WEEK_MS) + 2 - base;
  if (spanWeeks >= WEEK_SLOTS) throw new Error(`article dates span ${spanWeeks} weeks; counting handles up to ${WEEK_SLOTS - 1}`);

  // 1. Originals: id and week, from the covering index articles_originals_dates alone.
  const t = 'COALESCE(a.published_ts, a.fetched_at)';
  const where = span
    ? `a.duplicate_of IS NULL AND ((a.published_ts >= @from AND a.published_ts < @to) OR (a.published_ts IS NULL AND a.fetched_at >= @from AND a.fetched_at < @to))`
    : 'a.duplicate_of IS NULL';
  const originals = db
    .prepare(`SELECT a.id * ${WEEK_SLOTS} + ${weekIndexSql(t)} - @base FROM articles a WHERE ${where}`)
    .pluck()
    .all({ base, ...(span ?? {}) }) as number[];
  const maxId = (db.prepare('SELECT COALESCE(MAX(id), 0) FROM articles').pluck().get() as number) + 1;
  // Weeks that have articles, numbered densely, so that a stray date years off costs nothing.
  const denseOfWeek = new Int16Array(WEEK_SLOTS).fill(-1);
  const weekOfDense: number[] = [];
  for (const packed of originals) {
    const wk = packed % WEEK_SLOTS;
    if (denseOfWeek[wk] === -1) denseOfWeek[wk] = weekOfDense.push(wk) - 1;
  }
  const weeks = weekOfDense.length;
  // Dense week (+1, so that 0 means "not counted") of every counted original, by article id.
  const weekOfArticle = new Uint16Array(maxId + 1);
  for (const packed of originals) {
    const id = Math.floor(packed / WEEK_SLOTS);
    weekOfArticle[id] = denseOfWeek[packed - id * WEEK_SLOTS]! + 1;
  }

  // In a span, the per-article tables are read for the span's articles only.
  if (span) {
    db.exec('DROP TABLE IF EXISTS temp.mm_ids; CREATE TEMP TABLE mm_ids (id INTEGER PRIMARY KEY)');
    const ins = db.prepare('INSERT INTO temp.mm_ids (id) VALUES (?)');
    for (const packed of originals) ins.run(Math.floor(packed / WEEK_SLOTS));
  }
  // CROSS JOIN keeps the span's few ids as the outer loop, each a key lookup in the big table.
  const from = (table: string, alias: string) => (span ? `temp.mm_ids i CROSS JOIN ${table} ${alias} ON ${alias}.article_id = i.id` : `${table} ${alias}`);

  // 2. Which originals have an analysis. Read as one list (the analysed_at index holds every
  // id) rather than looked up per article: the originals come in date order, and lookups in
  // that order miss the page cache on a large store.
  const analysed = new Uint8Array(maxId + 1);
  for (const id of db.prepare(`SELECT x.article_id FROM ${from('analyses', 'x')}`).pluck().all() as number[]) analysed[id] = 1;
  const unanalysed: number[] = [];
  for (const packed of originals) {
    const id = Math.floor(packed / WEEK_SLOTS);
    if (analysed[id] === 0) unanalysed.push(id);
  }
  unanalysed.sort((a, b) => a - b);

  // 3. Places: analysed articles by their localities, the others by their feeds' towns.
  const localities = db
    .prepare(`SELECT l.article_id * ${MUNI_SLOTS} + CAST(l.municipality_code AS INTEGER) FROM ${from('article_localities', 'l')} ORDER BY l.article_id`)
    .pluck()
    .all() as number[];
  let fallback: number[];
  // A few unanalysed articles are looked up one by one; many (an old store) are read in one scan.
  if (unanalysed.length * 50 < originals.length) {
    const q = db.prepare(`SELECT CAST(municipality_code AS INTEGER) FROM article_municipalities WHERE article_id = ? AND via = 'feed'`).pluck();
    fallback = [];
    for (const id of unanalysed) for (const code of q.all(id) as number[]) fallback.push(id * MUNI_SLOTS + code);
  } else {
    fallback = [];
    const feedTowns = db
      .prepare(`SELECT m.article_id * ${MUNI_SLOTS} + CAST(m.municipality_code AS INTEGER) FROM ${from('article_municipalities', 'm')} WHERE m.via = 'feed' ORDER BY m.article_id`)
      .pluck()
      .all() as number[];
    for (const packed of feedTowns) if (analysed[Math.floor(packed / MUNI_SLOTS)] === 0) fallback.push(packed);
  }
  // Analysed and unanalysed articles are disjoint: merge the two id-ordered lists into one.
  const places = mergeSorted(localities, fallback);

  // 4. Group tags, coded through dictionaries so that each row packs into one integer.
  const source = groupSource(db);
  const groups = db.prepare(`SELECT DISTINCT g.group_id FROM ${from(source, 'g')} ORDER BY 1`).pluck().all() as string[];
  const frames = db.prepare(`SELECT DISTINCT g.frame FROM ${from(source, 'g')} ORDER BY 1`).pluck().all() as string[];
  const tones = ['neg', 'neu', 'pos'];
  if (groups.length > MAX_GROUPS) throw new Error(`${groups.length} groups tagged; counting handles up to ${MAX_GROUPS}`);
  if (frames.length > MAX_FRAMES) throw new Error(`${frames.length} frames tagged; counting handles up to ${MAX_FRAMES}`);
  const tagRows = db
    .prepare(
      `SELECT g.article_id * ${GROUP_ROW.id} + (${caseOf('g.group_id', groups)}) * ${GROUP_ROW.group} + (${caseOf('g.frame', frames)}) * ${GROUP_ROW.frame}
         + (${caseOf('g.tone', tones)}) * ${GROUP_ROW.tone} + (g.voice <> 0) * ${GROUP_ROW.voice} + MIN(MAX(g.mentions, 0), ${MENTION_CAP})
       FROM ${from(source, 'g')} ORDER BY g.article_id`,
    )
    .pluck()
    .all() as number[];

  // 5. Aggregate into dense arrays: cell = (week × municipality × group slot), slot 0 = all articles.
  const muniCodes = (db.prepare('SELECT CAST(code AS INTEGER) FROM municipalities ORDER BY code').pluck().all() as number[]);
  const muniIndex = new Int16Array(MUNI_SLOTS).fill(-1);
  muniCodes.forEach((code, i) => (muniIndex[code] = i));
  const slots = groups.length + 1;
  const cellCount = weeks * muniCodes.length * slots;
  const articles = new Int32Array(cellCount);
  const mentionsOf = new Int32Array(cellCount);
  const toneOf = [new Int32Array(cellCount), new Int32Array(cellCount), new Int32Array(cellCount)];
  const voiceOf = new Int32Array(cellCount);
  const frameOf = new Int32Array(cellCount * (frames.length + 1));
  const cellBase = (wk: number, code: number): number => {
    const m = muniIndex[code]!;
    return m < 0 ? -1 : (wk * muniCodes.length + m) * slots;
  };
  for (const packed of places) {
    const id = Math.floor(packed / MUNI_SLOTS);
    const wk = weekOfArticle[id]!;
    if (wk === 0) continue;
    const c = cellBase(wk - 1, packed - id * MUNI_SLOTS);
    if (c >= 0) articles[c]!++;
  }
  // Both lists are ordered by article: walk them together.
  let p = 0;
  for (const packed of tagRows) {
    const id = Math.floor(packed / GROUP_ROW.id);
    const wk = weekOfArticle[id]!;
    while (p < places.length && Math.floor(places[p]! / MUNI_SLOTS) < id) p++;
    if (wk === 0) continue;
    let rest = packed - id * GROUP_ROW.id;
    const g = Math.floor(rest / GROUP_ROW.group);
    rest -= g * GROUP_ROW.group;
    const f = Math.floor(rest / GROUP_ROW.frame);
    rest -= f * GROUP_ROW.frame;
    const tone = Math.floor(rest / GROUP_ROW.tone);
    rest -= tone * GROUP_ROW.tone;
    const voice = rest >= GROUP_ROW.voice ? 1 : 0;
    const mentions = rest - voice * GROUP_ROW.voice;
    for (let q = p; q < places.length && Math.floor(places[q]! / MUNI_SLOTS) === id; q++) {
      const b = cellBase(wk - 1, places[q]! - id * MUNI_SLOTS);
      if (b < 0) continue;
      const c = b + g + 1;
      articles[c]!++;
      mentionsOf[c]! += mentions;
      if (tone < 3) toneOf[tone]![c]!++;
      voiceOf[c]! += voice;
      frameOf[c * (frames.length + 1) + f]!++;
    }
  }

  // 6. Write, many rows per statement.
  const labels = new Map<number, string>();
  const label = (wk: number): string => {
    let l = labels.get(wk);
    if (l === undefined) labels.set(wk, (l = weekLabelOfIndex(weekOfDense[wk]! + base)));
    return l;
  };
  const BATCH = 200;
  const sqlFor = (n: number) =>
    `INSERT INTO indicator_counts (week, municipality_code, group_id, articles, mentions, neg, neu, pos, voice, frames) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
  const full = db.prepare(sqlFor(BATCH));
  let params: unknown[] = [];
  const codeText = muniCodes.map((c) => String(c).padStart(3, '0'));
  for (let c = 0; c < cellCount; c++) {
    if (articles[c] === 0) continue;
    const g = c % slots;
    const m = Math.floor(c / slots) % muniCodes.length;
    const wk = Math.floor(c / slots / muniCodes.length);
    let json = '{';
    for (let f = 0; f <= frames.length; f++) {
      const n = frameOf[c * (frames.length + 1) + f]!;
      if (n > 0) json += `${json.length > 1 ? ',' : ''}${JSON.stringify(frames[f] ?? 'other')}:${n}`;
    }
    params.push(label(wk), codeText[m], g === 0 ? '' : groups[g - 1], articles[c], mentionsOf[c], toneOf[0]![c], toneOf[1]![c], toneOf[2]![c], voiceOf[c], json + '}');
    if (params.length === BATCH * 10) {
      full.run(params);
      params = [];
    }
  }
  if (params.length > 0) db.prepare(sqlFor(params.length / 10)).run(params);
  db.exec('DROP TABLE IF EXISTS temp.mm_ids; DROP TABLE IF EXISTS temp.mm_corrections;');
}

function mergeSorted(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Drops every count and counts all articles again. */
export function recomputeAll(store: Store, now = Date.now()): RefreshResult {
  const t0 = performance.now();
  const db = store.db;
  db.transaction(() => {
    countSpan(db, null);
    db.exec('DELETE FROM indicator_weeks');
    markCounted(db, db.prepare('SELECT DISTINCT week FROM indicator_counts').pluck().all() as string[]);
    db.exec('DELETE FROM indicator_dirty_weeks');
    saveWatermarks(db);
    setState(db, 'counts_version', COUNTS_VERSION);
    setState(db, 'computed_at', now);
  })();
  const weeks = db.prepare('SELECT DISTINCT week FROM indicator_counts ORDER BY week').pluck().all() as string[];
  return { full: true, weeks, ms: performance.now() - t0 };
}

/** Recounts the weeks marked dirty, a run of consecutive weeks at a time. */
export function recomputeDirty(store: Store, now = Date.now()): RefreshResult {
  const t0 = performance.now();
  const db = store.db;
  const weeks = db.transaction(() => {
    const dirty = db.prepare('SELECT week FROM indicator_dirty_weeks ORDER BY week').pluck().all() as string[];
    let i = 0;
    while (i < dirty.length) {
      let j = i;
      while (j + 1 < dirty.length && weekEnd(dirty[j]!) === weekStart(dirty[j + 1]!)) j++;
      countSpan(db, { from: weekStart(dirty[i]!), to: weekEnd(dirty[j]!) });
      i = j + 1;
    }
    markCounted(db, dirty);
    db.prepare('DELETE FROM indicator_dirty_weeks').run();
    saveWatermarks(db);
    setState(db, 'computed_at', now);
    return dirty;
  })();
  return { full: false, weeks, ms: performance.now() - t0 };
}

/** Gives the weeks just counted the next generation (see countsGeneration). */
function markCounted(db: Database.Database, weeks: readonly string[]): void {
  if (weeks.length === 0) return;
  const generation = Number(getState(db, 'counted_generation') ?? 1) + 1;
  setState(db, 'counted_generation', generation);
  const put = db.prepare('INSERT INTO indicator_weeks (week, generation) VALUES (?, ?) ON CONFLICT(week) DO UPDATE SET generation = excluded.generation');
  for (const w of weeks) put.run(w, generation);
}

/**
 * A value that changes whenever any week from…to (inclusive) is recounted, appears or goes:
 * the key under which something computed from those weeks' articles may be kept. Recounts
 * follow every new article, analysis and correction (refreshIndicators), so a cached view is
 * as fresh as the counts beside it.
 */
export function countsGeneration(store: Store, from: string, to: string): string {
  const r = store.db.prepare('SELECT COUNT(*) n, COALESCE(MAX(generation), 0) g FROM indicator_weeks WHERE week >= ? AND week <= ?').get(from, to) as { n: number; g: number };
  return `${r.n}.${r.g}`;
}

/**
 * Brings the counts up to date: a full recount the first time (or after the counting rules
 * changed, or with `full`), otherwise only the weeks touched since the last refresh.
 */
export function refreshIndicators(store: Store, opts: { full?: boolean; now?: number } = {}): RefreshResult {
  const now = opts.now ?? Date.now();
  if (opts.full || getState(store.db, 'counts_version') !== COUNTS_VERSION) return recomputeAll(store, now);
  const t0 = performance.now();
  store.db.transaction(() => markChanges(store, now))();
  const r = recomputeDirty(store, now);
  return { ...r, ms: performance.now() - t0 };
}

/** Stored counts for the weeks from…to (inclusive), optionally for some municipalities. */
export function readCounts(store: Store, from: string, to: string, municipalities?: readonly string[]): CountRow[] {
  const filter = municipalities && municipalities.length > 0 ? `AND municipality_code IN (${municipalities.map(() => '?').join(', ')})` : '';
  const rows = store.db
    .prepare(`SELECT week, municipality_code, group_id, articles, mentions, neg, neu, pos, voice, frames FROM indicator_counts WHERE week >= ? AND week <= ? ${filter}`)
    .raw()
    .all(from, to, ...(municipalities ?? [])) as [string, string, string, number, number, number, number, number, number, string][];
  return rows.map((r) => ({
    week: r[0],
    municipality_code: r[1],
    group_id: r[2],
    articles: r[3],
    mentions: r[4],
    neg: r[5],
    neu: r[6],
    pos: r[7],
    voice: r[8],
    frames: r[9] === '{}' ? {} : (JSON.parse(r[9]) as Record<string, number>),
  }));
}

/** First week each municipality has any local article: where its baselines may start. */
export function firstWeeks(store: Store): Map<string, string> {
  const rows = store.db
    .prepare(`SELECT municipality_code code, MIN(week) week FROM indicator_counts WHERE group_id = '' GROUP BY municipality_code`)
    .all() as { code: string; week: string }[];
  return new Map(rows.map((r) => [r.code, r.week]));
}

/** Earliest and latest counted weeks. */
export function countedWeeks(store: Store): { first: string; last: string } | null {
  // Two subqueries, each one step down the primary key; MIN and MAX in one SELECT scan the table.
  const r = store.db
    .prepare(`SELECT (SELECT MIN(week) FROM indicator_counts) first, (SELECT MAX(week) FROM indicator_counts) last`)
    .get() as { first: string | null; last: string | null };
  return r.first && r.last ? { first: r.first, last: r.last } : null;
}

