import { describe, expect, it } from 'vitest';
import { krippendorffNominal } from '../../scripts/eval-tag.ts';

describe("Krippendorff's alpha (nominal, two coders)", () => {
  it('is 1 for perfect agreement', () => {
    expect(krippendorffNominal(['neg', 'neu', 'pos', 'neu'], ['neg', 'neu', 'pos', 'neu'])).toBe(1);
  });

  it('matches a hand-computed value', () => {
    // Coincidences: o(x,x)=2, o(x,y)=o(y,x)=1, o(y,y)=4; n=8, n_x=3, n_y=5 → 1 − 7·2/(2·3·5) = 8/15.
    expect(krippendorffNominal(['x', 'x', 'y', 'y'], ['x', 'y', 'y', 'y'])).toBeCloseTo(8 / 15, 10);
  });

  it('is below zero for systematic disagreement', () => {
    expect(krippendorffNominal(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a'])).toBeLessThan(0);
  });
});
