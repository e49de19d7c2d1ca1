// Early warning: is this week's number of negative stories about a group in a municipality
// far above what that municipality's own earlier weeks lead one to expect?
//
// The weekly count is modelled as Poisson with an unknown rate. The rate gets a gamma prior
// worth `priorCount` negative stories over `priorWeeks` weeks, updated with the baseline
// weeks (their sum S over k weeks): the posterior predictive of next week's count is negative
// binomial with size priorCount + S and success probability (priorWeeks + k) /
// (priorWeeks + k + 1). The alert's p is its upper tail P(X ≥ observed). Compared with a plain
// Poisson on the baseline mean, this does not treat a group never covered negatively before
// as having a rate of exactly zero, and it widens the expectation when the baseline is short.
import type { AlertSettings } from './definitions.ts';
import { negBinomialUpperTail } from './stats.ts';

export interface AlertTest {
  observed: number;
  /** Expected negative stories for the week (posterior predictive mean). */
  expected: number;
  baselineWeeks: number;
  baselineTotal: number;
  /** P(X ≥ observed) under the baseline; null when the baseline is too short to judge. */
  p: number | null;
  fired: boolean;
}

/** Tests one municipality × group × week; `baseline` holds the earlier weeks' negative counts. */
export function testNegativeCount(observed: number, baseline: readonly number[], settings: AlertSettings): AlertTest {
  const k = baseline.length;
  const total = baseline.reduce((s, n) => s + n, 0);
  const size = settings.priorCount + total;
  const exposure = settings.priorWeeks + k;
  const expected = size / exposure;
  if (k < settings.minBaselineWeeks) {
    return { observed, expected, baselineWeeks: k, baselineTotal: total, p: null, fired: false };
  }
  const p = negBinomialUpperTail(observed, size, exposure / (exposure + 1));
  return { observed, expected, baselineWeeks: k, baselineTotal: total, p, fired: observed >= settings.minCount && p <= settings.maxP };
}
