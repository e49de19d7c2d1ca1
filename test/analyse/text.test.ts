import { describe, expect, it } from 'vitest';
import { splitSentences, tokenize } from '../../src/analyse/index.ts';

describe('tokenize', () => {
  it('keeps character offsets that point back into the text', () => {
    const text = 'Ääri-islamistinen ryhmä, EU:n päätös ja 12,5 % — ”lainaus” <p>&amp;';
    const tokens = tokenize(text);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokens.map((t) => t.text)).toEqual(['Ääri-islamistinen', 'ryhmä', ',', 'EU:n', 'päätös', 'ja', '12,5', '%', '—', '”', 'lainaus', '”', '<', 'p', '>', '&', 'amp', ';']);
    expect(tokens[0]!.kind).toBe('word');
    expect(tokens.find((t) => t.text === '12,5')!.kind).toBe('number');
  });

  it('handles scripts other than Latin as words', () => {
    expect(tokenize('Привет мир مرحبا').map((t) => t.kind)).toEqual(['word', 'word', 'word']);
  });
});

describe('splitSentences', () => {
  const texts = (text: string): string[] => splitSentences(text).map((s) => text.slice(s.start, s.end));

  it('does not break at abbreviations, initials or ordinals', () => {
    const text = 'Kokous on klo 12.30 mm. kaupungintalolla 20. kesäkuuta. J. K. Paasikivi puhui esim. nuorille. Seuraava lause alkaa.';
    expect(texts(text)).toEqual(['Kokous on klo 12.30 mm. kaupungintalolla 20. kesäkuuta.', 'J. K. Paasikivi puhui esim. nuorille.', 'Seuraava lause alkaa.']);
  });

  it('splits dash quotes and keeps paragraphs', () => {
    const text = 'Otsikko ilman pistettä\n\n– Olemme tyytyväisiä, sanoo Ali. Hän jatkaa puhetta!\n\nUusi kappale? Kyllä.';
    const sentences = splitSentences(text);
    expect(texts(text)).toEqual(['Otsikko ilman pistettä', '– Olemme tyytyväisiä, sanoo Ali.', 'Hän jatkaa puhetta!', 'Uusi kappale?', 'Kyllä.']);
    expect(sentences.map((s) => s.paragraph)).toEqual([0, 1, 1, 2, 2]);
  });

  it('keeps closing quotes with their sentence and survives unmatched quotes', () => {
    const text = 'Hän sanoi: ”Tämä riittää.” Sitten hän lähti. ”Ei loppua';
    expect(texts(text)).toEqual(['Hän sanoi: ”Tämä riittää.”', 'Sitten hän lähti.', '”Ei loppua']);
  });

  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n\n ')).toEqual([]);
  });
});
