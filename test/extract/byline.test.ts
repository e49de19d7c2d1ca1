import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { isFurnitureLine } from '../../src/extract/patterns.ts';

const body = Array.from({ length: 4 }, (_, i) => `<p class="ar-paragraph">Kappale ${i + 1}: kaupunginhallitus käsitteli maanantaina koulujen korjauksia, ja päätös syntyi äänestyksen jälkeen pitkän keskustelun päätteeksi.</p>`).join('\n');

describe('bylines inside the article', () => {
  it('a BEM byline element is furniture even though its block is called article', () => {
    const html = `<html><body><article class="ar-article">
      <h1 class="ar-article__headline">Otsikko</h1>
      <p class="ar-article__lead">Ingressi kertoo lyhyesti, mistä on kyse.</p>
      <div class="ar-article__byline"><span class="ar-author">Sari Heikkilä</span> <span><time datetime="2026-10-06T05:20:00Z">6.10.2026 klo 8.20</time></span></div>
      <section class="ar-article__content">${body}</section></article></body></html>`;
    const a = extractArticle(html, 'https://alueradio.example/uutiset/1');
    expect(a.paragraphs.some((p) => p.includes('Sari Heikkilä'))).toBe(false);
    expect(a.paragraphs.filter((p) => p.startsWith('Kappale'))).toHaveLength(4);
  });

  it('a line of only a name and a Finnish date is a byline, a sentence with a date is not', () => {
    expect(isFurnitureLine('Sari Heikkilä 6.10.2026 klo 8.20')).toBe(true);
    expect(isFurnitureLine('Olli Pesonen, 17.11.2026')).toBe(true);
    expect(isFurnitureLine('Valtuusto kokoontuu 6.10.2026 klo 18.00 kaupungintalolla.')).toBe(false);
  });
});
