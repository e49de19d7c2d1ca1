// A hand-made store: two municipalities, three feeds, seventeen articles over six weeks, with
// the cases the counting rules are about (a syndicated copy, an article the analysis placed
// nowhere, one never analysed, articles around the Sunday/Monday boundary in winter and in
// summer time, one without a date). Every exported value is worked out by hand below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeIndicatorSet, firedAlerts, forEachIndicatorValue, loadIndicatorCatalogue, refreshIndicators, writeIndicatorExport, type IndicatorCatalogue,
} from '../../src/indicators/index.ts';
import { DEFAULT_CONFIG_DIR } from '../../src/config/load.ts';
import { FixtureStore, parseCsv, tempDir, writeCatalogue } from './helpers.ts';

// ---------------------------------------------------------------- hand arithmetic

const Z = 1.959963984540054;

function wilsonByHand(k: number, n: number): [number, number] {
  const p = k / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z / (1 + (Z * Z) / n)) * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** (pos − neg)/n with one pseudo-count per tone class, multinomial variance, clipped to [−1, 1]. */
function toneIntervalByHand(pos: number, neg: number, n: number): [number, number] {
  const m = n + 3;
  const pp = (pos + 1) / m;
  const pn = (neg + 1) / m;
  const d = pp - pn;
  const se = Math.sqrt((pp + pn - d * d) / m);
  return [Math.max(-1, d - Z * se), Math.min(1, d + Z * se)];
}

