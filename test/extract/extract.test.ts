import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const NOW = new Date('2024-06-01T12:00:00Z');

function page(head: string, body: string, lang = 'fi'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const PROSE = [
  'Kaupunginvaltuusto käsitteli maanantaina pitkään talousarviota, ja kokouksessa puhuttiin erityisesti koulujen, päiväkotien ja kirjastojen rahoituksesta.',
  'Useampi valtuutettu vaati, että säästöt kohdistetaan hallintoon eikä lasten palveluihin, mutta enemmistö hyväksyi esityksen sellaisenaan.',
  'Kokous jatkui myöhään illalla, ja päätöksistä voi valittaa neljäntoista päivän kuluessa pöytäkirjan nähtävillä olosta.',
];
const prose = PROSE.map((p) => `<p>${p}</p>`).join('\n');

describe('extractArticle: JSON-LD', () => {
  const a = extractArticle(fixture('jsonld-graph.html'), 'https://www.esimerkkilehti.fi/a/1234?utm_source=rss', { now: NOW });

  it('reads the NewsArticle inside @graph', () => {
    expect(a.title).toBe('Kaupunki avaa uuden kohtaamispaikan maahanmuuttajille');
    expect(a.published).toBe('2024-03-05T08:30:00+02:00');
    expect(a.modified).toBe('2024-03-05T10:15:00+02:00');
    expect(a.section).toBe('Kotimaa');
    expect(a.siteName).toBe('Esimerkkilehti');
  });

  it('joins an author array', () => {
    expect(a.author).toBe('Anna Virtanen, Mikko Korhonen');
  });

  it('marks isAccessibleForFree=false as paywalled', () => {
    expect(a.paywalled).toBe(true);
  });

  it('resolves a relative canonical URL against the page', () => {
    expect(a.canonicalUrl).toBe('https://www.esimerkkilehti.fi/uutiset/kohtaamispaikka-avataan-1234');
  });

  it('keeps body headings as paragraphs and leaves the title and navigation out', () => {
    expect(a.paragraphs).toContain('Vapaaehtoiset mukana');
    expect(a.paragraphs[0]).toMatch(/^Kohtaamispaikka avataan keskustaan/);
    expect(a.text).toContain('Kohtaamispaikka on avoinna arkisin');
    expect(a.text).not.toContain('Etusivu');
    expect(a.text).not.toContain('Kaikki oikeudet pidätetään');
    expect(a.paragraphs).not.toContain(a.title);
    expect(a.text).toBe(a.paragraphs.join('\n\n'));
  });

  it('reports language, lead and word count', () => {
    expect(a.language).toBe('fi');
    expect(a.lead).toBe('Kohtaamispaikka avataan keskustaan maaliskuussa.');
    expect(a.wordCount).toBeGreaterThan(60);
    expect(a.usedFeedFallback).toBe(false);
  });
});

describe('extractArticle: structured data beyond the markup', () => {
  it('uses JSON-LD articleBody when the markup holds only a teaser', () => {
    const body = PROSE.join('\n\n');
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Otsikko', articleBody: `${body}\n\n${body}` });
    const html = page(`<script type="application/ld+json">${ld}</script>`, `<article><h1>Otsikko</h1><p>${PROSE[0]}</p></article>`);
    const a = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a.paragraphs).toEqual([...PROSE, ...PROSE]);
  });

  it('prefers the markup when it holds the whole text', () => {
    const ld = JSON.stringify({ '@type': 'NewsArticle', articleBody: PROSE.join(' ') });
    const html = page(`<script type="application/ld+json">${ld}</script>`, `<article><h1>Otsikko</h1>${prose}</article>`);
    expect(extractArticle(html, 'https://example.fi/juttu', { now: NOW }).paragraphs).toEqual(PROSE);
  });

  it('reads the section from breadcrumbs and the lead from an ingress element', () => {
    const crumbs = JSON.stringify({
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 2, name: 'Pirkanmaa' },
        { '@type': 'ListItem', position: 1, name: 'Etusivu' },
      ],
    });
    const html = page(
      `<script type="application/ld+json">${crumbs}</script>`,
      `<article><h1>Otsikko</h1><p class="article__ingress">Valtuusto hyväksyi talousarvion pitkän kokouksen jälkeen maanantaina.</p>${prose}</article>`,
    );
    const a = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a.section).toBe('Pirkanmaa');
    expect(a.lead).toBe('Valtuusto hyväksyi talousarvion pitkän kokouksen jälkeen maanantaina.');
    const dom = page('', `<ol class="breadcrumbs"><li><a href="/">Etusivu</a></li><li><a href="/kotimaa">Kotimaa</a></li></ol><article><h1>Otsikko</h1>${prose}</article>`);
    expect(extractArticle(dom, 'https://example.fi/juttu', { now: NOW }).section).toBe('Kotimaa');
  });
});

