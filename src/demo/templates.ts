// Site templates of the demo corpus. Each imitates a kind of site Finnish local news
// actually comes from, with the boilerplate that makes extraction hard: navigation,
// inline "Lue myös" links, ads, paywalls, cookie banners, captions. The article text is
// the same in every template; what differs is where the metadata hides and how much
// noise surrounds the body.

import type { DemoArticle, DemoCorpus, DemoSource } from './corpus.ts';
import { finnishDate, finnishDateTime, helsinkiIso } from './time.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// JSON inside <script> is not parsed as HTML, so entity escaping would corrupt it; the
// characters that could close the script element are written as JSON escapes instead.
function jsonLd(data: unknown): string {
  const json = JSON.stringify(data, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return `<script type="application/ld+json">\n${json}\n</script>`;
}

const e = escapeHtml;

export interface RenderOptions {
  /** absolute origin the page is served from, e.g. http://127.0.0.1:8080 */
  baseUrl?: string;
}

/** Renders the article page as its site would. Returns markup as text; the server encodes it. */
export function renderArticle(article: DemoArticle, corpus: DemoCorpus, opts: RenderOptions = {}): string {
  const source = corpus.sources.find((s) => s.id === article.source);
  if (!source) throw new Error(`article ${article.id}: unknown source`);
  const ctx: PageContext = {
    article,
    source,
    corpus,
    base: (opts.baseUrl ?? 'http://127.0.0.1').replace(/\/$/, ''),
    siblings: corpus.articles.filter((a) => a.source === source.id),
  };
  switch (source.template) {
    case 'portal':
      return portal(ctx);
    case 'classic':
      return classic(ctx);
    case 'subscriber':
      return subscriber(ctx);
    case 'broadcaster':
      return broadcaster(ctx);
    case 'city':
      return city(ctx);
  }
}

/** Front page of a source: the newest articles, linked. */
export function renderFrontPage(source: DemoSource, corpus: DemoCorpus): string {
  const articles = corpus.articles
    .filter((a) => a.source === source.id)
    .sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
  const items = articles
    .map((a) => `      <li><a href="${e(a.url)}">${e(a.title)}</a> <span class="date">${finnishDate(new Date(a.published))}</span></li>`)
    .join('\n');
  const charset = source.encoding === 'windows-1252'
    ? '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    : '<meta charset="utf-8">';
  return `<!DOCTYPE html>
<html lang="fi">
<head>
  ${charset}
  <title>${e(source.name)} – etusivu</title>
</head>
<body>
  <h1>${e(source.name)}</h1>
  <ul class="front-list">
${items}
  </ul>
</body>
</html>
`;
}

interface PageContext {
  article: DemoArticle;
  source: DemoSource;
  corpus: DemoCorpus;
  base: string;
  /** all articles of the same source, oldest first */
  siblings: DemoArticle[];
}

function absolute(ctx: PageContext, path: string): string {
  return `${ctx.base}${path}`;
}

/** Articles published around this one, for "Lue myös" and similar boxes. */
function nearby(ctx: PageContext, count: number, skip = 0): DemoArticle[] {
  const list = ctx.siblings;
  const at = list.findIndex((a) => a.id === ctx.article.id);
  const picked: DemoArticle[] = [];
  for (let d = 1; picked.length < count + skip && d < list.length; d++) {
    for (const i of [at - d, at + d]) {
      const a = list[i];
      if (a && picked.length < count + skip) picked.push(a);
    }
  }
  return picked.slice(skip);
}

function stableNumber(key: string, modulo: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return h % modulo;
}

function townOf(source: DemoSource): string {
  return source.municipalities.length === 1 ? (source.municipalities[0] ?? '') : '';
}

const EDITORS = ['Kaisa Rinne', 'Markku Salonen', 'Tuula Heikkilä', 'Jari Koivisto', 'Anu Lindroos', 'Pekka Järvelä'];
const editorOf = (source: DemoSource): string => EDITORS[stableNumber(source.id, EDITORS.length)] ?? 'Toimitus';
const emailDomain = (source: DemoSource): string => `${source.id.replace(/-/g, '')}.fi`;

function publishedAt(a: DemoArticle): Date {
  return new Date(a.published);
}

function modifiedAt(a: DemoArticle): Date | undefined {
  return a.modified === undefined ? undefined : new Date(a.modified);
}

// ---------------------------------------------------------------- portal

function portal(ctx: PageContext): string {
  const { article: a, source } = ctx;
  const url = absolute(ctx, a.url);
  const pub = publishedAt(a);
  const mod = modifiedAt(a);
  const image = absolute(ctx, `/${source.id}/kuvat/${a.slug}.jpg`);
  const related = nearby(ctx, 4);
  const inline = nearby(ctx, 1, 4)[0] ?? related[0];
  const mostRead = ctx.siblings.filter((x) => x.id !== a.id)
    .sort((x, y) => stableNumber(x.id, 997) - stableNumber(y.id, 997)).slice(0, 5);
  const comments = stableNumber(a.id, 23);
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    description: a.lead,
    datePublished: helsinkiIso(pub),
    dateModified: helsinkiIso(mod ?? pub),
    ...(a.author ? { author: [{ '@type': 'Person', name: a.author }] } : {}),
    articleSection: a.section,
    inLanguage: 'fi',
    image: [image],
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    publisher: {
      '@type': 'NewsMediaOrganization',
      name: source.name,
      logo: { '@type': 'ImageObject', url: absolute(ctx, `/${source.id}/logo.png`) },
    },
  };
  const body: string[] = [];
  a.paragraphs.forEach((p, i) => {
    body.push(`        <p>${e(p)}</p>`);
    if (i === 1 && a.paragraphs.length >= 3 && inline) {
      body.push(`        <aside class="read-also-inline"><strong>Lue myös:</strong> <a href="${e(inline.url)}">${e(inline.title)}</a></aside>`);
    }
    if (i === 2 && a.paragraphs.length >= 5) {
      body.push('        <div class="ad-slot ad-slot--inarticle" data-ad-unit="paraati"><span class="ad-label">Mainos</span></div>');
    }
  });
  const share = (where: string): string => `<div class="share-buttons share-buttons--${where}">
          <a class="share share--facebook" href="https://www.facebook.com/sharer/sharer.php?u=${e(encodeURIComponent(url))}">Jaa Facebookissa</a>
          <a class="share share--x" href="https://x.com/intent/post?url=${e(encodeURIComponent(url))}">Jaa X:ssä</a>
          <a class="share share--whatsapp" href="https://wa.me/?text=${e(encodeURIComponent(url))}">Jaa WhatsAppissa</a>
          <button class="share share--copy" type="button">Kopioi linkki</button>
        </div>`;
  const town = townOf(source);
  return `<!DOCTYPE html>
<html lang="fi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${e(a.title)} | ${e(source.name)}</title>
  <meta name="description" content="${e(a.lead)}">
  <link rel="canonical" href="${e(url)}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="${e(source.name)}">
  <meta property="og:title" content="${e(a.title)}">
  <meta property="og:description" content="${e(a.lead)}">
  <meta property="og:url" content="${e(url)}">
  <meta property="og:image" content="${e(image)}">
  <meta property="og:locale" content="fi_FI">
  <meta property="article:published_time" content="${helsinkiIso(pub)}">
${mod ? `  <meta property="article:modified_time" content="${helsinkiIso(mod)}">\n` : ''}  <meta property="article:section" content="${e(a.section)}">
  <meta name="twitter:card" content="summary_large_image">
  <link rel="alternate" type="application/rss+xml" title="${e(source.name)}" href="${e(source.feeds[0]?.path ?? '/')}">
  <link rel="stylesheet" href="/${source.id}/assets/main.css">
  ${jsonLd(ld)}
  <script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({ pageType: 'article', section: ${JSON.stringify(a.section).replace(/</g, '\\u003c')} });</script>
</head>
<body class="page page--article">
  <div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Evästeet">
    <p>Käytämme evästeitä sivuston toiminnan varmistamiseen, sisällön personointiin ja mainonnan kohdentamiseen. Voit muuttaa valintojasi milloin tahansa sivun alalaidasta.</p>
    <button type="button">Hyväksy kaikki</button> <button type="button">Vain välttämättömät</button>
  </div>
  <header class="site-header">
    <a class="site-logo" href="/${source.id}/">${e(source.name)}</a>
    <nav class="main-nav" aria-label="Päävalikko">
      <ul>
        <li><a href="/${source.id}/">Etusivu</a></li>
        <li><a href="/${source.id}/uutiset">Uutiset</a></li>
        <li><a href="/${source.id}/urheilu">Urheilu</a></li>
        <li><a href="/${source.id}/kulttuuri">Kulttuuri</a></li>
        <li><a href="/${source.id}/mielipide">Mielipide</a></li>
        <li><a href="/${source.id}/tapahtumat">Tapahtumat</a></li>
        <li><a href="/${source.id}/tilaa">Tilaa</a></li>
      </ul>
    </nav>
    <div class="header-tools"><a href="/${source.id}/haku">Haku</a> <a href="/${source.id}/kirjaudu">Kirjaudu</a></div>
  </header>
  <div class="ad-slot ad-slot--top" data-ad-unit="jattiboksi"><span class="ad-label">Mainos</span></div>
  <main id="content" class="layout">
    <nav class="breadcrumbs" aria-label="Murupolku"><a href="/${source.id}/">Etusivu</a> › <a href="/${source.id}/uutiset">${e(a.section)}</a></nav>
    <article class="article">
      <header class="article__header">
        <span class="article__section">${e(a.section)}</span>
        <h1 class="article__title">${e(a.title)}</h1>
        <p class="article__lead">${e(a.lead)}</p>
        <div class="article__meta">
          ${a.author ? `<span class="article__author">${e(a.author)}</span>` : ''}
          <time class="article__published" datetime="${helsinkiIso(pub)}">${finnishDateTime(pub)}</time>
          ${mod ? `<span class="article__updated">Päivitetty <time datetime="${helsinkiIso(mod)}">${finnishDateTime(mod)}</time></span>` : ''}
        </div>
        ${share('top')}
      </header>
      <figure class="article__image">
        <img src="/${source.id}/kuvat/${e(a.slug)}.jpg" alt="" width="1200" height="675" loading="lazy">
        <figcaption>Kuva: ${e(a.author ?? 'Arkisto')}</figcaption>
      </figure>
      <div class="article__body">
${body.join('\n')}
      </div>
      <div class="article__tags">Aiheet: <a href="/${source.id}/aihe/${e(encodeURIComponent(a.section.toLowerCase()))}">${e(a.section)}</a>${town ? ` <a href="/${source.id}/aihe/${e(encodeURIComponent(town.toLowerCase()))}">${e(town)}</a>` : ''}</div>
      ${share('bottom')}
    </article>
    <section class="comments-teaser">
      <h2>Kommentit (${comments})</h2>
      <p>Keskustelu on avoinna tilaajille. Kirjaudu sisään ja kerro mielipiteesi asiallisesti.</p>
      <a href="/${source.id}/kirjaudu">Kirjaudu kommentoimaan</a>
    </section>
    <aside class="related">
      <h2>Lue myös</h2>
      <ul>
${related.map((r) => `        <li><a href="${e(r.url)}">${e(r.title)}</a> <time datetime="${helsinkiIso(publishedAt(r))}">${finnishDate(publishedAt(r))}</time></li>`).join('\n')}
      </ul>
    </aside>
    <aside class="newsletter">
      <h2>Tilaa uutiskirje</h2>
      <p>Saat ${e(source.name)} -lehden tärkeimmät uutiset sähköpostiisi joka arkiaamu kello seitsemän.</p>
      <form action="/${source.id}/uutiskirje" method="post"><input type="email" name="email" placeholder="Sähköpostiosoite"> <button type="submit">Tilaa</button></form>
    </aside>
    <aside class="most-read">
      <h2>Luetuimmat</h2>
      <ol>
${mostRead.map((r) => `        <li><a href="${e(r.url)}">${e(r.title)}</a></li>`).join('\n')}
      </ol>
    </aside>
  </main>
  <footer class="site-footer">
    <p><strong>${e(source.name)}</strong> – paikallista journalismia joka päivä.</p>
    <p>Päätoimittaja ${e(editorOf(source))}. Uutisvinkit: uutiset@${emailDomain(source)}</p>
    <ul class="footer-links">
      <li><a href="/${source.id}/tietosuoja">Tietosuojaseloste</a></li>
      <li><a href="/${source.id}/evasteet">Evästeasetukset</a></li>
      <li><a href="/${source.id}/toimitus">Toimitus ja yhteystiedot</a></li>
      <li><a href="/${source.id}/ilmoita">Ilmoita lehdessä</a></li>
    </ul>
    <p>© 2026 ${e(source.name)}. Sisällön lainaaminen on sallittu lähde mainiten.</p>
  </footer>
</body>
</html>
`;
}

