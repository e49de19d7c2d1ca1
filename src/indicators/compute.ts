// Weekly indicators per municipality, week and group, computed from the stored weekly counts
// (counts.ts), with coverage and alerts. Reading is done once up front; the rest is pure.
import type { Store } from '../store/store.ts';
import { testNegativeCount, type AlertTest } from './alerts.ts';
import { firstWeeks, readCounts, type CountRow } from './counts.ts';
import { coverageOf, readCoveringFeeds, readFeedWeeks, type Coverage, type CoverageFlag, type FeedWeek } from './coverage.ts';
import type { Domain, IndicatorCatalogue, IndicatorId } from './definitions.ts';
import { poissonInterval, toneBalanceInterval, wilson, type Interval } from './stats.ts';
import { addWeeks, compareWeeks, weekOf, weekRange } from './week.ts';

/** Frames whose share the sense-of-safety and interaction indicators count. */
export const THREAT_FRAMES = ['crime_security', 'threat_burden'] as const;
export const VICTIM_FRAMES = ['victim_discrimination'] as const;
export const INTERACTION_FRAMES = ['culture_community', 'integration_work'] as const;

export interface MunicipalityName {
  code: string;
  nameFi: string;
  nameSv: string;
}

/** One municipality × week × group: the counts behind the group indicators. */
export interface GroupWeek {
  municipalityCode: string;
  week: string;
  group: string;
  /** Local articles of the week (all groups): the salience denominator. */
  localArticles: number;
  /** Articles about the group: the denominator of the other group indicators. */
  articles: number;
  mentions: number;
  neg: number;
  neu: number;
  pos: number;
  voice: number;
  frames: Record<string, number>;
  alert: AlertTest;
}

export interface IndicatorValue {
  municipalityCode: string;
  municipality: string;
  week: string;
  /** Group id; '' for the municipality-level (coverage) indicators. */
  group: string;
  indicator: IndicatorId;
  domain: Domain;
  value: number | null;
  n: number;
  ciLow: number | null;
  ciHigh: number | null;
  coverageFlag: CoverageFlag;
}

export interface IndicatorSet {
  from: string;
  to: string;
  municipalities: MunicipalityName[];
  /** Groups tagged anywhere in the weeks read (the range and its baseline). */
  groups: string[];
  /** Every municipality × week × group with local articles that week, from…to. */
  groupWeeks: GroupWeek[];
  /** Every municipality-week from…to since the municipality's monitoring began. */
  coverage: Coverage[];
}

export interface ComputeOptions {
  from: string;
  to: string;
  /** Municipality codes; all in the store when omitted. */
  municipalities?: readonly string[];
}

/** Reads the counts, polls and feeds the weeks from…to need, and computes everything. */
export function computeIndicatorSet(store: Store, catalogue: IndicatorCatalogue, opts: ComputeOptions): IndicatorSet {
  const lookback = Math.max(catalogue.alerts.baselineWeeks, catalogue.coverage.baselineWeeks);
  const counts = readCounts(store, addWeeks(opts.from, -lookback), opts.to, opts.municipalities);
  const municipalities = readMunicipalities(store, opts.municipalities);
  const starts = monitoringStarts(store, firstWeeks(store));
  const feeds = readCoveringFeeds(store);
  return buildIndicatorSet({
    from: opts.from,
    to: opts.to,
    counts,
    municipalities,
    firstWeeks: starts,
    feeds,
    // Poll outcomes of the feeds covering the towns asked for only.
    feedWeeks: readFeedWeeks(store, opts.from, opts.to, [...new Set(municipalities.flatMap((m) => feeds.get(m.code) ?? []))]),
    catalogue,
  });
}

export interface IndicatorInputs {
  from: string;
  to: string;
  counts: CountRow[];
  municipalities: MunicipalityName[];
  /** Week each municipality's monitoring began (first article or first poll of its feeds). */
  firstWeeks: Map<string, string>;
  feeds: Map<string, string[]>;
  feedWeeks: Map<string, Map<string, FeedWeek>>;
  catalogue: IndicatorCatalogue;
}

