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
];