// ---------------------------------------------------------------- classic

// An older CMS: table layout, windows-1252, no structured data, the date only as text
// (and in meta name=date), paragraphs separated by <br><br> rather than <p>.
function classic(ctx: PageContext): string {
  const { article: a, source } = ctx;
  const pub = publishedAt(a);
  const mod = modifiedAt(a);
  const latest = [...ctx.siblings].reverse().filter((x) => x.id !== a.id).slice(0, 6);
  const others = nearby(ctx, 5);
  const town = townOf(source);
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>${e(source.name)} - ${e(a.title)}</title>
<meta name="date" content="${helsinkiIso(pub)}">
<meta name="keywords" content="${e(a.section)}${town ? `, ${e(town)}` : ''}, uutiset">
<meta name="description" content="${e(a.lead)}">
<link rel="stylesheet" href="/${source.id}/css/tyyli.css" type="text/css">
<script type="text/javascript" src="/${source.id}/js/valikko.js"></script>
</head>
<body bgcolor="#ffffff" leftmargin="0" topmargin="0">
<table width="980" cellpadding="0" cellspacing="0" border="0" align="center">
<tr>
<td colspan="2" class="ylapalkki"><a href="/${source.id}/"><img src="/${source.id}/kuvat/logo.gif" alt="${e(source.name)}" border="0"></a></td>
</tr>
<tr>
<td colspan="2" class="valikko"><a href="/${source.id}/">Etusivu</a> | <a href="/${source.id}/uutiset/">Uutiset</a> | <a href="/${source.id}/urheilu/">Urheilu</a> | <a href="/${source.id}/mielipide/">Mielipide</a> | <a href="/${source.id}/seurakunnat/">Seurakunnat</a> | <a href="/${source.id}/ilmoitukset/">Ilmoitukset</a> | <a href="/${source.id}/tilaa/">Tilaa lehti</a></td>
</tr>
<tr>
<td width="190" valign="top" class="vasen">
<div class="laatikko"><b>Osastot</b><br>
<a href="/${source.id}/uutiset/">Paikalliset</a><br>
<a href="/${source.id}/urheilu/">Urheilu</a><br>
<a href="/${source.id}/kulttuuri/">Kulttuuri</a><br>
<a href="/${source.id}/mielipide/">Lukijoilta</a><br>
<a href="/${source.id}/muistot/">Muistokirjoitukset</a></div>
<div class="laatikko"><b>Tuoreimmat</b><br>
${latest.map((x) => `<a href="${e(x.url)}">${e(x.title)}</a><br>`).join('\n')}
</div>
<div class="laatikko"><b>Ilmoita lehdessä</b><br>Ilmoitusmyynti palvelee arkisin klo 8&ndash;16.<br>ilmoitukset@${emailDomain(source)}</div>
</td>
<td valign="top" class="sisalto">
<div class="osasto">${e(a.section)}</div>
<h1 class="otsikko">${e(a.title)}</h1>
<div class="pvm">Julkaistu ${finnishDateTime(pub)}</div>
${mod ? `<div class="pvm">Päivitetty ${finnishDateTime(mod)}</div>\n` : ''}<div class="ingressi"><b>${e(a.lead)}</b></div>
<div class="teksti">
${a.paragraphs.map((p) => e(p)).join('\n<br><br>\n')}
</div>
${a.author ? `<div class="kirjoittaja">${e(a.author)}</div>\n` : ''}<div class="tulosta"><a href="javascript:window.print()">Tulosta</a> | <a href="mailto:?subject=${e(encodeURIComponent(a.title))}">Lähetä kaverille</a></div>
<br>
<table class="muut" width="100%" cellpadding="2" cellspacing="0">
<tr><td><b>Muita uutisia</b></td></tr>
${others.map((x) => `<tr><td><a href="${e(x.url)}">${e(x.title)}</a> (${finnishDate(publishedAt(x))})</td></tr>`).join('\n')}
</table>
</td>
</tr>
<tr>
<td colspan="2" class="alapalkki">${e(source.name)} | Päätoimittaja ${e(editorOf(source))} | toimitus@${emailDomain(source)} | &copy; ${e(source.name)} 2026</td>
</tr>
</table>
</body>
</html>
`;
}

// ---------------------------------------------------------------- subscriber

// A paywalled paper: locked articles show title, lead and the first paragraph only. The
// paywall is announced the way publishers announce it to search engines.
function subscriber(ctx: PageContext): string {
  const { article: a, source } = ctx;
  const url = absolute(ctx, a.url);
  const pub = publishedAt(a);
  const mod = modifiedAt(a);
  const locked = a.paywalled === true;
  const shown = locked ? a.paragraphs.slice(0, 1) : a.paragraphs;
  const more = nearby(ctx, 4);
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    description: a.lead,
    datePublished: helsinkiIso(pub),
    dateModified: helsinkiIso(mod ?? pub),
    ...(a.author ? { author: { '@type': 'Person', name: a.author } } : {}),
    articleSection: a.section,
    isAccessibleForFree: !locked,
    ...(locked
      ? { hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.story__locked' } }
      : {}),
    publisher: { '@type': 'Organization', name: source.name },
    url,
  };
  return `<!DOCTYPE html>
<html lang="fi">
<head>
  <meta charset="utf-8">
  <title>${e(a.title)} – ${e(source.name)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="${e(a.lead)}">
  <link rel="canonical" href="${e(url)}">
  <meta property="og:title" content="${e(a.title)}">
  <meta property="og:description" content="${e(a.lead)}">
  <meta property="og:url" content="${e(url)}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="${helsinkiIso(pub)}">
  ${jsonLd(ld)}
</head>
<body>
  <div class="topbar">
    <a class="brand" href="/${source.id}/">${e(source.name)}</a>
    <ul class="topnav">
      <li><a href="/${source.id}/uutiset">Uutiset</a></li>
      <li><a href="/${source.id}/urheilu">Urheilu</a></li>
      <li><a href="/${source.id}/menot">Menot</a></li>
      <li><a href="/${source.id}/nakoislehti">Näköislehti</a></li>
    </ul>
    <a class="btn btn--order" href="/${source.id}/tilaa">Tilaa</a> <a class="btn btn--login" href="/${source.id}/kirjaudu">Kirjaudu</a>
  </div>
  <div class="container">
    <div class="story">
      <div class="story__labels"><span class="story__category">${e(a.section)}</span>${locked ? ' <span class="story__badge">Tilaajille</span>' : ''}</div>
      <h1 class="story__headline">${e(a.title)}</h1>
      <div class="story__ingress">${e(a.lead)}</div>
      <div class="story__byline">
        ${a.author ? `<span class="story__author">Teksti: ${e(a.author)}</span>` : ''}
        <time datetime="${helsinkiIso(pub)}">${finnishDate(pub)} ${finnishDateTime(pub).split(' klo ')[1] ?? ''}</time>
        ${mod ? `<span class="story__modified">Päivitetty ${finnishDateTime(mod)}</span>` : ''}
      </div>
      <div class="story__content">
${shown.map((p) => `        <p>${e(p)}</p>`).join('\n')}
      </div>
${locked ? `      <div class="story__locked paywall">
        <h2>Tämä juttu on vain tilaajille.</h2>
        <p>Tilaa ${e(source.name)} ja lue kaikki paikalliset uutiset, näköislehti ja arkisto. Ensimmäinen kuukausi 1 €.</p>
        <a class="btn btn--order" href="/${source.id}/tilaa">Tilaa nyt</a>
        <p class="paywall__login">Oletko jo tilaaja? <a href="/${source.id}/kirjaudu">Kirjaudu sisään</a></p>
      </div>
` : ''}    </div>
    <div class="sidebar">
      <div class="widget widget--more">
        <h3>Muut lukivat</h3>
        <ul>
${more.map((x) => `          <li><a href="${e(x.url)}">${e(x.title)}</a></li>`).join('\n')}
        </ul>
      </div>
      <div class="widget widget--ad"><span>Mainos</span></div>
    </div>
  </div>
  <div class="footer">
    <p>${e(source.name)} · Päätoimittaja ${e(editorOf(source))} · asiakaspalvelu@${emailDomain(source)}</p>
    <p><a href="/${source.id}/tietosuoja">Tietosuoja</a> · <a href="/${source.id}/kayttoehdot">Käyttöehdot</a></p>
  </div>
</body>
</html>
`;
}

// ---------------------------------------------------------------- broadcaster

function broadcaster(ctx: PageContext): string {
  const { article: a, source } = ctx;
  const url = absolute(ctx, a.url);
  const pub = publishedAt(a);
  const mod = modifiedAt(a);
  const feed = source.feeds.find((f) => f.id === a.feeds[0]);
  const desk = feed?.title ?? source.name;
  const photographer = a.author ?? source.name;
  const image = absolute(ctx, `/${source.id}/kuvat/${a.slug}.jpg`);
  const latest = [...ctx.siblings].reverse().filter((x) => x.id !== a.id && x.feeds.some((f) => a.feeds.includes(f))).slice(0, 5);
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'Organization', '@id': `${ctx.base}/${source.id}/#org`, name: source.name, url: `${ctx.base}/${source.id}/` },
      { '@type': 'WebSite', '@id': `${ctx.base}/${source.id}/#site`, name: source.name, publisher: { '@id': `${ctx.base}/${source.id}/#org` } },
      {
        '@type': 'NewsArticle',
        '@id': `${url}#article`,
        headline: a.title,
        description: a.lead,
        datePublished: pub.toISOString(),
        dateModified: (mod ?? pub).toISOString(),
        ...(a.author ? { author: [{ '@type': 'Person', name: a.author }] } : {}),
        articleSection: [a.section, desk],
        image: { '@type': 'ImageObject', url: image, caption: `Kuva: ${photographer} / ${source.name}` },
        publisher: { '@id': `${ctx.base}/${source.id}/#org` },
        isPartOf: { '@id': `${ctx.base}/${source.id}/#site` },
        mainEntityOfPage: url,
        inLanguage: 'fi',
      },
      {
        '@type': 'BreadcrumbList',
        itemListElement: [
          { '@type': 'ListItem', position: 1, name: 'Uutiset', item: `${ctx.base}/${source.id}/` },
          { '@type': 'ListItem', position: 2, name: desk, item: `${ctx.base}/${source.id}/${feed?.id ?? ''}` },
        ],
      },
    ],
  };
  return `<!DOCTYPE html>
<html lang="fi" data-theme="light">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${e(a.title)} | ${e(desk)} | ${e(source.name)}</title>
  <meta name="description" content="${e(a.lead)}">
  <meta property="og:title" content="${e(a.title)}">
  <meta property="og:description" content="${e(a.lead)}">
  <meta property="og:image" content="${e(image)}">
  <meta property="og:url" content="${e(url)}">
  <link rel="canonical" href="${e(url)}">
  ${jsonLd(ld)}
  <script id="__APP_STATE__" type="application/json">{"route":"article","desk":${JSON.stringify(desk).replace(/</g, '\\u003c')}}</script>
</head>
<body>
  <div id="__app">
    <a class="ar-skip" href="#ar-main">Siirry pääsisältöön</a>
    <header class="ar-header">
      <a class="ar-header__brand" href="/${source.id}/">${e(source.name)}</a>
      <nav class="ar-header__nav">
        <a href="/${source.id}/">Uutiset</a>
        <a href="/${source.id}/urheilu">Urheilu</a>
        <a href="/${source.id}/saa">Sää</a>
        <a href="/${source.id}/kuuntele">Kuuntele suorana</a>
        ${source.feeds.map((f) => `<a href="/${source.id}/${e(f.id)}">${e(f.title)}</a>`).join('\n        ')}
      </nav>
    </header>
    <main id="ar-main" class="ar-page">
      <article class="ar-article">
        <header class="ar-article__header">
          <p class="ar-article__kicker"><a href="/${source.id}/${e(feed?.id ?? '')}">${e(desk)}</a> · ${e(a.section)}</p>
          <h1 class="ar-article__headline">${e(a.title)}</h1>
        </header>
        <figure class="ar-figure">
          <img class="ar-figure__img" src="/${source.id}/kuvat/${e(a.slug)}.jpg" alt="" width="1440" height="810">
          <figcaption class="ar-figure__caption"><span class="ar-figure__text">Kuvituskuva.</span> <span class="ar-figure__credit">Kuva: ${e(photographer)} / ${e(source.name)}</span></figcaption>
        </figure>
        <p class="ar-article__lead">${e(a.lead)}</p>
        <div class="ar-article__byline">
          ${a.author ? `<span class="ar-author">${e(a.author)}</span>` : ''}
          <span class="ar-dates"><time datetime="${pub.toISOString()}">${finnishDateTime(pub)}</time>${mod ? ` · Päivitetty <time datetime="${mod.toISOString()}">${finnishDateTime(mod)}</time>` : ''}</span>
        </div>
        <div class="ar-audio"><button type="button" class="ar-audio__play">Kuuntele juttu</button> <span class="ar-audio__note">Koneluettu ääni</span></div>
        <section class="ar-article__content">
${a.paragraphs.map((p) => `          <p class="ar-paragraph">${e(p)}</p>`).join('\n')}
        </section>
        <footer class="ar-article__footer">
          <p class="ar-feedback">Voit keskustella aiheesta ${e(source.name)}n sivuilla klo 22:een asti. <a href="/${source.id}/palaute">Lähetä palautetta</a></p>
        </footer>
      </article>
      <section class="ar-latest">
        <h2 class="ar-latest__title">Uusimmat: ${e(desk)}</h2>
        <ul>
${latest.map((x) => `          <li class="ar-latest__item"><a href="${e(x.url)}">${e(x.title)}</a> <time datetime="${publishedAt(x).toISOString()}">${finnishDateTime(publishedAt(x))}</time></li>`).join('\n')}
        </ul>
      </section>
    </main>
    <footer class="ar-footer">
      <p>${e(source.name)} – alueellinen radio- ja verkkouutispalvelu. Vastaava päätoimittaja ${e(editorOf(source))}.</p>
      <p><a href="/${source.id}/saavutettavuus">Saavutettavuusseloste</a> · <a href="/${source.id}/tietosuoja">Tietosuoja</a> · <a href="/${source.id}/yhteystiedot">Yhteystiedot</a></p>
    </footer>
  </div>
</body>
</html>
`;
}