/** The pure part: counts, feeds and settings in, indicator cells and coverage out. */
export function buildIndicatorSet(inp: IndicatorInputs): IndicatorSet {
  const { catalogue } = inp;
  const coverageWeeks = catalogue.coverage.baselineWeeks;
  const alertWeeks = catalogue.alerts.baselineWeeks;
  const lookback = Math.max(alertWeeks, coverageWeeks);
  // Weeks are indexed from the start of the lookback: `from` is at index `lookback`.
  const allWeeks = weekRange(addWeeks(inp.from, -lookback), inp.to);
  const weekIndex = new Map(allWeeks.map((w, i) => [w, i]));
  const W = allWeeks.length;
  interface Town {
    local: Int32Array;
    groups: Map<string, (CountRow | undefined)[]>;
  }
  const towns = new Map<string, Town>();
  const groups = new Set<string>();
  for (const r of inp.counts) {
    const i = weekIndex.get(r.week);
    if (i === undefined) continue;
    let t = towns.get(r.municipality_code);
    if (!t) towns.set(r.municipality_code, (t = { local: new Int32Array(W), groups: new Map() }));
    if (r.group_id === '') {
      t.local[i] = r.articles;
      continue;
    }
    groups.add(r.group_id);
    let rows = t.groups.get(r.group_id);
    if (!rows) t.groups.set(r.group_id, (rows = new Array<CountRow | undefined>(W)));
    rows[i] = r;
  }
  const groupList = [...groups].sort();
  const groupWeeks: GroupWeek[] = [];
  const coverage: Coverage[] = [];
  const none: Town = { local: new Int32Array(W), groups: new Map() };
  for (const m of inp.municipalities) {
    const first = inp.firstWeeks.get(m.code);
    if (first === undefined) continue;
    // Baselines reach back to the first monitored week at most.
    const firstIndex = compareWeeks(first, allWeeks[0]!) <= 0 ? 0 : weekIndex.get(first) ?? W;
    const t = towns.get(m.code) ?? none;
    const feeds = inp.feeds.get(m.code) ?? [];
    for (let i = Math.max(lookback, firstIndex); i < W; i++) {
      const week = allWeeks[i]!;
      const usualBaseline: number[] = [];
      for (let j = i - 1; j >= Math.max(firstIndex, i - coverageWeeks); j--) usualBaseline.push(t.local[j]!);
      coverage.push(coverageOf(m.code, week, t.local[i]!, usualBaseline, feeds, inp.feedWeeks, catalogue.coverage));
      const localArticles = t.local[i]!;
      if (localArticles === 0) continue;
      for (const group of groupList) {
        const rows = t.groups.get(group);
        const r = rows?.[i];
        const baseline: number[] = [];
        for (let j = i - 1; j >= Math.max(firstIndex, i - alertWeeks); j--) baseline.push(rows?.[j]?.neg ?? 0);
        groupWeeks.push({
          municipalityCode: m.code,
          week,
          group,
          localArticles,
          articles: r?.articles ?? 0,
          mentions: r?.mentions ?? 0,
          neg: r?.neg ?? 0,
          neu: r?.neu ?? 0,
          pos: r?.pos ?? 0,
          voice: r?.voice ?? 0,
          frames: r?.frames ?? {},
          alert: testNegativeCount(r?.neg ?? 0, baseline, catalogue.alerts),
        });
      }
    }
  }
  return { from: inp.from, to: inp.to, municipalities: inp.municipalities, groups: groupList, groupWeeks, coverage };
}

const sumFrames = (frames: Record<string, number>, which: readonly string[]) => which.reduce((s, f) => s + (frames[f] ?? 0), 0);

/** Value, n and interval of one group indicator in one cell; null when it is undefined (n = 0). */
export function groupIndicator(id: IndicatorId, g: GroupWeek): { value: number | null; n: number; ci: Interval | null } | null {
  const share = (k: number, n: number) => (n > 0 ? { value: k / n, n, ci: wilson(k, n) } : null);
  switch (id) {
    case 'salience':
      return share(g.articles, g.localArticles);
    case 'tone_balance':
      return g.articles > 0 ? { value: (g.pos - g.neg) / g.articles, n: g.articles, ci: toneBalanceInterval(g.pos, g.neg, g.articles) } : null;
    case 'negative_share':
      return share(g.neg, g.articles);
    case 'threat_framing':
      return share(sumFrames(g.frames, THREAT_FRAMES), g.articles);
    case 'victim_framing':
      return share(sumFrames(g.frames, VICTIM_FRAMES), g.articles);
    case 'interaction_coverage':
      return share(sumFrames(g.frames, INTERACTION_FRAMES), g.articles);
    case 'voice_share':
      return share(g.voice, g.articles);
    case 'negative_count':
      return { value: g.neg, n: g.articles, ci: poissonInterval(g.neg) };
    case 'alert':
      return { value: g.alert.p === null ? null : g.alert.fired ? 1 : 0, n: g.neg, ci: null };
    default:
      return null;
  }
}

/** Value and n of one municipality-level indicator. */
export function coverageIndicator(id: IndicatorId, c: Coverage): { value: number | null; n: number } | null {
  switch (id) {
    case 'local_articles':
      return { value: c.articles, n: c.articles };
    case 'articles_vs_usual':
      return { value: c.ratio, n: c.articles };
    case 'feeds_up_share':
      return { value: c.feeds > 0 && c.feedsPolled > 0 ? c.feedsUp / c.feeds : null, n: c.feeds };
    default:
      return null;
  }
}

