import { describe, expect, it } from 'vitest';
import { compoundParts } from '../../src/analyse/voikko.ts';
import { describeVoikko, snowball, voikko, voikkoGate } from './helpers.ts';

describe('Voikko gate', () => {
  it('skips without Voikko, but runs (and so fails) when Voikko is required', () => {
    expect(voikkoGate(true, false)).toBe('run');
    expect(voikkoGate(false, false)).toBe('skip');
    expect(voikkoGate(false, true)).toBe('run');
  });
});

describe('compound parts from Voikko WORDBASES', () => {
  it('joins derivational suffixes to their stem and reads the last part off the base form', () => {
    expect(compoundParts('+turva(turva)+paikan(paikka)+haki(hakea)+ja(+ja)+keskus(keskus)', 'turvapaikanhakijakeskus')).toEqual(['turva', 'paikka', 'hakija', 'keskus']);
    expect(compoundParts('+ulko+maalais(maalainen)+tausta(tausta)+inen(+inen)', 'ulkomaalaistaustainen')).toEqual(['ulko', 'maalainen', 'taustainen']);
    expect(compoundParts('+romania(Romania)+laisu(+nen)+us(+us)', 'romanialaisuus')).toEqual(['romanialaisuus']);
    expect(compoundParts('+ääri(ääri)+-+islamisti(islamisti)', 'ääri-islamisti')).toEqual(['ääri', 'islamisti']);
    expect(compoundParts('+maahanmuuttaja(maahan=muuttaja)', 'maahanmuuttaja')).toEqual(['maahanmuuttaja']);
  });
});

describeVoikko('Voikko morphology', () => {
  it('is Voikko', () => {
    expect(voikko().kind).toBe('voikko');
  });

  it('gives lemmas and compound parts of inflected compounds', () => {
    const m = voikko();
    expect(m.analyse('turvapaikanhakijakeskuksessa').compoundParts[0]).toEqual(['turva', 'paikka', 'hakija', 'keskus']);
    expect(m.analyse('romaninaisten').compoundParts[0]).toEqual(['romani', 'nainen']);
    expect(m.analyse('maahanmuuttajille').lemmas).toEqual(['maahanmuuttaja']);
    expect(m.analyse('Huittisissa').lemmas).toContain('Huittinen');
    expect(m.analyse('Nurmijärvellä').lemmas).toContain('Nurmijärvi');
  });

  it('keeps the readings that disambiguation needs', () => {
    const m = voikko();
    const venalaiset = m.analyse('Venäläiset').readings;
    expect(venalaiset.some((r) => r.proper === 'surname')).toBe(true);
    expect(venalaiset.some((r) => r.lemma === 'venäläinen' && r.plural === true && r.case === 'nimento')).toBe(true);
    expect(m.analyse('saamme').lemmas).toEqual(['saada']);
    expect(m.analyse('ongelmaton').readings[0]!.negativeDerivation).toBe(true);
  });

  it('caches analyses (word frequencies are Zipfian)', () => {
    const m = voikko();
    m.clearCache();
    m.analyse('kaupungissa');
    m.analyse('kaupungissa');
    m.analyse('kaupungissa');
    expect(m.cacheStats()).toMatchObject({ size: 1, hits: 2, misses: 1 });
  });

  it('treats an overlong token as unknown instead of asking Voikko', () => {
    expect(voikko().analyse('a'.repeat(10_000)).lemmas).toEqual([]);
  });
});

describe('Snowball fallback', () => {
  it('stems and guesses inflection without Voikko', () => {
    expect(snowball.kind).toBe('snowball');
    const a = snowball.analyse('pakolaisille');
    expect(a.lemmas).toHaveLength(1);
    expect(a.readings[0]!.case).toBe('ulkotulento');
    expect(a.readings[0]!.plural).toBe(true);
  });
});