// ---------------------------------------------------------------- city

function city(ctx: PageContext): string {
  const { article: a, source } = ctx;
  const pub = publishedAt(a);
  const mod = modifiedAt(a);
  const town = townOf(source);
  const news = [...ctx.siblings].reverse().filter((x) => x.id !== a.id).slice(0, 5);
  return `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<title>${e(a.title)} - ${e(source.name)}</title>
<meta name="description" content="${e(a.lead)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<a class="skip-link" href="#main">Siirry sisältöön</a>
<header class="header">
  <div class="header__top"><a class="header__logo" href="/${source.id}/">${e(town || source.name)}</a>
    <span class="header__lang"><a href="/${source.id}/sv">På svenska</a> | <a href="/${source.id}/en">In English</a></span>
    <form class="header__search" action="/${source.id}/haku"><input type="search" name="q" aria-label="Hae sivustolta"><button>Hae</button></form>
  </div>
  <nav class="header__nav">
    <ul>
      <li><a href="/${source.id}/asuminen">Asuminen ja ympäristö</a></li>
      <li><a href="/${source.id}/kasvatus">Kasvatus ja opetus</a></li>
      <li><a href="/${source.id}/sote">Sosiaali- ja terveyspalvelut</a></li>
      <li><a href="/${source.id}/kulttuuri">Kulttuuri ja vapaa-aika</a></li>
      <li><a href="/${source.id}/tyo">Työ ja yrittäjyys</a></li>
      <li><a href="/${source.id}/paatoksenteko">Päätöksenteko</a></li>
      <li><a href="/${source.id}/ajankohtaista">Ajankohtaista</a></li>
    </ul>
  </nav>
</header>
<div class="breadcrumb"><a href="/${source.id}/">Etusivu</a> &gt; <a href="/${source.id}/ajankohtaista">Ajankohtaista</a> &gt; <span>${e(a.title)}</span></div>
<div class="page">
<main id="main" class="page__main">
<h1>${e(a.title)}</h1>
<p class="ingress">${e(a.lead)}</p>
<div class="text-content">
${a.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}
</div>
<p class="page-meta">Julkaistu ${finnishDateTime(pub)}${mod ? ` | Päivitetty ${finnishDateTime(mod)}` : ''}</p>
<div class="share">Jaa sivu: <a href="https://www.facebook.com/sharer/sharer.php">Facebook</a> <a href="https://www.linkedin.com/shareArticle">LinkedIn</a></div>
</main>
<aside class="page__side">
<h2>Ajankohtaista</h2>
<ul>
${news.map((x) => `<li><a href="${e(x.url)}">${e(x.title)}</a></li>`).join('\n')}
</ul>
<h2>Asiointi</h2>
<ul>
<li><a href="/${source.id}/asiakaspalvelu">Asiakaspalvelu</a></li>
<li><a href="/${source.id}/sahkoinen-asiointi">Sähköinen asiointi</a></li>
<li><a href="/${source.id}/palaute">Anna palautetta</a></li>
</ul>
</aside>
</div>
<footer class="footer">
<p>${e(source.name)} · Kaupungin asiakaspalvelu palvelee arkisin klo 9–16.</p>
<p><a href="/${source.id}/saavutettavuus">Saavutettavuusseloste</a> | <a href="/${source.id}/tietosuoja">Tietosuoja</a> | <a href="/${source.id}/evasteet">Evästeet</a></p>
</footer>
</body>
</html>
`;
}
