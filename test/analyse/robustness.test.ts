import { describe, expect, it } from 'vitest';
import { MAX_ANALYSED_CHARS, type Morphology } from '../../src/analyse/index.ts';
import { describeVoikko, snowball, tag, voikko } from './helpers.ts';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function suite(name: string, morphology: () => Morphology): void {
  describe(`bad input never crashes and stays bounded (${name})`, () => {
    it('empty and blank text', () => {
      for (const text of ['', '   ', '\n\n\n', '...', '–']) {
        const a = tag({ text }, morphology());
        expect(a.groups).toEqual([]);
        expect(a.mentions).toEqual([]);
        expect(a.frame).toBeNull();
        expect(a.tone.label).toBe('neu');
      }
      expect(tag({ text: '', title: '' }, morphology()).language).toBeNull();
    });

    it('a 5 MB text is cut to the analysed maximum and finishes in bounded time', () => {
      const para = 'Tampereella maahanmuuttajat kertoivat kokemuksistaan, ja kaupunki lupasi lisätä kotoutumispalveluja vuonna ';
      let text = '';
      for (let i = 0; text.length < 5_000_000; i++) text += `${para}${1900 + (i % 200)} kohta ${i}.\n\n`;
      const { value: a, ms } = timed(() => tag({ text }, morphology()));
      expect(a.truncated).toBe(true);
      expect(a.groups).toContain('immigrants');
      expect(Math.max(...a.mentions.map((m) => m.end))).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
      expect(ms).toBeLessThan(8000);
    });

    it('Cyrillic and Arabic script', () => {
      const a = tag({ text: 'Беженцы прибыли в город. Власти сообщили об этом в понедельник.' }, morphology());
      expect(a.language).toBeNull();
      expect(a.groups).toEqual([]);
      const b = tag({ text: 'وصل اللاجئون إلى المدينة يوم الاثنين' }, morphology());
      expect(b.language).toBeNull();
      expect(b.groups).toEqual([]);
    });

    it('Finnish with HTML remnants keeps offsets into the raw text', () => {
      const text = '<p class="ingressi">Pakolaisille&nbsp;järjestettiin <b>juhla</b> Oulussa.</p>&lt;/div&gt;';
      const a = tag({ text }, morphology());
      const m = a.mentions.find((x) => x.group === 'refugees')!;
      expect(text.slice(m.start, m.end)).toBe('Pakolaisille');
      expect(a.municipalities.map((x) => x.code)).toEqual(['564']);
    });

    it('unmatched quotes and dashes', () => {
      const a = tag({ text: '”Maahanmuuttajat ovat tervetulleita, sanoo hän. – – ” "" ” – ja ”loppu' }, morphology());
      expect(a.groups).toEqual(['immigrants']);
    });

    it('a token of 10,000 characters', () => {
      const { value: a, ms } = timed(() => tag({ text: `Romanit ${'a'.repeat(10_000)} ja ${'ä-'.repeat(5_000)} pakolaiset.` }, morphology()));
      expect(a.groups).toEqual(['refugees', 'roma']);
      expect(ms).toBeLessThan(2000);
    });

    it('a long run of punctuation and digits', () => {
      const { value: a, ms } = timed(() => tag({ text: `${'!?.,;:'.repeat(20_000)} ${'1234567890'.repeat(5_000)}` }, morphology()));
      expect(a.mentions).toEqual([]);
      expect(ms).toBeLessThan(3000);
    });
  });
}

describeVoikko('robustness with Voikko', () => {
  suite('voikko', voikko);
});
suite('snowball', () => snowball);
