// Krippendorff's alpha: agreement between coders beyond what their value distribution alone
// would give. Any number of coders, missing values allowed, nominal, ordinal or interval
// values, computed through the coincidence matrix as in Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011). Pure: values in, a number (or null) out.

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

export interface AlphaOptions<V> {
  /** Default nominal. */
  metric?: AlphaMetric;
  /** Ordinal: every possible value from lowest to highest (unobserved ones included). */
  order?: readonly V[];
}

export interface AlphaResult {
  /**
   * 1 − observed / expected disagreement. Null when undefined: no unit has two values to pair,
   * or all pairable values are the same (no variation, so chance agreement is already perfect).
   */
  alpha: number | null;
  /** Units with at least two values (the others cannot be paired and are left out). */
  units: number;
  /** Pairable values: n of the coincidence matrix. */
  values: number;
  observed: number;
  expected: number;
}

/**
 * Alpha over `units`: each unit lists the values its coders gave (missing ones left out, or
 * null). Values are compared with `===` (nominal), by rank in `order` (ordinal), or as numbers
 * (interval).
 */
export function krippendorffAlpha<V extends string | number>(units: readonly (readonly (V | null | undefined)[])[], opts: AlphaOptions<V> = {}): AlphaResult {
  const metric = opts.metric ?? 'nominal';
  const index = new Map<V, number>();
  const valueOf: V[] = [];
  if (metric === 'ordinal') {
    if (!opts.order || opts.order.length === 0) throw new Error('ordinal alpha needs the order of the values');
    for (const v of opts.order) if (!index.has(v)) index.set(v, valueOf.push(v) - 1);
  }
  const coded: number[][] = [];
  for (const u of units) {
    const present = u.filter((v): v is V => v !== null && v !== undefined);
    if (present.length < 2) continue;
    coded.push(
      present.map((v) => {
        let i = index.get(v);
        if (i === undefined) {
          if (metric === 'ordinal') throw new Error(`value ${JSON.stringify(v)} is not in the ordinal order`);
          if (metric === 'interval' && typeof v !== 'number') throw new Error(`interval alpha needs numbers, got ${JSON.stringify(v)}`);
          index.set(v, (i = valueOf.push(v) - 1));
        }
        return i;
      }),
    );
  }
  const k = valueOf.length;
  // Coincidences: every ordered pair of values within a unit, weighted 1/(m_u − 1).
  const o = new Float64Array(k * k);
  for (const u of coded) {
    const w = 1 / (u.length - 1);
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) o[u[i]! * k + u[j]!]! += w;
  }
  const nc = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) nc[c]! += o[c * k + d]!;
  const n = nc.reduce((a, b) => a + b, 0);
  const delta = distance(metric, valueOf, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      if (c === d) continue;
      const dd = delta(c, d);
      observed += o[c * k + d]! * dd;
      expected += nc[c]! * nc[d]! * dd;
    }
  }
  const result = { units: coded.length, values: n, observed: n > 0 ? observed / n : 0, expected: n > 1 ? expected / (n * (n - 1)) : 0 };
  if (n < 2 || expected === 0) return { alpha: null, ...result };
  return { alpha: 1 - ((n - 1) * observed) / expected, ...result };
}

/** Squared difference function δ²(c, d) over value indices. */
function distance<V>(metric: AlphaMetric, values: readonly V[], nc: Float64Array): (c: number, d: number) => number {
  if (metric === 'nominal') return (c, d) => (c === d ? 0 : 1);
  if (metric === 'interval') return (c, d) => ((values[c] as number) - (values[d] as number)) ** 2;
  // Ordinal: the values' ranks are their positions in the order; the distance between two
  // ranks is the number of pairable values from one to the other, less half of each end's.
  const cumulative = new Float64Array(nc.length + 1);
  for (let g = 0; g < nc.length; g++) cumulative[g + 1] = cumulative[g]! + nc[g]!;
  return (c, d) => {
    const lo = Math.min(c, d);
    const hi = Math.max(c, d);
    return (cumulative[hi + 1]! - cumulative[lo]! - (nc[c]! + nc[d]!) / 2) ** 2;
  };
}

/** Two coders over the same items, nominal values, none missing: the common case. */
export function pairedAlpha(a: readonly string[], b: readonly string[]): number | null {
  if (a.length !== b.length) throw new Error(`paired alpha needs as many values from each coder (${a.length} ≠ ${b.length})`);
  return krippendorffAlpha(a.map((x, i) => [x, b[i]!])).alpha;
}
