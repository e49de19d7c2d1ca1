// One poll of one feed: conditional GET, a body-hash check for servers whose validators
// never change, parsing, and the feed's next state. Failures are returned as data (an
// outcome with a message) so one broken feed is recorded and the others go on.
import { createHash } from 'node:crypto';
import { HttpError, type HttpClient } from '../http/index.ts';
import type { FeedItemInput, FeedRow, PollOutcome, PollRecord } from '../store/store.ts';
import { backoffDelay, type HealthSettings } from './health.ts';
import { FeedParseError, parseFeed } from './parseFeed.ts';

export interface PollResult {
  record: Omit<PollRecord, 'newItems'>;
  items: FeedItemInput[];
  /** Problems with single items (no link); the feed itself was fine. */
  warnings: string[];
}

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

export async function pollFeed(
  feed: Pick<FeedRow, 'id' | 'url' | 'interval_ms' | 'etag' | 'last_modified' | 'body_hash' | 'consecutive_failures'>,
  http: HttpClient,
  settings: HealthSettings,
  now: () => number = Date.now,
  signal?: AbortSignal,
): Promise<PollResult> {
  const startedAt = now();
  const headers: Record<string, string> = {};
  if (feed.etag) headers['if-none-match'] = feed.etag;
  if (feed.last_modified) headers['if-modified-since'] = feed.last_modified;

  const done = (
    outcome: PollOutcome,
    fields: { status?: number | null; error?: string | null; items?: FeedItemInput[]; etag?: string | null; lastModified?: string | null; bodyHash?: string | null; retryAfterMs?: number },
  ): PollResult => {
    const success = outcome === 'ok' || outcome === 'not_modified' || outcome === 'unchanged';
    const failures = success ? 0 : feed.consecutive_failures + 1;
    const finished = now();
    let wait = backoffDelay(feed.interval_ms, failures, settings.backoffMaxMs);
    if (fields.retryAfterMs !== undefined) wait = Math.max(wait, fields.retryAfterMs);
    return {
      record: {
        feedId: feed.id,
        startedAt,
        durationMs: finished - startedAt,
        outcome,
        httpStatus: fields.status ?? null,
        items: fields.items?.length ?? 0,
        error: fields.error ?? null,
        state: {
          etag: fields.etag !== undefined ? fields.etag : feed.etag,
          last_modified: fields.lastModified !== undefined ? fields.lastModified : feed.last_modified,
          body_hash: fields.bodyHash !== undefined ? fields.bodyHash : feed.body_hash,
          consecutive_failures: failures,
          next_poll_at: outcome === 'gone' ? null : startedAt + wait,
          disabled_reason: outcome === 'gone' ? `HTTP 410 Gone at ${new Date(startedAt).toISOString()}: the publisher removed the feed` : null,
          success,
        },
      },
      items: fields.items ?? [],
      warnings: [],
    };
  };

  let res;
  try {
    res = await http.fetch({ url: feed.url, headers, accept: FEED_ACCEPT, signal });
  } catch (e) {
    if (e instanceof HttpError) {
      if (e.status === 410) return done('gone', { status: 410, error: e.message });
      return done('error', { status: e.status ?? null, error: e.message, retryAfterMs: e.retryAfterMs });
    }
    throw e;
  }

  if (res.status === 304) return done('not_modified', { status: 304 });

  const bodyHash = createHash('sha256').update(res.body).digest('hex');
  const validators = { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null, bodyHash };
  // Some servers send a fresh ETag with every response, or none at all: an identical body
  // means nothing new either way, and parsing it again would only cost time.
  if (feed.body_hash === bodyHash) return done('unchanged', { status: res.status, ...validators });

  try {
    const parsed = await parseFeed(res.text(), res.url);
    const result = done('ok', { status: res.status, items: parsed.items, ...validators });
    result.warnings = parsed.skipped.map((s) => `item ${s.index}: ${s.reason}`);
    return result;
  } catch (e) {
    if (e instanceof FeedParseError) {
      // Keep the old validators: the next poll must fetch and parse the body again.
      return done('error', { status: res.status, error: `${feed.url}: ${e.message}` });
    }
    throw e;
  }
}
