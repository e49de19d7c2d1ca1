// The one store module: a single SQLite file (better-sqlite3, WAL) written by one process.
// Every write that belongs together runs in one transaction, so an interrupted run leaves
// either the whole article (with its URLs, sources and dedup entries) or nothing.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Analysis } from '../analyse/index.ts';
import type { AppConfig } from '../config/load.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { MIGRATIONS } from './migrations.ts';
import {
  containment, fingerprint, shingleHashes,
  FINGERPRINT_VERSION, MIN_WORDS_FOR_DEDUP, NEAR_DUPLICATE_CONTAINMENT, type TextFingerprint,
} from './dedup.ts';

export type PollOutcome = 'ok' | 'not_modified' | 'unchanged' | 'error' | 'gone';
export type ItemStatus = 'pending' | 'stored' | 'failed' | 'refused';

export interface FeedRow {
  id: string;
  name: string;
  url: string;
  kind: string;
  region: string | null;
  interval_ms: number;
  enabled: number;
  in_config: number;
  disabled_reason: string | null;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_new_item_at: number | null;
  consecutive_failures: number;
  next_poll_at: number | null;
  last_status: number | null;
  last_error: string | null;
}

export interface FeedItemInput {
  itemKey: string;
  url: string;
  guid: string | null;
  title: string | null;
  description: string | null;
  author: string | null;
  publishedAt: string | null;
}

export interface PendingItem extends FeedItemInput {
  feedId: string;
  attempts: number;
}

export interface PollRecord {
  feedId: string;
  startedAt: number;
  durationMs: number;
  outcome: PollOutcome;
  httpStatus: number | null;
  items: number;
  newItems: number;
  error: string | null;
  /** Feed state after the poll. */
  state: Pick<FeedRow, 'etag' | 'last_modified' | 'body_hash' | 'consecutive_failures' | 'next_poll_at' | 'disabled_reason'> & {
    success: boolean;
  };
}

export interface ArticleInput {
  /** Normalised link of the feed item that led to the page. */
  url: string;
  finalUrl: string | null;
  canonicalUrl: string | null;
  title: string | null;
  lead: string | null;
  paragraphs: string[];
  text: string;
  published: string | null;
  modified: string | null;
  author: string | null;
  section: string | null;
  siteName: string | null;
  language: string | null;
  paywalled: boolean;
  usedFeedFallback: boolean;
  wordCount: number;
  httpStatus: number | null;
  fetchedAt: number;
  /**
   * The page as fetched, kept for re-extraction: its HTML, or its HTML already gzipped
   * (base64), which is how the pipeline sends it between processes.
   */
  rawHtml?: ({ html: string } | { gzipBase64: string }) & { contentType: string; charset: string } | null;
  /** The text's dedup fingerprint when the pipeline computed it already; else the store does. */
  fingerprint?: TextFingerprint;
}

export interface SaveResult {
  articleId: number;
  created: boolean;
  /** How an existing article was recognised: by one of its URLs or by identical text. */
  matchedBy: 'url' | 'text' | null;
  duplicateOf: number | null;
  linkedItems: number;
}

/**
 * An article's time for listing and week filters (publication, else fetch), as SQL over alias
 * `a`. Written exactly as migration 5's indexes have it: SQLite matches an index expression
 * only as written, so a query using this form walks the date index.
 */
export const LISTED_TIME = 'IFNULL(a.published_ts, a.fetched_at)';

export interface StoreCounts {
  articles: number;
  originals: number;
  nearDuplicates: number;
  paywalled: number;
  sources: number;
  feedItems: Record<ItemStatus, number>;
  polls: number;
  rawPages: number;
}

export class Store {
  readonly db: Database.Database;
  /** Statements of the write path, prepared once: preparing costs more than running them. */
  private readonly statements = new Map<string, Database.Statement>();

