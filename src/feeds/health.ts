// Feed health: when to poll next and whether a feed needs an operator's eye. Pure functions
// over the stored state, so the rules are easy to test and the same in every runner.
import type { FeedRow, Store } from '../store/store.ts';

export interface HealthSettings {
  backoffMaxMs: number;
  silentAfterIntervals: number;
}

/** Wait before the next poll after `failures` failures in a row: doubles up to the cap. */
export function backoffDelay(intervalMs: number, failures: number, capMs: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(capMs, intervalMs * 2 ** Math.min(failures, 30));
}

export interface FeedHealth {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastNewItemAt: string | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** Usual gap between new items, from the items' dates. */
  usualGapMs: number | null;
  silent: boolean;
  state: 'ok' | 'failing' | 'silent' | 'disabled' | 'never_polled';
}

export function feedHealth(feed: FeedRow, itemTimes: number[], now: number, s: HealthSettings): FeedHealth {
  const usualGapMs = usualGap(itemTimes);
  // A feed is silent when nothing new has come for several of its usual gaps (never less
  // than several poll intervals, so a feed polled hourly is not flagged after an hour).
  const expectedGap = Math.max(usualGapMs ?? feed.interval_ms, feed.interval_ms);
  const lastNew = feed.last_new_item_at ?? null;
  const silent = lastNew !== null && feed.last_success_at !== null && now - lastNew > s.silentAfterIntervals * expectedGap;
  const enabled = feed.enabled === 1 && feed.disabled_reason === null;
  const state: FeedHealth['state'] = !enabled
    ? 'disabled'
    : feed.last_attempt_at === null
      ? 'never_polled'
      : feed.consecutive_failures > 0
        ? 'failing'
        : silent
          ? 'silent'
          : 'ok';
  return {
    id: feed.id,
    name: feed.name,
    url: feed.url,
    enabled,
    disabledReason: feed.disabled_reason,
    lastAttemptAt: iso(feed.last_attempt_at),
    lastSuccessAt: iso(feed.last_success_at),
    lastNewItemAt: iso(lastNew),
    consecutiveFailures: feed.consecutive_failures,
    nextPollAt: iso(feed.next_poll_at),
    lastStatus: feed.last_status,
    lastError: feed.last_error,
    usualGapMs,
    silent,
    state,
  };
}

/** Median gap between consecutive item times (newest first or any order). */
export function usualGap(times: number[]): number | null {
  const sorted = times.filter(Number.isFinite).sort((a, b) => b - a);
  if (sorted.length < 3) return null;
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i - 1]! - sorted[i]!);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

/** Health of every configured feed in the store. */
export function feedHealthReport(store: Store, settings: HealthSettings, now = Date.now()): FeedHealth[] {
  return store.feeds().map((f) => feedHealth(f, store.itemTimes(f.id), now, settings));
}