/** Exact Poisson interval of a count x: the rates at which P(X ≥ x) and P(X ≤ x) are 2.5 %. */
function poissonByHand(x: number): [number, number] {
  const cdf = (k: number, lambda: number) => {
    let term = Math.exp(-lambda);
    let sum = 0;
    for (let i = 0; i <= k; i++) {
      sum += term;
      term *= lambda / (i + 1);
    }
    return sum;
  };
  const solve = (f: (l: number) => number, lo: number, hi: number) => {
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const low = x === 0 ? 0 : solve((l) => 1 - cdf(x - 1, l) - 0.025, 0, 50);
  const high = solve((l) => 0.025 - cdf(x, l), 0, 50);
  return [low, high];
}

/** P(X ≥ x) for the negative binomial (size r, success p), summing the pmf of 0 … x−1. */
function nbTailByHand(x: number, r: number, p: number): number {
  let pmf = p ** r;
  let cdf = 0;
  for (let k = 0; k < x; k++) {
    cdf += pmf;
    pmf *= ((r + k) / (k + 1)) * (1 - p);
  }
  return 1 - cdf;
}

// ---------------------------------------------------------------- the fixture

const SETTINGS = {
  coverage: { baseline_weeks: 3, min_baseline_weeks: 2, low_articles_ratio: 0.5, min_feeds_up_share: 0.5 },
  alerts: { baseline_weeks: 3, min_baseline_weeks: 2, min_count: 2, max_p: 0.05, prior_count: 0.5, prior_weeks: 1 },
};

const FORSSA = '061';
const TAMPERE = '837';
let fx: FixtureStore;
let catalogue: IndicatorCatalogue;
let csv: Record<string, string>[];
let json: Record<string, unknown>[];

beforeAll(() => {
  const dir = tempDir('mm-ind-fixture-');
  const shipped = readFileSync(join(DEFAULT_CONFIG_DIR, 'indicators.yaml'), 'utf8');
  catalogue = loadIndicatorCatalogue(writeCatalogue(dir, SETTINGS, shipped.slice(shipped.indexOf('\nindicators:') + 1)));
  fx = new FixtureStore(join(dir, 'store.db'));
  fx.municipality(FORSSA, 'Forssa').municipality(TAMPERE, 'Tampere', 'Tammerfors');
  fx.feed('f1', [FORSSA]).feed('f2', [FORSSA, TAMPERE]).feed('f3', [FORSSA], { enabled: false });
  // Polls: f1 up in W10, W11 (304), W13, W15; down in W12. f2 up in W10 and W13, down in W11
  // and W12, not polled after. f3 is disabled: its failures must not count.
  fx.poll('f1', '2026-03-02T08:00:00Z', 'ok').poll('f1', '2026-03-09T08:00:00Z', 'not_modified').poll('f1', '2026-03-16T08:00:00Z', 'error')
    .poll('f1', '2026-03-23T08:00:00Z', 'ok').poll('f1', '2026-04-06T08:00:00Z', 'unchanged');
  fx.poll('f2', '2026-03-02T09:00:00Z', 'ok').poll('f2', '2026-03-09T09:00:00Z', 'error').poll('f2', '2026-03-16T09:00:00Z', 'gone')
    .poll('f2', '2026-03-23T09:00:00Z', 'ok');
  fx.poll('f3', '2026-03-23T10:00:00Z', 'error');

  const here = { localities: [FORSSA], feedTowns: [FORSSA] };
  // W10 (Mon 2 March)
  fx.article({ ...here, published: '2026-03-03T10:00:00+02:00', groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security', mentions: 2 }] }); // a1
  fx.article({ ...here, published: '2026-03-04T10:00:00+02:00' }); // a2
  // W11
  const a3 = fx.article({
    ...here,
    published: '2026-03-10T10:00:00+02:00',
    groups: [
      { group: 'roma', tone: 'pos', frame: 'culture_community', voice: true },
      { group: 'immigrants', tone: 'neu', frame: 'integration_work' },
    ],
  });
  fx.article({ ...here, published: '2026-03-11T10:00:00+02:00' }); // a4
  // a5: a syndicated copy of a3, tagged differently: it must not count at all.
  fx.article({ ...here, published: '2026-03-10T12:00:00+02:00', duplicateOf: a3, groups: [{ group: 'sami', tone: 'neg', frame: 'crime_security' }] });
  // W12
  fx.article({ ...here, published: '2026-03-16T09:00:00+02:00', groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }] }); // a6
  fx.article({ ...here, published: '2026-03-17T09:00:00+02:00', groups: [{ group: 'roma', tone: 'neg', frame: 'threat_burden', voice: true }] }); // a7
  fx.article({ localities: [FORSSA, TAMPERE], feedTowns: [FORSSA, TAMPERE], published: '2026-03-18T09:00:00+02:00', groups: [{ group: 'roma', tone: 'neu', frame: 'policy_admin' }] }); // a8
  // a9: never analysed: it counts for its feed's towns, Forssa and Tampere.
  fx.article({ feedTowns: [FORSSA, TAMPERE], published: '2026-03-19T09:00:00+02:00', analysed: false });
  // a10: came through a Forssa feed, but the analysis found it is about no configured town.
  fx.article({ localities: [], feedTowns: [FORSSA], published: '2026-03-19T10:00:00+02:00', groups: [{ group: 'jews', tone: 'neg', frame: 'crime_security' }] });
  // a11: Sunday 23:30 UTC is Monday 01:30 in Helsinki: W13, not W12.
  fx.article({ ...here, published: '2026-03-22T23:30:00Z', groups: [{ group: 'immigrants', tone: 'neg', frame: 'other' }] });
  // a12: Sunday 21:30 UTC is Sunday 23:30 in Helsinki: still W12.
  fx.article({ ...here, published: '2026-03-22T21:30:00Z' });
  // Summer time starts on Sunday 29 March: Monday 30 March 00:00 is 21:00 UTC.
  fx.article({ ...here, published: '2026-03-29T21:30:00Z', groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }] }); // a13: W14
  fx.article({ ...here, published: '2026-03-29T20:30:00Z' }); // a14: Sunday 23:30 +03:00, W13
  // W14
  fx.article({ ...here, published: '2026-03-31T10:00:00+03:00', groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }] }); // a15
  fx.article({ ...here, published: '2026-04-01T10:00:00+03:00', groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }] }); // a16
  // a17: no publication date: its week is when it was fetched.
  fx.article({ ...here, published: null, fetched: '2026-04-02T10:00:00+03:00' });
  // W15: nothing.

  refreshIndicators(fx.store);
  const set = computeIndicatorSet(fx.store, catalogue, { from: '2026-W10', to: '2026-W15' });
  let text = '';
  writeIndicatorExport((visit) => forEachIndicatorValue(set, catalogue, visit), 'csv', (c) => (text += c));
  csv = parseCsv(text);
  let jsonText = '';
  writeIndicatorExport((visit) => forEachIndicatorValue(set, catalogue, visit), 'json', (c) => (jsonText += c));
  json = JSON.parse(jsonText) as Record<string, unknown>[];
});

afterAll(() => fx?.close());

// ---------------------------------------------------------------- expected rows, by hand

interface Expected {
  value: number | null;
  n: number;
  ci: [number, number] | null;
  flag: string;
}

const expected = new Map<string, Expected>();
const key = (code: string, week: string, group: string, indicator: string) => `${code}|${week}|${group}|${indicator}`;
const put = (code: string, week: string, group: string, indicator: string, e: Expected) => expected.set(key(code, week, group, indicator), e);

function coverage(code: string, week: string, flag: string, local: number, ratio: number | null, feedsUp: number | null, feeds: number) {
  put(code, week, '', 'local_articles', { value: local, n: local, ci: null, flag });
  put(code, week, '', 'articles_vs_usual', { value: ratio, n: local, ci: null, flag });
  put(code, week, '', 'feeds_up_share', { value: feedsUp, n: feeds, ci: null, flag });
}

