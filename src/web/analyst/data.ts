// What the analyst pages share: the indicator catalogue of the current config, counts kept
// fresh without a write on every request, the weeks that have data, and request parameters.
import type { AppConfig } from '../../config/load.ts';
import {
  addWeeks, compareWeeks, countedWeeks, indicatorsFile, isWeek, loadIndicatorCatalogue, refreshIndicators, weekOf,
  type IndicatorCatalogue,
} from '../../indicators/index.ts';
import type { Store } from '../../store/store.ts';
import type { WebContext } from '../server.ts';

const catalogues = new WeakMap<AppConfig, IndicatorCatalogue>();

/** The indicator definitions of the config in force (re-read when the config is reloaded). */
export function catalogueOf(ctx: WebContext): IndicatorCatalogue {
  const config = ctx.config();
  let c = catalogues.get(config);
  if (!c) catalogues.set(config, (c = loadIndicatorCatalogue(indicatorsFile(config.dir))));
  return c;
}

/** How often a page may bring the counts up to date; in between it reads them as they are. */
const REFRESH_INTERVAL_MS = 5_000;
const lastRefresh = new WeakMap<Store, number>();

/**
 * Brings the weekly counts up to date with new articles, analyses and corrections, at most
 * once per interval: a refresh with nothing new is a handful of index lookups, but it is a
 * write, and the collector writes to the same file. A busy store leaves the counts as they
 * were rather than failing the page.
 */
export function freshCounts(ctx: WebContext, now = Date.now()): void {
  const store = ctx.store;
  const last = lastRefresh.get(store);
  if (last !== undefined && now - last < REFRESH_INTERVAL_MS) return;
  lastRefresh.set(store, now);
  try {
    const r = refreshIndicators(store, { now });
    if (r.full || r.weeks.length > 0) ctx.log.info('indicator counts refreshed', { full: r.full, weeks: r.weeks.length, ms: Math.round(r.ms) });
  } catch (e) {
    ctx.log.warn('could not refresh the indicator counts; showing them as they were', { error: (e as Error).message });
  }
}

/** Weeks with counts, newest first. */
export function weeksWithData(store: Store): string[] {
  const span = countedWeeks(store);
  if (!span) return [];
  const out: string[] = [];
  for (let w = span.last; compareWeeks(w, span.first) >= 0 && out.length < 520; w = addWeeks(w, -1)) out.push(w);
  return out;
}

/**
 * The week asked for when it is a real ISO week, else the latest week with data up to the
 * current one (an article dated in the future does not move the pages there), or the latest
 * of all when every counted week lies ahead of the clock.
 */
export function chosenWeek(asked: unknown, weeks: readonly string[], now = Date.now()): string | null {
  if (typeof asked === 'string' && isWeek(asked.trim())) return asked.trim();
  const current = weekOf(now);
  return weeks.find((w) => compareWeeks(w, current) <= 0) ?? weeks[0] ?? null;
}

/** A query parameter as one trimmed string ('' when absent or repeated oddly). */
export function param(q: unknown, name: string): string {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, 1000) : '';
}

const groupLists = new WeakMap<Store, { at: number; groups: string[] }>();

/** Groups the counts know (tagged anywhere), remembered for a minute: the filter menus need them on every page. */
export function taggedGroups(store: Store, now = Date.now()): string[] {
  const hit = groupLists.get(store);
  if (hit && now - hit.at < 60_000) return hit.groups;
  const groups = store.db.prepare(`SELECT DISTINCT group_id FROM indicator_counts WHERE group_id <> ''`).pluck().all() as string[];
  groupLists.set(store, { at: now, groups });
  return groups;
}