  /**
   * `log` hears about schema updates of an existing store: new indexes on a large store take
   * a while (half a minute per index on a million articles), and a silent pause looks hung.
   */
  constructor(readonly path: string, opts: { log?: Logger } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate(opts.log ?? createLogger());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  get schemaVersion(): number {
    return (this.db.pragma('user_version', { simple: true }) as number) ?? 0;
  }

  private migrate(log: Logger): void {
    const current = this.schemaVersion;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new Error(`${this.path}: store schema is version ${current}, newer than this program knows (${latest}); upgrade Mediamittari`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      // A new store is created in one go; an existing one is told about, step by step.
      const existing = current > 0;
      const t0 = performance.now();
      if (existing) log.info('updating the store schema; on a large store this can take minutes', { store: this.path, version: m.version, what: m.description });
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.pragma(`user_version = ${m.version}`);
      })();
      if (existing) log.info('store schema updated', { store: this.path, version: m.version, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) });
    }
  }

  /** Copies municipalities and feeds from config; health and history are kept. */
  syncConfig(config: Pick<AppConfig, 'municipalities' | 'feeds'>): void {
    const upsertMuni = this.db.prepare(
      `INSERT INTO municipalities (code, name_fi, name_sv, region) VALUES (?, ?, ?, ?)
       ON CONFLICT(code) DO UPDATE SET name_fi = excluded.name_fi, name_sv = excluded.name_sv, region = excluded.region`,
    );
    const upsertFeed = this.db.prepare(
      `INSERT INTO feeds (id, name, url, kind, region, interval_ms, enabled, in_config)
       VALUES (@id, @name, @url, @kind, @region, @interval_ms, @enabled, 1)
       ON CONFLICT(id) DO UPDATE SET
         name = excluded.name, kind = excluded.kind, region = excluded.region,
         interval_ms = excluded.interval_ms, enabled = excluded.enabled, in_config = 1,
         -- a new address is a new start: forget validators, failures and a 410 verdict
         etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
         last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
         body_hash = CASE WHEN feeds.url = excluded.url THEN feeds.body_hash END,
         disabled_reason = CASE WHEN feeds.url = excluded.url THEN feeds.disabled_reason END,
         consecutive_failures = CASE WHEN feeds.url = excluded.url THEN feeds.consecutive_failures ELSE 0 END,
         next_poll_at = CASE WHEN feeds.url = excluded.url THEN feeds.next_poll_at END,
         url = excluded.url`,
    );
    this.db.transaction(() => {
      for (const m of config.municipalities) upsertMuni.run(m.code, m.nameFi, m.nameSv, m.region);
      this.db.prepare('UPDATE feeds SET in_config = 0').run();
      this.db.prepare('DELETE FROM feed_municipalities').run();
      const link = this.db.prepare('INSERT OR IGNORE INTO feed_municipalities (feed_id, municipality_code) VALUES (?, ?)');
      for (const f of config.feeds) {
        upsertFeed.run({ id: f.id, name: f.name, url: f.url, kind: f.kind, region: f.region, interval_ms: f.intervalMs, enabled: f.enabled ? 1 : 0 });
        for (const code of f.municipalities) link.run(f.id, code);
      }
    })();
  }

  feed(id: string): FeedRow | undefined {
    return this.statement('SELECT * FROM feeds WHERE id = ?').get(id) as FeedRow | undefined;
  }

  feeds(): FeedRow[] {
    return this.db.prepare('SELECT * FROM feeds WHERE in_config = 1 ORDER BY id').all() as FeedRow[];
  }

  feedMunicipalities(feedId: string): string[] {
    return (this.db.prepare('SELECT municipality_code FROM feed_municipalities WHERE feed_id = ? ORDER BY 1').all(feedId) as { municipality_code: string }[]).map(
      (r) => r.municipality_code,
    );
  }

  /** Feeds whose next poll time has come (or that were never polled). */
  dueFeeds(now: number): FeedRow[] {
    return this.db
      .prepare(
        `SELECT * FROM feeds WHERE in_config = 1 AND enabled = 1 AND disabled_reason IS NULL
         AND (next_poll_at IS NULL OR next_poll_at <= ?) ORDER BY COALESCE(next_poll_at, 0), id`,
      )
      .all(now) as FeedRow[];
  }

  recordPoll(p: PollRecord): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO polls (feed_id, started_at, duration_ms, outcome, http_status, items, new_items, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(p.feedId, p.startedAt, p.durationMs, p.outcome, p.httpStatus, p.items, p.newItems, p.error);
      this.db
        .prepare(
          `UPDATE feeds SET
             etag = @etag, last_modified = @last_modified, body_hash = @body_hash,
             last_attempt_at = @started, consecutive_failures = @failures, next_poll_at = @next,
             disabled_reason = @disabled, last_status = @status, last_error = @error,
             last_success_at = CASE WHEN @success THEN @started ELSE last_success_at END,
             last_new_item_at = CASE WHEN @new_items > 0 THEN @started ELSE last_new_item_at END
           WHERE id = @id`,
        )
        .run({
          id: p.feedId,
          etag: p.state.etag,
          last_modified: p.state.last_modified,
          body_hash: p.state.body_hash,
          started: p.startedAt,
          failures: p.state.consecutive_failures,
          next: p.state.next_poll_at,
          disabled: p.state.disabled_reason,
          status: p.httpStatus,
          error: p.error,
          success: p.state.success ? 1 : 0,
          new_items: p.newItems,
        });
    })();
  }

  /** Records the items a poll saw; returns how many this feed had not listed before. */
  recordFeedItems(feedId: string, items: FeedItemInput[], now: number): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO feed_items (feed_id, item_key, url, guid, title, description, author, published_at, first_seen_at)
       VALUES (@feedId, @itemKey, @url, @guid, @title, @description, @author, @publishedAt, @now)`,
    );
    let newItems = 0;
    this.db.transaction(() => {
      for (const item of items) if (insert.run({ ...item, feedId, now }).changes > 0) newItems++;
    })();
    return newItems;
  }

  /**
   * The feed's items whose page still has to be fetched. Items whose URL already belongs to
   * a stored article (another feed brought it first) are linked to it here instead, so an
   * article is fetched once however many feeds list it. Items that failed before are
   * offered again until they reach maxAttempts, also when the feed itself is unchanged.
   */
  pendingItems(feedId: string, now: number, maxAttempts: number, limit = 1000): PendingItem[] {
    const rows = this.db
      .prepare(
        `SELECT item_key itemKey, url, guid, title, description, author, published_at publishedAt, attempts
         FROM feed_items WHERE feed_id = ? AND status = 'pending' AND attempts < ? ORDER BY first_seen_at, item_key LIMIT ?`,
      )
      .all(feedId, maxAttempts, limit) as Omit<PendingItem, 'feedId'>[];
    const articleByUrl = this.statement('SELECT article_id FROM article_urls WHERE url = ?');
    const out: PendingItem[] = [];
    this.db.transaction(() => {
      for (const row of rows) {
        const known = articleByUrl.get(row.url) as { article_id: number } | undefined;
        if (known) this.linkItemsByUrl(known.article_id, [row.url], now);
        else out.push({ ...row, feedId });
      }
    })();
    return out;
  }

  /** The article id a URL is already stored under, if any. */
  articleIdByUrl(url: string): number | null {
    const row = this.db.prepare('SELECT article_id FROM article_urls WHERE url = ?').get(url) as { article_id: number } | undefined;
    return row?.article_id ?? null;
  }

  /**
   * A page could not be fetched or was refused. Pending items with that URL count an attempt;
   * permanent failures (refused address, robots, 404) are not tried again.
   */
  recordItemFailure(url: string, code: string, message: string, opts: { permanent: boolean; refused: boolean; maxAttempts: number }): void {
    const status: ItemStatus = opts.refused ? 'refused' : 'failed';
    this.statement(
      `UPDATE feed_items SET attempts = attempts + 1, last_error_code = @code, last_error = @message,
         status = CASE WHEN @permanent OR attempts + 1 >= @max THEN @status ELSE 'pending' END
       WHERE url = @url AND status = 'pending'`,
    )
      .run({ url, code, message, permanent: opts.permanent ? 1 : 0, max: opts.maxAttempts, status });
  }

  saveArticle(input: ArticleInput, now = Date.now()): SaveResult {
    return this.db.transaction((): SaveResult => {
      const urls = unique([input.url, input.finalUrl, input.canonicalUrl]);
      const byUrl = this.statement('SELECT article_id FROM article_urls WHERE url = ?');
      for (const u of urls) {
        const row = byUrl.get(u) as { article_id: number } | undefined;
        if (row) return this.attachUrls(row.article_id, urls, now, 'url');
      }
      const fp = input.fingerprint?.version === FINGERPRINT_VERSION ? input.fingerprint : fingerprint(input.text);
      const hash = fp.hash;
      if (fp.words >= MIN_WORDS_FOR_DEDUP) {
        const same = this.statement('SELECT id FROM articles WHERE text_hash = ? ORDER BY id LIMIT 1').get(hash) as { id: number } | undefined;
        if (same) return this.attachUrls(same.id, urls, now, 'text');
      }

      const buckets = fp.words >= MIN_WORDS_FOR_DEDUP ? fp.buckets : [];
      const near = buckets.length > 0 ? this.findNearDuplicate(input.text, buckets) : null;

      const publishedTs = input.published ? Date.parse(input.published) : NaN;
      // The original of a syndicated story is the copy published first, whichever order the
      // feeds brought them in: a new article published before the group's original takes
      // its place, and the group is re-pointed at it.
      const becomesOriginal = near !== null && Number.isFinite(publishedTs) && near.publishedTs !== null && publishedTs < near.publishedTs;
      const duplicateOf = near && !becomesOriginal ? near.id : null;
      const info = this.statement(
        `INSERT INTO articles (url, canonical_url, final_url, title, lead, text, paragraphs_json, published_at, published_ts,
           modified_at, author, section, site_name, language, paywalled, used_feed_fallback, word_count, text_hash,
           duplicate_of, duplicate_similarity, http_status, fetched_at, stored_at)
         VALUES (@url, @canonical, @final, @title, @lead, @text, @paragraphs, @published, @publishedTs, @modified, @author,
           @section, @siteName, @language, @paywalled, @fallback, @wordCount, @hash, @dupOf, @dupSim, @status, @fetchedAt, @now)`,
      )
        .run({
          url: input.url,
          canonical: input.canonicalUrl,
          final: input.finalUrl,
          title: input.title,
          lead: input.lead,
          text: input.text,
          paragraphs: JSON.stringify(input.paragraphs),
          published: input.published,
          publishedTs: Number.isFinite(publishedTs) ? publishedTs : null,
          modified: input.modified,
          author: input.author,
          section: input.section,
          siteName: input.siteName,
          language: input.language,
          paywalled: input.paywalled ? 1 : 0,
          fallback: input.usedFeedFallback ? 1 : 0,
          wordCount: input.wordCount,
          hash,
          dupOf: duplicateOf,
          dupSim: duplicateOf !== null ? near!.similarity : null,
          status: input.httpStatus,
          fetchedAt: input.fetchedAt,
          now,
        });
      const articleId = Number(info.lastInsertRowid);
      if (becomesOriginal) {
        this.statement('UPDATE articles SET duplicate_of = ?, duplicate_similarity = COALESCE(duplicate_similarity, ?) WHERE id = ? OR duplicate_of = ?')
          .run(articleId, near!.similarity, near!.id, near!.id);
      }
      const band = this.statement('INSERT OR IGNORE INTO minhash_bands (band, bucket, article_id) VALUES (?, ?, ?)');
      buckets.forEach((bucket, i) => band.run(i, bucket, articleId));
      const raw = input.rawHtml;
      if (raw) {
        const gz = 'gzipBase64' in raw ? Buffer.from(raw.gzipBase64, 'base64') : gzipSync(raw.html);
        this.statement('INSERT OR REPLACE INTO raw_pages (article_id, url, fetched_at, content_type, charset, html_gz) VALUES (?, ?, ?, ?, ?, ?)')
          .run(articleId, input.finalUrl ?? input.url, input.fetchedAt, raw.contentType, raw.charset, gz);
      }
      const result = this.attachUrls(articleId, urls, now, null);
      return { ...result, created: true, duplicateOf };
    })();
  }

  /** The original (group root) of the closest near-copy among LSH candidates, if any. */
  private findNearDuplicate(text: string, buckets: number[]): { id: number; similarity: number; publishedTs: number | null } | null {
    const candidates = new Set<number>();
    const q = this.statement('SELECT article_id FROM minhash_bands WHERE band = ? AND bucket = ? LIMIT 50');
    buckets.forEach((bucket, band) => {
      for (const r of q.all(band, bucket) as { article_id: number }[]) candidates.add(r.article_id);
    });
    let best: { id: number; similarity: number } | null = null;
    const load = this.statement('SELECT id, text, duplicate_of FROM articles WHERE id = ?');
    const published = this.statement('SELECT published_ts FROM articles WHERE id = ?');
    // Most texts share no bucket with any other: their shingles are needed only for candidates.
    let shingles: Set<number> | undefined;
    for (const id of candidates) {
      const row = load.get(id) as { id: number; text: string; duplicate_of: number | null } | undefined;
      if (!row) continue;
      shingles ??= shingleHashes(text);
      const sim = containment(shingles, shingleHashes(row.text));
      if (sim >= NEAR_DUPLICATE_CONTAINMENT && (!best || sim > best.similarity)) {
        // Point at the first copy of the story, so copies of copies form one group.
        best = { id: row.duplicate_of ?? row.id, similarity: sim };
      }
    }
    if (!best) return null;
    const root = published.get(best.id) as { published_ts: number | null };
    return { ...best, publishedTs: root.published_ts };
  }

  private attachUrls(articleId: number, urls: string[], now: number, matchedBy: SaveResult['matchedBy']): SaveResult {
    const add = this.statement('INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)');
    for (const u of urls) add.run(u, articleId);
    const linkedItems = this.linkItemsByUrl(articleId, urls, now);
    const dup = this.statement('SELECT duplicate_of FROM articles WHERE id = ?').get(articleId) as { duplicate_of: number | null };
    return { articleId, created: false, matchedBy, duplicateOf: dup.duplicate_of, linkedItems };
  }

  /** Links every feed item pointing at one of the URLs to the article, with its feed's towns. */
  private linkItemsByUrl(articleId: number, urls: string[], now: number): number {
    const items = this.statement(`SELECT feed_id, item_key FROM feed_items WHERE url = ? AND article_id IS NULL`);
    const mark = this.statement(`UPDATE feed_items SET status = 'stored', article_id = ? WHERE feed_id = ? AND item_key = ?`);
    const source = this.statement(
      'INSERT OR IGNORE INTO article_sources (article_id, feed_id, item_key, first_seen_at) VALUES (?, ?, ?, ?)',
    );
    const towns = this.statement(
      `INSERT OR IGNORE INTO article_municipalities (article_id, municipality_code, via)
       SELECT ?, municipality_code, 'feed' FROM feed_municipalities WHERE feed_id = ?`,
    );
    let linked = 0;
    for (const url of urls) {
      for (const it of items.all(url) as { feed_id: string; item_key: string }[]) {
        mark.run(articleId, it.feed_id, it.item_key);
        source.run(articleId, it.feed_id, it.item_key, now);
        towns.run(articleId, it.feed_id);
        linked++;
      }
    }
    return linked;
  }

  /**
   * Replaces the analysis of an article (a re-analysis after a lexicon change overwrites the
   * previous one in one transaction; analysts' corrections live elsewhere and are kept).
   */
  saveAnalysis(articleId: number, a: Analysis, now = Date.now()): void {
    const perGroup = summariseGroups(a);
    // The search lemmas go to the full-text index, not into every stored result.
    const { lemmas, ...kept } = a;
    this.db.transaction(() => {
      this.statement('DELETE FROM group_mentions WHERE article_id = ?').run(articleId);
      this.statement('DELETE FROM article_groups WHERE article_id = ?').run(articleId);
      this.statement('DELETE FROM article_localities WHERE article_id = ?').run(articleId);
      this.statement(
        `INSERT OR REPLACE INTO analyses (article_id, version, analysed_at, language, tone, tone_score, frame, body_offset, truncated, result_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
        .run(articleId, a.version, now, a.language, a.tone.label, a.tone.score, a.frame, a.bodyOffset, a.truncated ? 1 : 0, JSON.stringify(kept));
      const mention = this.statement(
        `INSERT INTO group_mentions (article_id, group_id, start, end, surface, lemma, rule, sentence, tone, tone_score, frame)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const m of a.mentions) mention.run(articleId, m.group, m.start, m.end, m.surface, m.lemma, m.rule, m.sentence, m.tone.label, m.tone.score, m.frame);
      const group = this.statement('INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const g of perGroup) group.run(articleId, g.group, g.mentions, g.tone, g.toneScore, g.frame, g.voice ? 1 : 0);
      const place = this.statement('INSERT OR IGNORE INTO article_localities (article_id, municipality_code, score) SELECT ?, code, ? FROM municipalities WHERE code = ?');
      for (const m of a.municipalities) place.run(articleId, m.score, m.code);
      this.indexForSearch(articleId, lemmas ?? []);
    })();
  }

  /** Drops kept page HTML older than the retention; the extracted article stays. */
  purgeRawPages(olderThan: number): number {
    return this.db.prepare('DELETE FROM raw_pages WHERE fetched_at < ?').run(olderThan).changes;
  }

  counts(): StoreCounts {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const feedItems = { pending: 0, stored: 0, failed: 0, refused: 0 } as Record<ItemStatus, number>;
    for (const r of this.db.prepare('SELECT status, COUNT(*) n FROM feed_items GROUP BY status').all() as { status: ItemStatus; n: number }[]) {
      feedItems[r.status] = r.n;
    }
    return {
      articles: one('SELECT COUNT(*) n FROM articles'),
      originals: one('SELECT COUNT(*) n FROM articles WHERE duplicate_of IS NULL'),
      nearDuplicates: one('SELECT COUNT(*) n FROM articles WHERE duplicate_of IS NOT NULL'),
      paywalled: one('SELECT COUNT(*) n FROM articles WHERE paywalled = 1'),
      sources: one('SELECT COUNT(*) n FROM article_sources'),
      feedItems,
      polls: one('SELECT COUNT(*) n FROM polls'),
      rawPages: one('SELECT COUNT(*) n FROM raw_pages'),
    };
  }

  /** Articles per feed and per municipality (through the feeds they came from). */
  articlesPerFeed(): { feed_id: string; name: string; articles: number; failed: number; refused: number }[] {
    return this.db
      .prepare(
        `SELECT f.id feed_id, f.name,
           (SELECT COUNT(*) FROM article_sources s WHERE s.feed_id = f.id) articles,
           (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id AND i.status = 'failed') failed,
           (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id AND i.status = 'refused') refused
         FROM feeds f WHERE f.in_config = 1 ORDER BY f.id`,
      )
      .all() as { feed_id: string; name: string; articles: number; failed: number; refused: number }[];
  }

  articlesPerMunicipality(): { code: string; name: string; articles: number }[] {
    return this.db
      .prepare(
        `SELECT m.code, m.name_fi name, COUNT(DISTINCT am.article_id) articles
         FROM municipalities m LEFT JOIN article_municipalities am ON am.municipality_code = m.code
         GROUP BY m.code ORDER BY m.code`,
      )
      .all() as { code: string; name: string; articles: number }[];
  }

  /** Item failures, newest first, for `status` and operators. */
  itemProblems(limit = 20): { feed_id: string; url: string; status: string; code: string | null; error: string | null; attempts: number }[] {
    return this.db
      .prepare(
        `SELECT feed_id, url, status, last_error_code code, last_error error, attempts FROM feed_items
         WHERE last_error IS NOT NULL ORDER BY first_seen_at DESC LIMIT ?`,
      )
      .all(limit) as { feed_id: string; url: string; status: string; code: string | null; error: string | null; attempts: number }[];
  }

  /** New items per feed per ISO-ish week bucket, used to judge what a feed's usual pace is. */
  itemTimes(feedId: string, limit = 50): number[] {
    return (
      this.db
        .prepare(
          `SELECT COALESCE(strftime('%s', published_at) * 1000, first_seen_at) t FROM feed_items
           WHERE feed_id = ? ORDER BY t DESC LIMIT ?`,
        )
        .all(feedId, limit) as { t: number }[]
    ).map((r) => Number(r.t));
  }

  /**
   * (Re)writes the article's row of the full-text index: title, text and the base forms of its
   * words. The index is contentless, so a row is replaced by deleting it first.
   */
  private indexForSearch(articleId: number, lemmas: readonly string[]): void {
    this.statement('DELETE FROM article_search WHERE rowid = ?').run(articleId);
    this.statement(`INSERT INTO article_search (rowid, title, body, lemmas) SELECT id, COALESCE(title, ''), text, ? FROM articles WHERE id = ?`).run(lemmas.join(' '), articleId);
  }
}

/**
 * Per group in an article: its mentions' tone (the mean score, labelled as the analysis
 * labels a mention), the most frequent frame, and whether a member of the group speaks.
 */
export function summariseGroups(a: Analysis): { group: string; mentions: number; tone: string; toneScore: number; frame: string; voice: boolean }[] {
  const out = [];
  for (const group of a.groups) {
    const ms = a.mentions.filter((m) => m.group === group);
    if (ms.length === 0) continue;
    const neg = ms.filter((m) => m.tone.label === 'neg').length;
    const pos = ms.filter((m) => m.tone.label === 'pos').length;
    // Relations tone: one hostile passage makes the group's coverage in the article negative
    // unless positive passages outnumber it.
    const tone = neg > 0 && neg >= pos ? 'neg' : pos > 0 ? 'pos' : 'neu';
    const frames = new Map<string, number>();
    for (const m of ms) frames.set(m.frame, (frames.get(m.frame) ?? 0) + 1);
    const frame = [...frames.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0];
    out.push({
      group,
      mentions: ms.length,
      tone,
      toneScore: ms.reduce((s, m) => s + m.tone.score, 0) / ms.length,
      frame,
      voice: a.voice.some((v) => v.group === group && v.speaks),
    });
  }
  return out;
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

export function openStore(path: string): Store {
  return new Store(path);
}
