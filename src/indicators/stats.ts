// Interval estimates and tail probabilities for the weekly indicators. Pure functions, no
// dependencies: the counts are small (a town's week), so exact sums are affordable, and the
// approximations used are the textbook ones, named where they are used.

/** 97.5 % point of the standard normal: two-sided 95 % intervals. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a share k/n. Unlike the Wald interval it stays inside [0, 1] and
 * is not degenerate at 0/n or n/n, which is where weekly counts of a town often are.
 */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Interval for the tone balance (pos − neg) / n, a difference of two proportions of one
 * multinomial sample (pos, neu, neg). Wald interval on the adjusted difference: one
 * pseudo-count is added to each of the three classes (Agresti–Caffo style), so that all-negative
 * or all-positive small samples do not get a zero-width interval; the variance is the
 * multinomial one, (p₊ + p₋ − (p₊ − p₋)²) / ñ; the ends are clipped to [−1, 1].
 */
export function toneBalanceInterval(pos: number, neg: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const nAdj = n + 3;
  const pPos = (pos + 1) / nAdj;
  const pNeg = (neg + 1) / nAdj;
  const d = pPos - pNeg;
  const se = Math.sqrt(Math.max(0, pPos + pNeg - d * d) / nAdj);
  return { low: Math.max(-1, d - z * se), high: Math.min(1, d + z * se) };
}

/**
 * Exact (Garwood) 95 % interval for the rate behind a Poisson count x: the rates under which
 * x or more, and x or fewer, would be seen with probability 2.5 %. Found by bisection on the
 * Poisson distribution; counts repeat (they are weekly numbers of stories), so each x is
 * solved once per process.
 */
export function poissonInterval(x: number): Interval {
  let ci = poissonCache.get(x);
  if (!ci) {
    const alpha = 0.025;
    const low = x === 0 ? 0 : bisect((l) => poissonUpperTail(x, l) - alpha, 0, x);
    const high = bisect((l) => alpha - poissonCdf(x, l), x, x + 10 + 10 * Math.sqrt(x + 1));
    ci = { low, high };
    poissonCache.set(x, ci);
  }
  return { ...ci };
}

const poissonCache = new Map<number, Interval>();

/** Root of an increasing function on [lo, hi]. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(X ≤ x) for X Poisson with mean λ. */
export function poissonCdf(x: number, lambda: number): number {
  if (x < 0) return 0;
  return Math.max(0, 1 - poissonUpperTail(x + 1, lambda));
}

// Lanczos approximation (g = 7, n = 9), relative error below 1e-13 for positive arguments.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xm = x - 1;
  let a = LANCZOS[0]!;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(X ≥ x) for X negative binomial with `size` r > 0 and success probability p:
 * P(X = k) = Γ(k + r) / (Γ(r) k!) · p^r (1 − p)^k, mean r(1 − p)/p. Summed from x upwards
 * (the terms shrink geometrically once k passes the mode), so tiny tails keep their precision
 * instead of vanishing in 1 − CDF.
 */
export function negBinomialUpperTail(x: number, size: number, p: number): number {
  if (x <= 0) return 1;
  if (p >= 1) return 0;
  const q = 1 - p;
  const logTerm0 = logGamma(x + size) - logGamma(size) - logGamma(x + 1) + size * Math.log(p) + x * Math.log(q);
  // Below the mode the terms still grow: sum the short head down from x instead.
  const mode = size > 1 ? Math.floor(((size - 1) * q) / p) : 0;
  if (x <= mode) return Math.max(0, 1 - negBinomialCdf(x - 1, size, p));
  let term = Math.exp(logTerm0);
  let sum = 0;
  for (let k = x; k < x + 100_000; k++) {
    sum += term;
    if (term < sum * 1e-16) break;
    term *= ((k + size) / (k + 1)) * q;
  }
  return Math.min(1, sum);
}

/** P(X ≤ x) for the negative binomial above. */
export function negBinomialCdf(x: number, size: number, p: number): number {
  if (x < 0) return 0;
  let term = Math.exp(size * Math.log(p));
  let sum = 0;
  for (let k = 0; k <= x; k++) {
    sum += term;
    term *= ((k + size) / (k + 1)) * (1 - p);
  }
  return Math.min(1, sum);
}

/** P(X ≥ x) for X Poisson with mean λ (the limit of the negative binomial as its size grows). */
export function poissonUpperTail(x: number, lambda: number): number {
  if (x <= 0) return 1;
  if (lambda <= 0) return 0;
  if (x <= lambda) {
    let term = Math.exp(-lambda);
    let cdf = 0;
    for (let k = 0; k < x; k++) {
      cdf += term;
      term *= lambda / (k + 1);
    }
    return Math.max(0, 1 - cdf);
  }
  let term = Math.exp(-lambda + x * Math.log(lambda) - logGamma(x + 1));
  let sum = 0;
  for (let k = x; k < x + 100_000; k++) {
    sum += term;
    if (term < sum * 1e-16) break;
    term *= lambda / (k + 1);
  }
  return Math.min(1, sum);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