describe('extractArticle: dates', () => {
  it('reads meta-only dates', () => {
    const html = page(
      '<meta property="article:published_time" content="2024-05-02T07:15:00Z"><meta property="article:modified_time" content="2024-05-02T09:00:00+03:00">',
      `<article><h1>Otsikko</h1>${prose}</article>`,
    );
    const a = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a.published).toBe('2024-05-02T07:15:00+00:00');
    expect(a.modified).toBe('2024-05-02T09:00:00+03:00');
  });

  it('reads <time datetime> near the headline rather than a news list before it', () => {
    const html = page(
      '',
      `<div class="latest"><ul><li><a href="/x">Muu uutinen</a> <time datetime="2024-05-20T10:00:00+03:00">10.00</time></li></ul></div>
       <article><h1>Otsikko</h1><time datetime="2024-05-17T06:45:00+03:00">17.5.2024</time>${prose}</article>`,
    );
    const a = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a.published).toBe('2024-05-17T06:45:00+03:00');
  });

  it('prefers the visible date under the headline to a later news list marked "published"', () => {
    const html = page(
      '',
      `<article><h1>Otsikko</h1><div class="article__date">19.2.2020 klo 14.00</div>${prose}</article>
       <aside class="latest"><ul><li><time class="listItem__published" datetime="2020-02-19T19:32:07+0200">19:32</time> Muu uutinen</li></ul></aside>`,
    );
    expect(extractArticle(html, 'https://example.fi/juttu', { now: NOW }).published).toBe('2020-02-19T14:00:00+02:00');
  });

  it('takes the date from the URL path and gives it the Helsinki offset', () => {
    const html = page('', `<article><h1>Otsikko</h1>${prose}</article>`);
    expect(extractArticle(html, 'https://example.fi/2024/05/17/otsikko/', { now: NOW }).published).toBe(
      '2024-05-17T00:00:00+03:00',
    );
    expect(extractArticle(html, 'https://example.fi/2024/01/17/otsikko/', { now: NOW }).published).toBe(
      '2024-01-17T00:00:00+02:00',
    );
  });

  it('reads a visible Finnish date when nothing else says it', () => {
    const html = page('', `<article><h1>Otsikko</h1><div class="article-date">Julkaistu 19.2.2020 klo 14.00</div>${prose}</article>`);
    expect(extractArticle(html, 'https://example.fi/juttu', { now: NOW }).published).toBe('2020-02-19T14:00:00+02:00');
  });

  it('rejects a date after now (+1 day) and falls back to the next source', () => {
    const html = page(
      '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2030-01-01T00:00:00Z"}</script>' +
        '<meta property="article:published_time" content="2024-05-30T12:00:00Z">',
      `<article><h1>Otsikko</h1>${prose}</article>`,
    );
    expect(extractArticle(html, 'https://example.fi/juttu', { now: NOW }).published).toBe('2024-05-30T12:00:00+00:00');
    const onlyFuture = page(
      '<meta property="article:published_time" content="2024-06-03T12:00:00Z">',
      `<article><h1>Otsikko</h1>${prose}</article>`,
    );
    expect(extractArticle(onlyFuture, 'https://example.fi/juttu', { now: NOW }).published).toBeNull();
    const withinSlack = page(
      '<meta property="article:published_time" content="2024-06-02T06:00:00Z">',
      `<article><h1>Otsikko</h1>${prose}</article>`,
    );
    expect(extractArticle(withinSlack, 'https://example.fi/juttu', { now: NOW }).published).toBe('2024-06-02T06:00:00+00:00');
  });

  it('rejects dates before 1990', () => {
    const html = page(
      '<meta property="article:published_time" content="1985-06-01T12:00:00Z">',
      `<article><h1>Otsikko</h1>${prose}</article>`,
    );
    expect(extractArticle(html, 'https://example.fi/1985/06/01/juttu', { now: NOW }).published).toBeNull();
  });
});

