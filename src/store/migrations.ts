// Versioned schema. A migration is appended, never edited once released: stores in the
// field are at some version and are brought forward one step at a time in a transaction.
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'municipalities, feeds with health, polls, feed items, articles, sources, dedup index, raw pages',
    sql: `
      CREATE TABLE municipalities (
        code TEXT PRIMARY KEY,
        name_fi TEXT NOT NULL,
        name_sv TEXT NOT NULL,
        region TEXT NOT NULL
      );

      -- Config fields are copied from feeds.yaml on every start; the rest is feed health,
      -- kept by the poller.
      CREATE TABLE feeds (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL,
        region TEXT,
        interval_ms INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        in_config INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        last_attempt_at INTEGER,
        last_success_at INTEGER,
        last_new_item_at INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_poll_at INTEGER,
        last_status INTEGER,
        last_error TEXT
      );

      CREATE TABLE feed_municipalities (
        feed_id TEXT NOT NULL REFERENCES feeds(id),
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        PRIMARY KEY (feed_id, municipality_code)
      );

      CREATE TABLE polls (
        id INTEGER PRIMARY KEY,
        feed_id TEXT NOT NULL REFERENCES feeds(id),
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,          -- ok | not_modified | unchanged | error | gone
        http_status INTEGER,
        items INTEGER NOT NULL DEFAULT 0,
        new_items INTEGER NOT NULL DEFAULT 0,
        error TEXT
      );
      CREATE INDEX polls_feed_time ON polls(feed_id, started_at);

      -- Every item a feed has listed. An item's page is fetched once; the article it
      -- becomes is linked back to every feed item that points at it.
      CREATE TABLE feed_items (
        feed_id TEXT NOT NULL REFERENCES feeds(id),
        item_key TEXT NOT NULL,         -- guid when the feed gives one, else the URL
        url TEXT NOT NULL,              -- normalised link
        guid TEXT,
        title TEXT,
        description TEXT,
        author TEXT,
        published_at TEXT,
        first_seen_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',   -- pending | stored | failed | refused
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        article_id INTEGER REFERENCES articles(id),
        PRIMARY KEY (feed_id, item_key)
      );
      CREATE INDEX feed_items_url ON feed_items(url);
      CREATE INDEX feed_items_status ON feed_items(status);

      CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,       -- normalised URL it was first reached by
        canonical_url TEXT,
        final_url TEXT,
        title TEXT,
        lead TEXT,
        text TEXT NOT NULL,
        paragraphs_json TEXT NOT NULL,
        published_at TEXT,
        published_ts INTEGER,
        modified_at TEXT,
        author TEXT,
        section TEXT,
        site_name TEXT,
        language TEXT,
        paywalled INTEGER NOT NULL,
        used_feed_fallback INTEGER NOT NULL,
        word_count INTEGER NOT NULL,
        text_hash TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES articles(id),
        duplicate_similarity REAL,
        http_status INTEGER,
        fetched_at INTEGER NOT NULL,
        stored_at INTEGER NOT NULL
      );
      CREATE INDEX articles_text_hash ON articles(text_hash);
      CREATE INDEX articles_published ON articles(published_ts);
      CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

      -- Every URL an article is known by: item link, final URL after redirects, canonical.
      CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id)
      );

      CREATE TABLE article_sources (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        feed_id TEXT NOT NULL REFERENCES feeds(id),
        item_key TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        PRIMARY KEY (article_id, feed_id)
      );
      CREATE INDEX article_sources_feed ON article_sources(feed_id);

      -- Municipalities an article reached us through (the feeds' coverage). The analysis
      -- decides later which of them the story is actually about.
      CREATE TABLE article_municipalities (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        via TEXT NOT NULL,
        PRIMARY KEY (article_id, municipality_code, via)
      );
      CREATE INDEX article_municipalities_code ON article_municipalities(municipality_code);

      -- MinHash LSH bands for near-duplicate candidates (syndicated copies).
      CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band, bucket, article_id)
      ) WITHOUT ROWID;

      CREATE TABLE raw_pages (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        url TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        content_type TEXT,
        charset TEXT,
        html_gz BLOB NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'analysis results per article: locality, group mentions with evidence, tone, frame, voice',
    sql: `
      -- One row per analysed article, with the analysis version (lexicon and code hash) that
      -- produced it. result_json keeps the whole result with its evidence for show/export.
      CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL,
        analysed_at INTEGER NOT NULL,
        language TEXT,
        tone TEXT NOT NULL,             -- neg | neu | pos (article tone: aggregate of the mentions)
        tone_score REAL NOT NULL,
        frame TEXT,                     -- main frame; null when no group is mentioned
        body_offset INTEGER NOT NULL,   -- evidence offsets count from the title; the text starts here
        truncated INTEGER NOT NULL,
        result_json TEXT NOT NULL
      );
      CREATE INDEX analyses_version ON analyses(version);

      -- Which configured municipalities the story is about, as the analysis judged it.
      CREATE TABLE article_localities (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        score REAL NOT NULL,
        PRIMARY KEY (article_id, municipality_code)
      );
      CREATE INDEX article_localities_code ON article_localities(municipality_code);

      CREATE TABLE group_mentions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        group_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        surface TEXT NOT NULL,
        lemma TEXT NOT NULL,
        rule TEXT NOT NULL,
        sentence INTEGER NOT NULL,
        tone TEXT NOT NULL,
        tone_score REAL NOT NULL,
        frame TEXT NOT NULL
      );
      CREATE INDEX group_mentions_article ON group_mentions(article_id);
      CREATE INDEX group_mentions_group ON group_mentions(group_id);

      -- Per article and group: the unit the weekly indicators count.
      CREATE TABLE article_groups (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        group_id TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        tone TEXT NOT NULL,
        tone_score REAL NOT NULL,
        frame TEXT NOT NULL,
        voice INTEGER NOT NULL,         -- 1 when a member of the group speaks in the article
        PRIMARY KEY (article_id, group_id)
      ) WITHOUT ROWID;
      CREATE INDEX article_groups_group ON article_groups(group_id);
    `,
  },
  {
    version: 3,
    description: 'weekly indicator counts per municipality, week and group, with the weeks waiting for a recount',
    sql: `
      -- The counts every weekly indicator is computed from: original articles (syndicated
      -- copies count once) about a municipality in an ISO week (Europe/Helsinki), per group.
      -- group_id '' holds all local articles of the week. Derived data: it can be dropped and
      -- recounted from the articles at any time (mediamittari indicators refresh --full).
      CREATE TABLE indicator_counts (
        week TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        group_id TEXT NOT NULL,
        articles INTEGER NOT NULL,      -- articles (about the group)
        mentions INTEGER NOT NULL,      -- group mentions in them
        neg INTEGER NOT NULL,           -- articles by the group's tone in the article
        neu INTEGER NOT NULL,
        pos INTEGER NOT NULL,
        voice INTEGER NOT NULL,         -- articles where a member of the group speaks
        frames TEXT NOT NULL,           -- JSON object: frame → articles
        PRIMARY KEY (week, municipality_code, group_id)
      ) WITHOUT ROWID;

      -- Weeks whose articles, analyses or corrections changed since they were counted.
      CREATE TABLE indicator_dirty_weeks (
        week TEXT PRIMARY KEY,
        marked_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Watermarks of what the counts have seen, and the counting rules' version.
      CREATE TABLE indicator_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      -- A full recount reads originals' dates from this index alone, never the article rows
      -- (whose long texts spill into overflow pages); a re-analysis is found by its time.
      CREATE INDEX articles_originals_dates ON articles(duplicate_of, published_ts, fetched_at);
      CREATE INDEX analyses_analysed_at ON analyses(analysed_at);
    `,
  },
  {
    version: 4,
    description: 'dashboard: users, sessions, API tokens, analysts\' corrections, full-text search',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'operator')),
        password_hash TEXT NOT NULL,    -- scrypt$N$r$p$salt$key (base64)
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );

      -- The cookie holds a random token; only its SHA-256 is kept, so a copy of the store
      -- does not log anyone in.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_expires ON sessions(expires_at);

      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );

      -- Analysts' judgements of a group tag. The latest row (highest id) per article, group and
      -- field stands; rows are never updated or deleted, so the history of who said what stays.
      -- A row whose value equals machine_value confirms the analysis: agreement between machine
      -- and analysts (Krippendorff's alpha) is computed over confirmations and corrections alike.
      -- Re-analysis never touches this table.
      CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        group_id TEXT NOT NULL,
        field TEXT NOT NULL CHECK (field IN ('tone', 'frame', 'voice', 'present')),
        value TEXT NOT NULL,
        machine_value TEXT,             -- what the analysis said when the analyst judged
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        username TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        note TEXT
      );
      CREATE INDEX corrections_article ON corrections(article_id, group_id, field);
      CREATE INDEX corrections_created ON corrections(created_at);

      -- Full-text search over title, text and the text's base forms (lemmas from the analysis),
      -- so "maahanmuuttaja" finds "maahanmuuttajille". Contentless: the text lives in articles;
      -- rowid = articles.id. Filled by the store when an article is saved and re-filled with
      -- lemmas when it is analysed.
      CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, lemmas,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '3 5'
      );
      INSERT INTO article_search (rowid, title, body, lemmas) SELECT id, COALESCE(title, ''), text, '' FROM articles;
    `,
  },
  {
    version: 5,
    description: 'article browser: articles by date (originals and all), so a page of the newest is an index range',
    sql: `
      -- The browser lists articles newest first by publication time, or fetch time when undated,
      -- and filters weeks by it: with these a page is read from the index in order and a week
      -- is a range, instead of sorting every article per request.
      -- The key is written IFNULL(...), a form only the browser uses: SQLite matches an index
      -- expression as written, so queries with COALESCE(published_ts, fetched_at) keep their
      -- plans (an index they could use turned the export's id-ordered pages into a sort of the
      -- whole date range per page).
      CREATE INDEX articles_originals_listed ON articles(duplicate_of, IFNULL(published_ts, fetched_at));
      CREATE INDEX articles_listed ON articles(IFNULL(published_ts, fetched_at));
    `,
  },
  {
    version: 6,
    description: "dashboard: each town's first counted week without scanning every count",
    sql: `
      -- Baselines start at a town's first week with local articles (firstWeeks): with the key
      -- in this order that is one index step per town, not a scan of all counts per page.
      CREATE INDEX indicator_counts_first_week ON indicator_counts(group_id, municipality_code, week);
    `,
  },
  {
    version: 7,
    description: 'dashboard at scale: when each week was last counted (views derived from a week are cached until it changes); feed items by date',
    sql: `
      -- Every recount of a week gives it the next generation number. What is computed from a
      -- span of weeks (an alert's driving articles and distinctive terms, say) stays valid
      -- while the span's generations stay the same.
      CREATE TABLE indicator_weeks (
        week TEXT PRIMARY KEY,
        generation INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO indicator_weeks (week, generation) SELECT DISTINCT week, 1 FROM indicator_counts;

      -- The feeds page's items per feed and week: a week is a range of one of these (items
      -- dated by the feed, else by when first seen), read from the index alone.
      CREATE INDEX feed_items_published ON feed_items(published_at, feed_id) WHERE published_at IS NOT NULL;
      CREATE INDEX feed_items_undated ON feed_items(first_seen_at, feed_id, published_at) WHERE published_at IS NULL;
    `,
  },
  {
    version: 8,
    description: "article search: an article's duplicate link and time by id without reading its row",
    sql: `
      -- An article's row holds its text, so a search visiting thousands of hits read thousands
      -- of scattered pages just to learn whether each is a copy and when it appeared. Keyed by
      -- id, this holds those few values in a small, densely packed index (the browser names it
      -- with INDEXED BY). The time is in the form of migration 5's indexes.
      CREATE INDEX articles_by_id ON articles(id, duplicate_of, IFNULL(published_ts, fetched_at));
    `,
  },
];
