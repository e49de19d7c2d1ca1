// Indicators and alerts for the API: the same rows as `indicators export` and the same alerts
// as `indicators alerts`, computed from the weekly counts after bringing them up to date (an
// analyst's correction shows in the next request).
import {
  alertEvidence, compareWeeks, computeIndicatorSet, countedWeeks, exportRow, firedAlerts, forEachIndicatorValue, formatWeek, indicatorsFile,
  lastCompleteWeek, loadIndicatorCatalogue, parseWeek, refreshIndicators, type ExportRow, type IndicatorCatalogue,
} from '../../indicators/index.ts';
import { splitList } from '../../export/request.ts';
import { helsinkiIso } from '../../export/time.ts';
import type { AppConfig } from '../../config/load.ts';
import type { WebContext } from '../server.ts';
import { ApiError } from './errors.ts';
import { catalogueOf, municipalityCodes } from './filters.ts';

const catalogues = new WeakMap<AppConfig, IndicatorCatalogue>();

function indicatorCatalogue(ctx: WebContext): IndicatorCatalogue {
  const config = ctx.config();
  let c = catalogues.get(config);
  if (!c) catalogues.set(config, (c = loadIndicatorCatalogue(indicatorsFile(config.dir))));
  return c;
}

/** Recounts the weeks touched since the last refresh; a busy store leaves the counts as they are for now. */
function refresh(ctx: WebContext): void {
  try {
    refreshIndicators(ctx.store);
  } catch (e) {
    ctx.log.warn('could not bring the indicator counts up to date; serving the stored ones', { error: (e as Error).message });
  }
}

function week(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const w = parseWeek(value);
  if (!w) throw new ApiError(400, `${name}=${value}: not an ISO week; write it as 2026-W47`, [name]);
  return formatWeek(w);
}

function known(values: string[] | undefined, allowed: readonly string[], name: string, what: string): Set<string> | null {
  if (!values || values.length === 0) return null;
  const bad = values.filter((v) => !allowed.includes(v));
  if (bad.length > 0) throw new ApiError(400, `${name}=${bad.join(',')}: unknown ${what}; known: ${allowed.join(', ')}`, [name]);
  return new Set(values);
}

export interface IndicatorQuery {
  from?: string;
  to?: string;
  municipality?: string[];
  group?: string[];
  indicator?: string[];
}

export function indicatorRows(ctx: WebContext, q: IndicatorQuery, now = Date.now()): { from: string; to: string; rows: ExportRow[] } {
  const catalogue = indicatorCatalogue(ctx);
  let from = week(q.from, 'from');
  let to = week(q.to, 'to');
  const municipalities = municipalityCodes(ctx, q.municipality);
  // Municipality-level indicators have group '' and are asked for with an empty group value.
  const groups = known(q.group?.flatMap((g) => (g.trim() === '' ? [''] : splitList([g]))), ['', ...catalogueOf(ctx).groups], 'group', 'group');
  const indicators = known(splitList(q.indicator), catalogue.indicators.map((d) => d.id), 'indicator', 'indicator');
  if (from && to && compareWeeks(from, to) > 0) throw new ApiError(400, `from=${from} is after to=${to}`, ['from', 'to']);
  refresh(ctx);
  to ??= lastCompleteWeek(now);
  from ??= countedWeeks(ctx.store)?.first ?? to;
  if (compareWeeks(from, to) > 0) from = to;
  const set = computeIndicatorSet(ctx.store, catalogue, { from, to, municipalities });
  const rows: ExportRow[] = [];
  forEachIndicatorValue(set, catalogue, (v) => {
    if ((groups && !groups.has(v.group)) || (indicators && !indicators.has(v.indicator))) return;
    rows.push(exportRow(v));
  });
  return { from, to, rows };
}

export function alerts(ctx: WebContext, q: { week?: string; municipality?: string[] }, now = Date.now()) {
  const catalogue = indicatorCatalogue(ctx);
  const w = week(q.week, 'week') ?? lastCompleteWeek(now);
  const municipalities = municipalityCodes(ctx, q.municipality);
  refresh(ctx);
  const set = computeIndicatorSet(ctx.store, catalogue, { from: w, to: w, municipalities });
  return {
    week: w,
    alerts: firedAlerts(set).map((a) => {
      const m = set.municipalities.find((x) => x.code === a.municipalityCode);
      const ev = alertEvidence(ctx.store, a, { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: m ? [m.nameFi, m.nameSv] : [] });
      return {
        week: a.week,
        municipality_code: a.municipalityCode,
        municipality: a.municipality,
        group: a.group,
        observed: a.test.observed,
        expected: a.test.expected,
        p: a.test.p,
        baseline_weeks: a.test.baselineWeeks,
        coverage_flag: a.coverage?.flag ?? 'unknown',
        articles: ev.articles.map((x) => ({ id: x.id, title: x.title, url: x.url, published: x.publishedTs === null ? null : helsinkiIso(x.publishedTs) })),
        terms: ev.terms.map((t) => ({ term: t.term, score: t.score })),
      };
    }),
  };
}