/** Rows of a group with no article that week: salience 0, no negative stories. */
function absent(code: string, week: string, group: string, flag: string, local: number, alert: number | null) {
  put(code, week, group, 'salience', { value: 0, n: local, ci: wilsonByHand(0, local), flag });
  put(code, week, group, 'negative_count', { value: 0, n: 0, ci: poissonByHand(0), flag });
  put(code, week, group, 'alert', { value: alert, n: 0, ci: null, flag });
}

interface Tally {
  n: number;
  pos: number;
  neg: number;
  threat: number;
  victim: number;
  interaction: number;
  voice: number;
}

function present(code: string, week: string, group: string, flag: string, local: number, t: Tally, alert: number | null) {
  const share = (k: number, n: number): Expected => ({ value: k / n, n, ci: wilsonByHand(k, n), flag });
  put(code, week, group, 'salience', share(t.n, local));
  put(code, week, group, 'tone_balance', { value: (t.pos - t.neg) / t.n, n: t.n, ci: toneIntervalByHand(t.pos, t.neg, t.n), flag });
  put(code, week, group, 'negative_share', share(t.neg, t.n));
  put(code, week, group, 'threat_framing', share(t.threat, t.n));
  put(code, week, group, 'victim_framing', share(t.victim, t.n));
  put(code, week, group, 'interaction_coverage', share(t.interaction, t.n));
  put(code, week, group, 'voice_share', share(t.voice, t.n));
  put(code, week, group, 'negative_count', { value: t.neg, n: t.n, ci: poissonByHand(t.neg), flag });
  put(code, week, group, 'alert', { value: alert, n: t.neg, ci: null, flag });
}

const none = { pos: 0, neg: 0, threat: 0, victim: 0, interaction: 0, voice: 0 };

// Forssa. Local articles per week: W10 a1 a2 = 2; W11 a3 a4 = 2 (a5 is a copy); W12 a6 a7 a8
// a9 a12 = 5 (a10 is about no town); W13 a11 a14 = 2; W14 a13 a15 a16 a17 = 4; W15 0.
// Usual = median of up to 3 earlier weeks, known from 2 weeks on. Feeds f1, f2 (f3 disabled).
coverage(FORSSA, '2026-W10', 'ok', 2, null, 2 / 2, 2);
coverage(FORSSA, '2026-W11', 'ok', 2, null, 1 / 2, 2); // f2 failed; 1/2 is not under 0.5
coverage(FORSSA, '2026-W12', 'low', 5, 5 / 2, 0 / 2, 2); // median(2, 2); both feeds down
coverage(FORSSA, '2026-W13', 'ok', 2, 2 / 2, 2 / 2, 2); // median(5, 2, 2) = 2
coverage(FORSSA, '2026-W14', 'ok', 4, 4 / 2, null, 2); // median(2, 5, 2) = 2; no polls at all
coverage(FORSSA, '2026-W15', 'low', 0, 0 / 4, 1 / 2, 2); // median(4, 2, 5) = 4: a quiet week

// Alerts: negative roma stories W10 1, W11 0, W12 2, W13 0, W14 3. Gamma prior 0.5 stories in
// 1 week; predictive negative binomial with size 0.5 + S and p = (1 + k) / (2 + k).
// W10, W11: fewer than 2 baseline weeks → not judged (null).
// W12 roma: S = 1 over k = 2 → P(X ≥ 2 | r 1.5, p 3/4) = 0.1069 > 0.05 → 0.
// W13 immigrants: S = 0 over 3 → P(X ≥ 1 | r 0.5, p 4/5) = 0.1056, and 1 < min_count 2 → 0.
// W14 roma: S = 0 + 2 + 0 over 3 → P(X ≥ 3 | r 2.5, p 4/5) = 0.0412 ≤ 0.05 and 3 ≥ 2 → 1.
absent(FORSSA, '2026-W10', 'immigrants', 'ok', 2, null);
present(FORSSA, '2026-W10', 'roma', 'ok', 2, { ...none, n: 1, neg: 1, threat: 1 }, null);
present(FORSSA, '2026-W11', 'immigrants', 'ok', 2, { ...none, n: 1, interaction: 1 }, null);
present(FORSSA, '2026-W11', 'roma', 'ok', 2, { ...none, n: 1, pos: 1, interaction: 1, voice: 1 }, null);
absent(FORSSA, '2026-W12', 'immigrants', 'low', 5, 0);
present(FORSSA, '2026-W12', 'roma', 'low', 5, { ...none, n: 3, neg: 2, threat: 2, voice: 1 }, 0);
present(FORSSA, '2026-W13', 'immigrants', 'ok', 2, { ...none, n: 1, neg: 1 }, 0);
absent(FORSSA, '2026-W13', 'roma', 'ok', 2, 0);
absent(FORSSA, '2026-W14', 'immigrants', 'ok', 4, 0);
present(FORSSA, '2026-W14', 'roma', 'ok', 4, { ...none, n: 3, neg: 3, threat: 3 }, 1);

