import { describe, expect, it } from 'vitest';
import type { Morphology } from '../../src/analyse/index.ts';
import { describeVoikko, snowball, tag, voikko } from './helpers.ts';

const codes = (text: string, m: Morphology, opts: { feedMunicipalities?: string[]; regionalFeed?: boolean; title?: string } = {}): string[] =>
  tag({ text, ...opts }, m).municipalities.map((x) => x.code);

// The case forms named in the issue; consonant gradation and -nen stems included.
const TOWN_FORMS: [string, string][] = [
  ['Tampereella järjestettiin konsertti.', '837'],
  ['Huittisissa avattiin uusi koulu.', '102'],
  ['Nurmijärvellä sataa lunta.', '543'],
  ['Lieksassa on hiljaista.', '422'],
  ['Torniossa ylitettiin raja.', '851'],
  ['Oulussa juhlittiin.', '564'],
  ['Forssassa kokoontui valtuusto.', '061'],
  ['Tampereelle muutti perhe.', '837'],
  ['Huittisten kaupunki tiedotti.', '102'],
  ['Klaukkalassa rakennetaan.', '543'],
  ['Rajamäellä on tehdas.', '543'],
  ['Haukiputaalla tulvii.', '564'],
  ['Kiimingissä on uusi koulu.', '564'],
  ['Hervannassa asuu opiskelijoita.', '837'],
];

const SWEDISH: [string, string][] = [
  ['Konserten i Tammerfors var slutsåld.', '837'],
  ['Flyktingar kommer till Uleåborg.', '564'],
  ['Skolan i Vittis får en ny rektor.', '102'],
  ['Gränsen vid Torneå är öppen.', '851'],
];

function suite(name: string, morphology: () => Morphology): void {
  describe(`locality (${name})`, () => {
    for (const [text, code] of TOWN_FORMS) {
      it(`finds ${code} in "${text}"`, () => {
        expect(codes(text, morphology())).toEqual([code]);
      });
    }
    for (const [text, code] of SWEDISH) {
      it(`finds ${code} in Swedish "${text}"`, () => {
        expect(codes(text, morphology())).toEqual([code]);
      });
    }
  });
}

describeVoikko('locality with Voikko', () => {
  suite('voikko', voikko);

  it('gives evidence with offsets and the rule', () => {
    const text = 'Kirjasto avattiin Huittisissa.';
    const m = tag(text).municipalities[0]!;
    const e = m.evidence[0]!;
    expect(text.slice(e.start, e.end)).toBe('Huittisissa');
    expect(e.lemma).toBe('Huittinen');
    expect(e.rule).toBe('name+lead');
  });

  it('weighs the title above the body', () => {
    const a = tag({ title: 'Oulussa juhlitaan', text: 'Juhlat alkavat illalla.' });
    expect(a.municipalities[0]).toMatchObject({ code: '564', score: 3 });
    expect(a.bodyOffset).toBe('Oulussa juhlitaan'.length + 2);
  });

  it('does not read a surname as a place', () => {
    expect(codes('Myöhemmin Ville Ojala kertoi suunnitelmista.', voikko())).toEqual([]);
  });

  it('a regional feed counts a town only when the story is about it', () => {
    const text = 'Poliisi kertoo, että pahoinpitely tapahtui Tampereella lauantaina.\n\nSamana iltana järjestettiin konsertti, jossa esiintyi yhtye.\n\nViime vuonna vastaava tapaus sattui Oulussa.';
    const regional = { feedMunicipalities: ['837', '564'], regionalFeed: true };
    expect(codes(text, voikko(), regional)).toEqual(['837']);
    // Three body mentions make the story about the town too.
    const repeated = `${'Aluksi puhuttiin säästä.\n\n'}Hervannassa oli kokous. Hervannan asukkaat tulivat. Hervantaan tulee koulu.`;
    expect(codes(repeated, voikko(), regional)).toEqual(['837']);
    expect(codes('Aluksi puhuttiin säästä.\n\nMyöhemmin mainittiin Oulu ohimennen.', voikko(), regional)).toEqual([]);
  });

  it("a local feed's own town is a prior", () => {
    const a = tag({ text: 'Kaupungin uimahalli suljetaan remontin ajaksi.', feedMunicipalities: ['061'] });
    expect(a.municipalities.map((m) => m.code)).toEqual(['061']);
    expect(a.municipalities[0]!.evidence[0]!.rule).toBe('feed-prior');
  });
});

suite('snowball', () => snowball);