/**
 * Every indicator value of the set in long format, handed to `visit` one at a time (an export
 * of years of weeks never holds them all): municipality, week, then the municipality-level
 * indicators followed by the groups. Only indicators in the catalogue.
 */
export function forEachIndicatorValue(set: IndicatorSet, catalogue: IndicatorCatalogue, visit: (v: IndicatorValue) => void): number {
  const names = new Map(set.municipalities.map((m) => [m.code, m.nameFi]));
  const muniLevel = catalogue.indicators.filter((d) => d.scope === 'municipality');
  const groupLevel = catalogue.indicators.filter((d) => d.scope === 'group');
  let count = 0;
  let gi = 0;
  for (const c of set.coverage) {
    const municipality = names.get(c.municipalityCode) ?? c.municipalityCode;
    for (const d of muniLevel) {
      const v = coverageIndicator(d.id, c);
      if (!v) continue;
      count++;
      visit({
        municipalityCode: c.municipalityCode, municipality, week: c.week, group: '', indicator: d.id, domain: d.domain,
        value: v.value, n: v.n, ciLow: null, ciHigh: null, coverageFlag: c.flag,
      });
    }
    // groupWeeks come in the same municipality-week order as coverage.
    for (; gi < set.groupWeeks.length; gi++) {
      const g = set.groupWeeks[gi]!;
      if (g.municipalityCode !== c.municipalityCode || g.week !== c.week) break;
      for (const d of groupLevel) {
        const v = groupIndicator(d.id, g);
        if (!v) continue;
        count++;
        visit({
          municipalityCode: c.municipalityCode, municipality, week: c.week, group: g.group, indicator: d.id, domain: d.domain,
          value: v.value, n: v.n, ciLow: v.ci?.low ?? null, ciHigh: v.ci?.high ?? null, coverageFlag: c.flag,
        });
      }
    }
  }
  return count;
}

/** The values as a list: for small sets (a report, a test). */
export function indicatorValues(set: IndicatorSet, catalogue: IndicatorCatalogue): IndicatorValue[] {
  const out: IndicatorValue[] = [];
  forEachIndicatorValue(set, catalogue, (v) => out.push(v));
  return out;
}

export interface AlertResult {
  municipalityCode: string;
  municipality: string;
  week: string;
  group: string;
  test: AlertTest;
  coverage: Coverage | null;
}

/** Alerts that fired in the set's weeks, in week, municipality, group order. */
export function firedAlerts(set: IndicatorSet): AlertResult[] {
  const names = new Map(set.municipalities.map((m) => [m.code, m.nameFi]));
  const cov = new Map(set.coverage.map((c) => [`${c.municipalityCode}|${c.week}`, c]));
  return set.groupWeeks
    .filter((g) => g.alert.fired)
    .map((g) => ({
      municipalityCode: g.municipalityCode,
      municipality: names.get(g.municipalityCode) ?? g.municipalityCode,
      week: g.week,
      group: g.group,
      test: g.alert,
      coverage: cov.get(`${g.municipalityCode}|${g.week}`) ?? null,
    }))
    .sort((a, b) => compareWeeks(a.week, b.week) || a.municipalityCode.localeCompare(b.municipalityCode) || a.group.localeCompare(b.group));
}

export function readMunicipalities(store: Store, codes?: readonly string[]): MunicipalityName[] {
  const rows = store.db.prepare('SELECT code, name_fi, name_sv FROM municipalities ORDER BY code').all() as { code: string; name_fi: string; name_sv: string }[];
  const wanted = codes && codes.length > 0 ? new Set(codes) : null;
  return rows.filter((r) => !wanted || wanted.has(r.code)).map((r) => ({ code: r.code, nameFi: r.name_fi, nameSv: r.name_sv }));
}

/** Monitoring of a town begins with its first local article or the first poll of a feed covering it. */
function monitoringStarts(store: Store, articleWeeks: Map<string, string>): Map<string, string> {
  const out = new Map(articleWeeks);
  // One index seek per feed for its first poll: grouping the whole polls table (a row per poll,
  // millions after a few years) took most of a page's time.
  const rows = store.db
    .prepare(
      `SELECT code, MIN(first) first FROM (
         SELECT fm.municipality_code code, (SELECT MIN(p.started_at) FROM polls p WHERE p.feed_id = fm.feed_id) first FROM feed_municipalities fm
       ) WHERE first IS NOT NULL GROUP BY code`,
    )
    .all() as { code: string; first: number }[];
  for (const r of rows) {
    const w = weekOf(r.first);
    const have = out.get(r.code);
    if (have === undefined || compareWeeks(w, have) < 0) out.set(r.code, w);
  }
  return out;
}
