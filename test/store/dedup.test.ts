import { describe, expect, it } from 'vitest';
import { containment, lshBuckets, minhash, normaliseText, shingleHashes, textHash } from '../../src/store/dedup.ts';

const story = `Tampereen kaupunginvaltuusto hyväksyi maanantaina uuden kirjaston rakentamisen Hervantaan.
Hanke maksaa noin kaksitoista miljoonaa euroa, ja rakennustyöt alkavat ensi keväänä.
Kirjastotoimenjohtajan mukaan uusi kirjasto palvelee erityisesti lapsiperheitä ja opiskelijoita.
Valtuustossa käytiin pitkä keskustelu hankkeen kustannuksista ja sijainnista.
Osa valtuutetuista olisi halunnut kirjaston keskustaan, mutta enemmistö kannatti Hervantaa.
Uusi kirjasto on tarkoitus avata yleisölle syksyllä kaksi vuotta myöhemmin.`;

describe('exact duplicates', () => {
  it('hash the text without case, punctuation or spacing differences', () => {
    expect(textHash(story)).toBe(textHash(story.toUpperCase().replace(/\n/g, '  ').replace(/\./g, ' .')));
    expect(normaliseText('Hei,  MAAILMA!\n')).toBe('hei maailma');
    expect(textHash(story)).not.toBe(textHash(story.replace('maanantaina', 'tiistaina')));
  });
});

describe('near duplicates', () => {
  it('a syndicated copy with an edited first sentence and a paragraph fewer is contained', () => {
    const copy = story
      .replace('Tampereen kaupunginvaltuusto hyväksyi maanantaina', 'Tampereella valtuusto päätti maanantaina hyväksyä')
      .split('\n')
      .slice(0, 5)
      .join('\n');
    const a = shingleHashes(story);
    const b = shingleHashes(copy);
    expect(containment(a, b)).toBeGreaterThan(0.7);
    // LSH must make them candidates: at least one band bucket shared.
    const ba = lshBuckets(minhash(a));
    const bb = lshBuckets(minhash(b));
    expect(ba.some((x, i) => bb[i] === x)).toBe(true);
  });

  it('a different story on the same topic is not', () => {
    const other = `Nokian kaupunginvaltuusto hylkäsi maanantaina esityksen uuden uimahallin rakentamisesta.
Hanke olisi maksanut noin kahdeksan miljoonaa euroa. Päätös syntyi äänin 25–18.
Liikuntajohtajan mukaan nykyinen halli kestää vielä kymmenen vuotta peruskorjattuna.`;
    expect(containment(shingleHashes(story), shingleHashes(other))).toBeLessThan(0.2);
  });
});