describe('extractArticle: canonical URL', () => {
  it('uses <base href> and drops non-http canonicals for og:url', () => {
    const a = extractArticle(
      page('<base href="https://cdn.example.fi/news/"><link rel="canonical" href="artikkeli-5">', prose),
      'https://example.fi/x',
      { now: NOW },
    );
    expect(a.canonicalUrl).toBe('https://cdn.example.fi/news/artikkeli-5');
    const b = extractArticle(
      page('<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="https://example.fi/og">', prose),
      'https://example.fi/x',
      { now: NOW },
    );
    expect(b.canonicalUrl).toBe('https://example.fi/og');
    expect(extractArticle(page('', prose), 'https://example.fi/x').canonicalUrl).toBeNull();
  });
});

describe('extractArticle: boilerplate', () => {
  const a = extractArticle(fixture('boilerplate.html'), 'https://gazette.example.com/news/library-hours', { now: NOW });

  it('keeps every article paragraph', () => {
    expect(a.text).toContain('extend the opening hours of the central library');
    expect(a.text).toContain('costs about 40,000 euros a year');
    expect(a.text).toContain('The new hours will be reviewed after one year');
    expect(a.paragraphs).toHaveLength(4);
  });

  it('drops share, newsletter, related, comment and navigation blocks', () => {
    for (const junk of ['Share', 'newsletter', 'Subscribe', 'Related stories', 'Library budget cut', 'comments', 'waste of money',
      'swimming hall', 'weekend hours too', 'Most read', 'Log in', '© 2023']) {
      expect(a.text).not.toContain(junk);
    }
  });

  it('reads title without the site name, and English', () => {
    expect(a.title).toBe('Town council approves new library hours');
    expect(a.language).toBe('en');
    expect(a.published).toBe('2023-11-20T09:00:00+00:00');
  });

  it('drops Finnish furniture lines inside the body', () => {
    const html = page(
      '',
      `<article><h1>Otsikko</h1>${prose}<p>Kuva: Matti Meikäläinen / Lehtikuva</p><p>Lue myös: Valtuusto hyväksyi budjetin</p>` +
        '<p>Saat Ylen parhaat jutut suoraan sähköpostiisi tilaamalla uutiskirjeen.</p><p>Jaa artikkeli</p><p>Mainos</p></article>',
    );
    const a2 = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a2.paragraphs).toEqual(PROSE);
  });

  it('splits <br><br>-separated text into paragraphs and joins single <br> lines', () => {
    const html = page('', `<div class="entry">${PROSE[0]}<br><br>${PROSE[1]}<br>${PROSE[2]}</div>`);
    const a3 = extractArticle(html, 'https://example.fi/juttu', { now: NOW });
    expect(a3.paragraphs).toEqual([PROSE[0], `${PROSE[1]} ${PROSE[2]}`]);
  });
});

describe('extractArticle: paywall and feed fallback', () => {
  const description =
    'Kaupunginvaltuusto kokoontui maanantaina, ja esityslistalla oli kahden kyläkoulun yhdistäminen. ' +
    'Keskustelu venyi yli kolmen tunnin mittaiseksi, ja lopulta valtuusto äänesti yhdistämisen puolesta äänin 27–24. ' +
    'Vanhemmat olivat keränneet adressin koulujen säilyttämiseksi.';

  it('detects a Finnish paywall and uses the longer feed description', () => {
    const a = extractArticle(fixture('paywall-fi.html'), 'https://paikallislehti.fi/uutiset/123', {
      now: NOW,
      feedItem: { title: 'Valtuusto kiisteli', description: `<p>${description}</p>`, published: '2024-02-12T18:40:00+02:00' },
    });
    expect(a.paywalled).toBe(true);
    expect(a.usedFeedFallback).toBe(true);
    expect(a.text).toBe(description);
    expect(a.text).not.toContain('Tilaa');
    expect(a.title).toBe('Valtuusto kiisteli koulujen yhdistämisestä');
    expect(a.author).toBe('Liisa Laine');
  });

  it('keeps the page text when it is longer than the description', () => {
    const a = extractArticle(page('', `<article><h1>Otsikko</h1>${prose}</article>`), 'https://example.fi/juttu', {
      now: NOW,
      feedItem: { description: 'Lyhyt kuvaus.' },
    });
    expect(a.usedFeedFallback).toBe(false);
    expect(a.paragraphs).toEqual(PROSE);
    expect(a.paywalled).toBe(false);
  });

  it('falls back to feed title, date and author when the page has none', () => {
    const a = extractArticle('<html><body><p>Lyhyt.</p></body></html>', 'https://example.fi/juttu', {
      now: NOW,
      feedItem: { title: 'Syötteen otsikko', published: 'Tue, 14 May 2024 09:30:00 +0300', author: 'Pekka Puupää' },
    });
    expect(a.title).toBe('Syötteen otsikko');
    expect(a.published).toBe('2024-05-14T09:30:00+03:00');
    expect(a.author).toBe('Pekka Puupää');
  });
});

