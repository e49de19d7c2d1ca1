import { describe, expect, it } from 'vitest';
import { backoffDelay, feedHealth, usualGap } from '../../src/feeds/health.ts';
import type { FeedRow } from '../../src/store/store.ts';

const HOUR = 3_600_000;
const feed = (over: Partial<FeedRow>): FeedRow => ({
  id: 'f', name: 'F', url: 'https://a.fi/rss', kind: 'local_paper', region: null, interval_ms: HOUR, enabled: 1, in_config: 1,
  disabled_reason: null, etag: null, last_modified: null, body_hash: null, last_attempt_at: null, last_success_at: null,
  last_new_item_at: null, consecutive_failures: 0, next_poll_at: null, last_status: null, last_error: null, ...over,
});
const settings = { backoffMaxMs: 24 * HOUR, silentAfterIntervals: 4 };

describe('backoff', () => {
  it('doubles per failure up to the cap', () => {
    expect(backoffDelay(HOUR, 0, 24 * HOUR)).toBe(HOUR);
    expect(backoffDelay(HOUR, 1, 24 * HOUR)).toBe(2 * HOUR);
    expect(backoffDelay(HOUR, 3, 24 * HOUR)).toBe(8 * HOUR);
    expect(backoffDelay(HOUR, 10, 24 * HOUR)).toBe(24 * HOUR);
    expect(backoffDelay(HOUR, 1000, 24 * HOUR)).toBe(24 * HOUR);
  });
});

describe('silent feeds', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  // A feed that usually has a new item every 2 hours.
  const times = Array.from({ length: 10 }, (_, i) => now - 30 * HOUR - i * 2 * HOUR);
  it('uses the median gap between items', () => {
    expect(usualGap(times)).toBe(2 * HOUR);
    expect(usualGap([1, 2])).toBeNull();
  });
  it('flags a feed with nothing new for several usual gaps, not a merely quiet hour', () => {
    const quiet = feedHealth(feed({ last_attempt_at: now, last_success_at: now, last_new_item_at: now - 3 * HOUR }), times, now, settings);
    expect(quiet.silent).toBe(false);
    expect(quiet.state).toBe('ok');
    const silent = feedHealth(feed({ last_attempt_at: now, last_success_at: now, last_new_item_at: now - 30 * HOUR }), times, now, settings);
    expect(silent.silent).toBe(true);
    expect(silent.state).toBe('silent');
  });
  it('reports failing and disabled feeds', () => {
    expect(feedHealth(feed({ last_attempt_at: now, consecutive_failures: 2 }), [], now, settings).state).toBe('failing');
    expect(feedHealth(feed({ disabled_reason: 'HTTP 410 Gone' }), [], now, settings).state).toBe('disabled');
    expect(feedHealth(feed({}), [], now, settings).state).toBe('never_polled');
  });
});
