// Distinctive terms: words shared by the focus articles and rare in the baseline come first.
import { describe, expect, it } from 'vitest';
import { distinctiveTerms, documentFrequencies } from '../../src/indicators/terms.ts';

const baseline = [
  'Kaupunginvaltuusto käsitteli talousarviota ja koulujen korjauksia.',
  'Kirjaston remontti valmistuu syksyllä, kertoo kaupunki.',
  'Jäähalli saa uudet katsomot ja kaupunginvaltuusto hyväksyi hankkeen.',
  'Koulujen syysloma alkaa ensi viikolla.',
  'Torilla järjestetään syysmarkkinat lauantaina.',
  'Poliisi muistuttaa liukkaista keleistä.',
];

describe('distinctive terms', () => {
  it('ranks words the focus articles share and the baseline lacks, by stem', () => {
    const focus = [
      'Leirintäalueella syntyi riita, ja poliisi kutsuttiin paikalle kahdesti.',
      'Riita leirintäalueella jatkui seuraavana päivänä; vihaviestit levisivät.',
      'Vihaviestejä lähetettiin perheille leirintäalueen riidan jälkeen.',
    ];
    const terms = distinctiveTerms(focus, baseline, { limit: 5 });
    const words = terms.map((t) => t.term);
    // "leirintäalue-" is in all three, in three forms; "riita" in three (riita ×2, riidan stems apart);
    // "poliisi" is in the baseline too, so it scores lower or not at all.
    expect(words[0]).toBe('leirintäalueella');
    expect(terms[0]).toMatchObject({ focusDocs: 3, baselineDocs: 0 });
    expect(terms[0]!.score).toBeCloseTo(Math.log(7 / 1), 12);
    expect(words).toContain('riita');
    expect(words).toContain('vihaviestit');
    expect(words).not.toContain('poliisi');
    // Function words never appear.
    expect(words).not.toContain('ja');
  });

  it('excludes the municipality’s own name and needs two focus articles when there are several', () => {
    const focus = ['Tampereella riita.', 'Tampereen riita jatkui.', 'Tampere ja yksittäinen sana.'];
    const words = distinctiveTerms(focus, baseline, { exclude: ['Tampere'] }).map((t) => t.term);
    expect(words).toEqual(['riita']);
    expect(distinctiveTerms(['Yksi juttu leirintäalueesta.'], baseline).map((t) => t.term)).toContain('leirintäalueesta');
    expect(distinctiveTerms([], baseline)).toEqual([]);
  });

  it('gives the same terms from the baseline’s prepared frequencies as from its texts', () => {
    const focus = ['Poliisi selvittää riitaa Tampereella.', 'Riita poliisin kanssa jatkui Tampereen torilla.', 'Torilla riideltiin.'];
    const prepared = documentFrequencies(baseline);
    expect(prepared.documents).toBe(baseline.length);
    expect(prepared.df.get('poli')).toBe(1); // "Poliisi muistuttaa…"
    for (const exclude of [[], ['Tampere'], ['Torilla']]) {
      expect(distinctiveTerms(focus, prepared, { exclude })).toEqual(distinctiveTerms(focus, baseline, { exclude }));
    }
    expect(distinctiveTerms(focus, documentFrequencies([]))).toEqual(distinctiveTerms(focus, []));
  });
});