describe('extractArticle: language of the article', () => {
  it('detects Swedish text on a page declared Finnish', () => {
    const sv = [
      'Stadsfullmäktige beslöt på måndagen att bygga en ny skola i centrum, och bygget ska vara klart om tre år.',
      'Enligt förslaget ska skolan ha plats för sexhundra elever, och undervisningen ska ges på både svenska och finska.',
    ];
    const a = extractArticle(page('', `<article>${sv.map((p) => `<p>${p}</p>`).join('')}</article>`, 'fi'), 'https://example.fi/a');
    expect(a.language).toBe('sv');
  });

  it('falls back to <html lang> when the text is too short', () => {
    const a = extractArticle(page('', '<p>Ok.</p>', 'sv-FI'), 'https://example.fi/a');
    expect(a.language).toBe('sv');
  });

  it('is null for text in another language', () => {
    const de = [
      'Der Stadtrat hat am Montag beschlossen, im Zentrum eine neue Schule zu bauen, die in drei Jahren fertig sein soll.',
      'Nach dem Vorschlag soll die Schule Platz für sechshundert Schüler bieten, und der Unterricht findet auf Deutsch statt.',
    ];
    const a = extractArticle(page('', `<article>${de.map((p) => `<p>${p}</p>`).join('')}</article>`, 'de'), 'https://example.de/a');
    expect(a.language).toBeNull();
  });
});

describe('extractArticle: pages without an article and hostile input', () => {
  it('returns empty text for a page of navigation only', () => {
    const html = page(
      '<title>Etusivu</title>',
      '<nav><ul><li><a href="/a">Uutiset</a></li><li><a href="/b">Urheilu</a></li></ul></nav>' +
        '<div class="menu"><a href="/c">Kulttuuri</a> <a href="/d">Mielipide</a></div><footer>© Lehti</footer>',
    );
    const a = extractArticle(html, 'https://example.fi/');
    expect(a.text).toBe('');
    expect(a.paragraphs).toEqual([]);
    expect(a.wordCount).toBe(0);
    expect(a.language).toBe('fi');
  });

  it('copes with empty and non-HTML input', () => {
    for (const input of ['', '   ', 'plain text, no markup at all', '<<<>>>', '<html><body></body></html>']) {
      const a = extractArticle(input, 'not a url');
      expect(a.url).toBe('not a url');
      expect(a.canonicalUrl).toBeNull();
      expect(a.published).toBeNull();
    }
  });

  it('stays bounded on deeply unclosed tags and 10,000-character tokens', () => {
    const token = 'x'.repeat(10_000);
    const nested = '<div><span><p>'.repeat(10_000);
    const html =
      `<html><head><title>${token}</title><meta name="description" content="${token}"></head><body>` +
      nested +
      `${token} ${token}, ${token}.` +
      '<p>Tavallinen kappale, jossa on pilkku, ja toinen pilkku, ja vielä kolmas pilkku.</p>'.repeat(2_000) +
      `<a href="/${token}">${token}</a><time datetime="${token}">${token}</time>` +
      '<script>'.repeat(100) +
      '<table><tr><td>' + 'solu '.repeat(5_000);
    expect(html.length).toBeGreaterThan(300_000);
    const started = performance.now();
    const a = extractArticle(html, 'https://example.fi/a', { now: NOW });
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(5_000);
    expect(a.published).toBeNull();
    expect(a.text.length).toBeGreaterThan(0);
    expect(a.text.length).toBeLessThan(html.length);
  });
});
