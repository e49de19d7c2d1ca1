// Krippendorff's alpha against the worked examples of Krippendorff, "Computing Krippendorff's
// Alpha-Reliability" (2011), and the machine–analyst agreement built on it.
import { describe, expect, it } from 'vitest';
import { measureAgreement, type JudgedItem } from '../../src/indicators/agreement.ts';
import { krippendorffAlpha, pairedAlpha } from '../../src/indicators/alpha.ts';

const _ = null;

describe("Krippendorff's alpha", () => {
  it('two coders, binary data, no missing values: α = 0.095', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    const r = krippendorffAlpha(a.map((x, i) => [x, b[i]!]));
    // n = 20 values, o01 = 4 disagreeing pairs, n0 = 14, n1 = 6: α = 1 − (n − 1)·o01 / (n0·n1) = 1 − 19·4/(14·6)
    expect(r.values).toBe(20);
    expect(r.alpha).toBeCloseTo(1 - (19 * 4) / (14 * 6), 10);
    expect(r.alpha!.toFixed(3)).toBe('0.095');
  });

  // Four observers, twelve units, values 1–5, with missing values (the paper's section C).
  const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _];
  const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3];
  const C = [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _];
  const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _];
  const units = A.map((_x, i) => [A[i], B[i], C[i], D[i]]);

  it('any number of observers with missing values: nominal 0.743, ordinal 0.815, interval 0.849', () => {
    const nominal = krippendorffAlpha(units);
    // Unit 12 has one value only and cannot be paired.
    expect(nominal.units).toBe(11);
    expect(nominal.values).toBe(40);
    expect(nominal.alpha!.toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(units, { metric: 'ordinal', order: [1, 2, 3, 4, 5] }).alpha!.toFixed(3)).toBe('0.815');
    expect(krippendorffAlpha(units, { metric: 'interval' }).alpha!.toFixed(3)).toBe('0.849');
  });

  it('is undefined without variation or without pairable values, 1 for perfect agreement, negative below chance', () => {
    expect(krippendorffAlpha([['neg', 'neg'], ['neg', 'neg']]).alpha).toBeNull();
    expect(krippendorffAlpha([['neg'], ['pos', null]]).alpha).toBeNull();
    expect(krippendorffAlpha([]).alpha).toBeNull();
    expect(pairedAlpha(['neg', 'pos', 'neu'], ['neg', 'pos', 'neu'])).toBe(1);
    expect(pairedAlpha(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a'])!).toBeLessThan(0);
  });

  it('ordinal alpha counts neg↔pos as a worse disagreement than neg↔neu', () => {
    const base = [['neg', 'neg'], ['neu', 'neu'], ['pos', 'pos'], ['neu', 'neu'], ['pos', 'pos'], ['neg', 'neg']];
    const order = { metric: 'ordinal' as const, order: ['neg', 'neu', 'pos'] };
    const near = krippendorffAlpha([...base, ['neg', 'neu']], order).alpha!;
    const far = krippendorffAlpha([...base, ['neg', 'pos']], order).alpha!;
    expect(near).toBeGreaterThan(far);
    // Nominal alpha does not tell the two apart by distance, only by the marginals.
    expect(krippendorffAlpha([...base, ['neg', 'neu']]).alpha!).toBeLessThan(1);
    expect(() => krippendorffAlpha([['neg', 'bad']], order)).toThrow(/not in the ordinal order/);
  });
});

describe('machine–analyst agreement per measure', () => {
  const item = (field: JudgedItem['field'], machine: string | null, analyst: string, articleId = 1): JudgedItem => ({
    articleId, title: null, week: '2026-W45', group: 'roma', field, machine, analyst, username: 'aino', judgedAt: 0,
  });

  it('pairs the latest analyst value with the machine value; items the machine has no value for are not pairable', () => {
    const m = measureAgreement([
      item('tone', 'neg', 'neg', 1),
      item('tone', 'neg', 'pos', 2),
      item('tone', 'neu', 'neu', 3),
      item('tone', 'pos', 'pos', 4),
      item('tone', null, 'neg', 5),
      item('present', '1', '1', 1),
      item('present', '1', '1', 2),
      item('frame', 'other', 'other', 1),
    ]);
    expect(m.tone).toEqual({ n: 4, agreed: 3, alpha: krippendorffAlpha([['neg', 'neg'], ['neg', 'pos'], ['neu', 'neu'], ['pos', 'pos']]).alpha });
    expect(m.tone_ordinal.n).toBe(4);
    expect(m.tone_ordinal.alpha!).toBeLessThan(m.tone.alpha!);
    // Confirmations only: perfect agreement, but no variation, so alpha is undefined.
    expect(m.present).toEqual({ n: 2, agreed: 2, alpha: null });
    expect(m.frame).toEqual({ n: 1, agreed: 1, alpha: null });
    expect(m.voice).toEqual({ n: 0, agreed: 0, alpha: null });
  });
});
