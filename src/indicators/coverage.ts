// Coverage of a municipality-week: were the feeds that cover the town up, and how many local
// articles were seen against the town's usual number. A quiet week with little coverage is
// marked, so that it is not read as a calm one.
import type { Store } from '../store/store.ts';
import type { CoverageSettings } from './definitions.ts';
import { median } from './stats.ts';
import { weekEnd, weekRange, weekStart } from './week.ts';

export type CoverageFlag = 'ok' | 'low' | 'unknown';

export interface Coverage {
  municipalityCode: string;
  week: string;
  /** Local original articles of the week. */
  articles: number;
  /** Median of the local articles per week over the baseline weeks; null without enough of them. */
  usual: number | null;
  baselineWeeks: number;
  /** articles / usual; null when the usual level is unknown or zero. */
  ratio: number | null;
  /** Enabled feeds covering the town, those polled in the week, and those with a successful poll. */
  feeds: number;
  feedsPolled: number;
  feedsUp: number;
  flag: CoverageFlag;
  reasons: ('few_articles' | 'feeds_down')[];
}

/** Per feed and week: was it polled, and did a poll succeed. */
export interface FeedWeek {
  polled: boolean;
  up: boolean;
}

const SUCCESS = new Set(['ok', 'not_modified', 'unchanged']);

/** Poll outcomes of the feeds per week over the weeks from…to: one index range per feed-week. */
export function readFeedWeeks(store: Store, from: string, to: string, feedIds: readonly string[]): Map<string, Map<string, FeedWeek>> {
  // Whether any poll and any successful poll happened: the first of each in the index range
  // answers, where counting read every poll of the week (one every half hour per feed).
  const q = store.db.prepare(
    `SELECT EXISTS (SELECT 1 FROM polls WHERE feed_id = @feed AND started_at >= @start AND started_at < @end) polled,
       EXISTS (SELECT 1 FROM polls WHERE feed_id = @feed AND started_at >= @start AND started_at < @end
               AND outcome IN (${[...SUCCESS].map((o) => `'${o}'`).join(', ')})) up`,
  );
  const weeks = weekRange(from, to).map((w) => ({ w, start: weekStart(w), end: weekEnd(w) }));
  const out = new Map<string, Map<string, FeedWeek>>();
  for (const feed of feedIds) {
    const byWeek = new Map<string, FeedWeek>();
    for (const { w, start, end } of weeks) {
      const r = q.get({ feed, start, end }) as { polled: number; up: number };
      if (r.polled > 0) byWeek.set(w, { polled: true, up: r.up === 1 });
    }
    out.set(feed, byWeek);
  }
  return out;
}

/** Enabled, configured feeds per municipality code. */
export function readCoveringFeeds(store: Store): Map<string, string[]> {
  const rows = store.db
    .prepare(
      `SELECT fm.municipality_code code, fm.feed_id FROM feed_municipalities fm JOIN feeds f ON f.id = fm.feed_id
       WHERE f.in_config = 1 AND f.enabled = 1 ORDER BY fm.feed_id`,
    )
    .all() as { code: string; feed_id: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.code, [...(out.get(r.code) ?? []), r.feed_id]);
  return out;
}

/**
 * Coverage of one municipality-week: its local articles, those of the baseline weeks before it
 * (back to the town's first monitored week), and the poll outcomes of the feeds covering it.
 */
export function coverageOf(
  municipalityCode: string,
  week: string,
  articles: number,
  baseline: readonly number[],
  feeds: readonly string[],
  feedWeeks: Map<string, Map<string, FeedWeek>>,
  settings: CoverageSettings,
): Coverage {
  const usual = baseline.length >= settings.minBaselineWeeks ? median(baseline) : null;
  const ratio = usual !== null && usual > 0 ? articles / usual : null;
  let feedsPolled = 0;
  let feedsUp = 0;
  for (const f of feeds) {
    const fw = feedWeeks.get(f)?.get(week);
    if (fw?.polled) feedsPolled++;
    if (fw?.up) feedsUp++;
  }
  const reasons: Coverage['reasons'] = [];
  if (ratio !== null && ratio < settings.lowArticlesRatio) reasons.push('few_articles');
  // No poll at all in the week (history from before monitoring, or a backfill) says nothing
  // about the feeds; some polled but not up is an outage.
  const feedsKnown = feeds.length > 0 && feedsPolled > 0;
  if (feedsKnown && feedsUp / feeds.length < settings.minFeedsUpShare) reasons.push('feeds_down');
  const flag: CoverageFlag = reasons.length > 0 ? 'low' : ratio !== null || feedsKnown ? 'ok' : 'unknown';
  return {
    municipalityCode,
    week,
    articles,
    usual,
    baselineWeeks: baseline.length,
    ratio,
    feeds: feeds.length,
    feedsPolled,
    feedsUp,
    flag,
    reasons,
  };
}
