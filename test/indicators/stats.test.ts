// Intervals and tails against published values and brute-force sums.
import { describe, expect, it } from 'vitest';
import { testNegativeCount } from '../../src/indicators/alerts.ts';
import { DEFAULT_ALERTS } from '../../src/indicators/definitions.ts';
import { logGamma, median, negBinomialCdf, negBinomialUpperTail, poissonInterval, poissonUpperTail, toneBalanceInterval, wilson } from '../../src/indicators/stats.ts';

describe('interval estimates', () => {
  it('Wilson intervals match published values', () => {
    // Newcombe (1998), Table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611.
    const a = wilson(81, 263)!;
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilson(15, 148)!;
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
    const c = wilson(0, 20)!;
    expect(c.low).toBe(0);
    expect(c.high).toBeCloseTo(0.1611, 4);
    expect(wilson(3, 0)).toBeNull();
  });

  it('the tone balance interval is clipped to [−1, 1] and contains the estimate in the usual cases', () => {
    const all = toneBalanceInterval(0, 5, 5)!;
    expect(all.low).toBe(-1);
    expect(all.high).toBeLessThan(0);
    const mixed = toneBalanceInterval(30, 10, 60)!;
    expect(mixed.low).toBeLessThan(20 / 60);
    expect(mixed.high).toBeGreaterThan(20 / 60);
    // Large n: close to the plain Wald interval on (pos − neg)/n.
    const big = toneBalanceInterval(4000, 2000, 10_000)!;
    const d = 0.2;
    const se = Math.sqrt((0.4 + 0.2 - d * d) / 10_000);
    expect(big.low).toBeCloseTo(d - 1.96 * se, 3);
    expect(big.high).toBeCloseTo(d + 1.96 * se, 3);
    expect(toneBalanceInterval(0, 0, 0)).toBeNull();
  });

  it('Poisson intervals are the exact (Garwood) ones', () => {
    // Published exact 95% limits: x = 0 → 0–3.689; 1 → 0.0253–5.5716; 5 → 1.6235–11.6683; 20 → 12.217–30.889.
    for (const [x, lo, hi] of [[0, 0, 3.6889], [1, 0.0253, 5.5716], [5, 1.6235, 11.6683], [20, 12.2165, 30.8884]] as const) {
      const ci = poissonInterval(x);
      expect(ci.low, `low ${x}`).toBeCloseTo(lo, 3);
      expect(ci.high, `high ${x}`).toBeCloseTo(hi, 3);
    }
  });
});

describe('tails', () => {
  it('logGamma matches factorials', () => {
    for (let n = 1; n < 20; n++) {
      let f = 1;
      for (let i = 2; i < n; i++) f *= i;
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 10);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('the negative binomial tail equals 1 − the brute-force CDF, and keeps tiny tails', () => {
    const pmf = (k: number, r: number, p: number) => Math.exp(logGamma(k + r) - logGamma(r) - logGamma(k + 1)) * p ** r * (1 - p) ** k;
    for (const [r, p] of [[0.5, 0.5], [1.5, 0.75], [4, 0.2], [12.5, 0.9]] as const) {
      for (const x of [0, 1, 2, 5, 9, 20]) {
        let cdf = 0;
        for (let k = 0; k < x; k++) cdf += pmf(k, r, p);
        expect(negBinomialUpperTail(x, r, p), `${r} ${p} ${x}`).toBeCloseTo(1 - cdf, 10);
        expect(negBinomialCdf(x - 1, r, p)).toBeCloseTo(cdf, 10);
      }
    }
    // Far in the tail 1 − CDF is 0 in floating point; the sum from x up is not.
    const tiny = negBinomialUpperTail(60, 1.5, 0.9);
    let direct = 0;
    for (let k = 60; k < 400; k++) direct += pmf(k, 1.5, 0.9);
    expect(tiny).toBeGreaterThan(0);
    expect(Math.abs(tiny - direct) / direct).toBeLessThan(1e-9);
  });

  it('the Poisson tail is the limit of the negative binomial with a large size', () => {
    const lambda = 2.5;
    const size = 1e7;
    for (const x of [0, 1, 3, 8]) {
      expect(negBinomialUpperTail(x, size, size / (size + lambda))).toBeCloseTo(poissonUpperTail(x, lambda), 6);
    }
  });

  it('median', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('alert test', () => {
  it('needs a minimum count and a small tail probability', () => {
    const quiet = [0, 0, 1, 0, 0, 0, 0, 0, 0];
    // 5 negative stories after 1 in 9 weeks: far above; 2 is not enough (min_count 3).
    const spike = testNegativeCount(5, quiet, DEFAULT_ALERTS);
    expect(spike.fired).toBe(true);
    expect(spike.expected).toBeCloseTo(1.5 / 10, 12);
    expect(spike.p).toBeCloseTo(negBinomialUpperTail(5, 1.5, 10 / 11), 15);
    expect(testNegativeCount(2, quiet, DEFAULT_ALERTS).fired).toBe(false);
    // A town where negative stories are common does not alert on 5.
    expect(testNegativeCount(5, [4, 6, 3, 5, 4, 7, 5, 4, 6], DEFAULT_ALERTS).fired).toBe(false);
    // Too short a baseline: not judged at all.
    const early = testNegativeCount(9, [0, 0], DEFAULT_ALERTS);
    expect(early.p).toBeNull();
    expect(early.fired).toBe(false);
  });
});
