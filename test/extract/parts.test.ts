import { describe, expect, it } from 'vitest';
import { limitNesting } from '../../src/extract/bounds.ts';
import { dateBounds, dateFromUrl, parseDate } from '../../src/extract/dates.ts';
import { detectLanguage } from '../../src/extract/index.ts';

const bounds = dateBounds(new Date('2024-06-01T12:00:00Z'));

describe('parseDate', () => {
  it.each([
    ['2024-05-17T06:45:00+03:00', '2024-05-17T06:45:00+03:00'],
    ['2024-05-17T06:45:00.123Z', '2024-05-17T06:45:00+00:00'],
    ['2020-02-19T14:00:00+0200', '2020-02-19T14:00:00+02:00'],
    ['2017-11-03 03:01:00.000000', '2017-11-03T03:01:00+02:00'],
    ['2024-05-17', '2024-05-17T00:00:00+03:00'],
    ['20240517', '2024-05-17T00:00:00+03:00'],
    ['1715931900', '2024-05-17T07:45:00+00:00'],
    ['Tue, 14 May 2024 09:30:00 GMT', '2024-05-14T09:30:00+00:00'],
    ['19.2.2020 klo 14.00', '2020-02-19T14:00:00+02:00'],
    ['Julkaistu 5.6.2023 9:05', '2023-06-05T09:05:00+03:00'],
    ['17. toukokuuta 2024', '2024-05-17T00:00:00+03:00'],
    ['17 maj 2024 kl. 08.15', '2024-05-17T08:15:00+03:00'],
    ['November 19, 2019 at 6:01 pm', '2019-11-19T18:01:00+02:00'],
    ['19th November 2019', '2019-11-19T00:00:00+02:00'],
    ['Nov. 19, 2019, 10:00 PM UTC', '2019-11-19T22:00:00+00:00'],
  ])('%s', (input, expected) => {
    expect(parseDate(input, bounds)).toBe(expected);
  });

  it.each(['', 'yesterday', '31.2.2024', '2024-13-01', '1989-12-31T23:00:00Z', '2024-06-03T00:00:00Z', 'x'.repeat(10_000)])(
    'rejects %s',
    (input) => {
      expect(parseDate(input, bounds)).toBeNull();
    },
  );

  it('uses Helsinki summer and winter time for values without an offset', () => {
    // EU summer time 2024 began on 31 March at 01:00 UTC.
    expect(parseDate('2024-03-31T02:59:00', bounds)).toBe('2024-03-31T02:59:00+02:00');
    expect(parseDate('2024-03-31T04:30:00', bounds)).toBe('2024-03-31T04:30:00+03:00');
    expect(parseDate('2023-10-29T12:00:00', bounds)).toBe('2023-10-29T12:00:00+02:00');
  });
});

describe('dateFromUrl', () => {
  it.each([
    ['https://example.fi/2024/05/17/otsikko/', '2024-05-17T00:00:00+03:00'],
    ['https://example.com/story/2019-11-19/disney', '2019-11-19T00:00:00+02:00'],
    ['https://example.com/news/20240517-headline', '2024-05-17T00:00:00+03:00'],
    ['https://example.com/2024/05/headline', null],
    ['https://example.com/item/1234567890', null],
    ['https://example.com/2024/02/30/x', null],
  ])('%s', (url, expected) => {
    expect(dateFromUrl(url, bounds)).toBe(expected);
  });
});

describe('detectLanguage', () => {
  it('tells Finnish, Swedish and English apart', () => {
    expect(detectLanguage('Kaupunginvaltuusto hyväksyi maanantaina uuden koulun rakentamisen keskustaan.')).toBe('fi');
    expect(detectLanguage('Stadsfullmäktige godkände på måndagen byggandet av en ny skola i centrum.')).toBe('sv');
    expect(detectLanguage('The city council approved the construction of a new school in the centre on Monday.')).toBe('en');
  });

  it('is null for other languages and for too little text', () => {
    expect(detectLanguage('Der Stadtrat hat am Montag den Bau einer neuen Schule im Zentrum genehmigt.')).toBeNull();
    expect(detectLanguage('Le conseil municipal a approuvé lundi la construction d’une nouvelle école.')).toBeNull();
    expect(detectLanguage('Moi!')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});

describe('limitNesting', () => {
  it('leaves ordinary markup untouched', () => {
    const html = '<html><body><div><p>a<p>b<ul><li>c<li>d</ul></div><svg><path/><path/></svg><script>if (a<b) x()</script></body></html>';
    expect(limitNesting(html, 8)).toBe(html);
  });

  it('drops start tags beyond the limit and keeps their text', () => {
    const html = `${'<div>'.repeat(50)}deep text${'</div>'.repeat(50)}`;
    const out = limitNesting(html, 10);
    expect(out.match(/<div>/g)).toHaveLength(10);
    expect(out).toContain('deep text');
  });

  it('counts "<div/>" as an open div, as the HTML parser does', () => {
    const out = limitNesting('<div/>'.repeat(30), 5);
    expect(out.match(/<div\/>/g)).toHaveLength(5);
  });
});