// Tampere: monitored from W10 (f2's first poll) though its first article is in W12 (a8, a9).
coverage(TAMPERE, '2026-W10', 'ok', 0, null, 1, 1);
coverage(TAMPERE, '2026-W11', 'low', 0, null, 0, 1);
coverage(TAMPERE, '2026-W12', 'low', 2, null, 0, 1); // usual = median(0, 0) = 0: no ratio
coverage(TAMPERE, '2026-W13', 'ok', 0, null, 1, 1);
coverage(TAMPERE, '2026-W14', 'unknown', 0, null, null, 1);
coverage(TAMPERE, '2026-W15', 'unknown', 0, null, null, 1);
absent(TAMPERE, '2026-W12', 'immigrants', 'low', 2, 0);
present(TAMPERE, '2026-W12', 'roma', 'low', 2, { ...none, n: 1 }, 0);

const DOMAINS: Record<string, string> = {
  salience: 'attitudes', tone_balance: 'attitudes', negative_share: 'attitudes', threat_framing: 'sense_of_safety', victim_framing: 'sense_of_safety',
  interaction_coverage: 'interaction', voice_share: 'participation', negative_count: 'early_warning', alert: 'early_warning',
  local_articles: 'coverage', articles_vs_usual: 'coverage', feeds_up_share: 'coverage',
};

const num = (s: string): number | null => (s === '' ? null : Number(s));

describe('indicator export on a hand-made fixture', () => {
  it('the negative binomial tails used above are what the text says', () => {
    expect(nbTailByHand(2, 1.5, 3 / 4)).toBeCloseTo(0.106911, 5);
    expect(nbTailByHand(1, 0.5, 4 / 5)).toBeCloseTo(1 - Math.sqrt(0.8), 12);
    expect(nbTailByHand(3, 2.5, 4 / 5)).toBeCloseTo(0.041174, 5);
  });

  it('exports exactly the expected rows', () => {
    const got = csv.map((r) => key(r.municipality_code!, r.week!, r.group!, r.indicator!)).sort();
    expect(got).toEqual([...expected.keys()].sort());
    expect(csv).toHaveLength(114);
  });

  it('every value, n, interval, domain and coverage flag equals the hand computation', () => {
    for (const r of csv) {
      const k = key(r.municipality_code!, r.week!, r.group!, r.indicator!);
      const e = expected.get(k)!;
      expect(r.municipality, k).toBe(r.municipality_code === FORSSA ? 'Forssa' : 'Tampere');
      expect(r.domain, k).toBe(DOMAINS[r.indicator!]);
      expect(Number(r.n), k).toBe(e.n);
      expect(r.coverage_flag, k).toBe(e.flag);
      const value = num(r.value!);
      if (e.value === null) expect(value, k).toBeNull();
      else expect(value, k).toBeCloseTo(e.value, 6);
      if (e.ci === null) {
        expect([r.ci_low, r.ci_high], k).toEqual(['', '']);
      } else {
        expect(num(r.ci_low!), k).toBeCloseTo(e.ci[0], 6);
        expect(num(r.ci_high!), k).toBeCloseTo(e.ci[1], 6);
      }
    }
  });

  it('JSON carries the same rows as CSV', () => {
    expect(json).toHaveLength(csv.length);
    json.forEach((row, i) => {
      const c = csv[i]!;
      expect(row.municipality_code).toBe(c.municipality_code);
      expect(row.indicator).toBe(c.indicator);
      expect(row.value).toBe(num(c.value!));
      expect(row.ci_low).toBe(num(c.ci_low!));
      expect(row.n).toBe(Number(c.n));
    });
  });

  it('the one alert lists its driving articles', () => {
    const set = computeIndicatorSet(fx.store, catalogue, { from: '2026-W10', to: '2026-W15' });
    const alerts = firedAlerts(set);
    expect(alerts.map((a) => [a.municipalityCode, a.week, a.group, a.test.observed])).toEqual([[FORSSA, '2026-W14', 'roma', 3]]);
    expect(alerts[0]!.test.p).toBeCloseTo(nbTailByHand(3, 2.5, 0.8), 10);
    expect(alerts[0]!.test.expected).toBeCloseTo(2.5 / 4, 12);
  });
});
