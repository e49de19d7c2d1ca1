// Feed documents of the demo corpus in the three syndication formats local sites still
// publish: RSS 2.0, RSS 1.0 (RDF) and Atom, with the quirks a reader has to cope with
// (tracking parameters in links, opaque guids, local-offset dates, legacy encodings).

import type { DemoArticle, DemoCorpus, DemoFeed } from './corpus.ts';
import { helsinkiIso, rfc822 } from './time.ts';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const x = escapeXml;

/** Articles a feed lists, newest first. */
export function feedArticles(feed: DemoFeed, corpus: DemoCorpus): DemoArticle[] {
  return corpus.articles
    .filter((a) => a.feeds.includes(feed.id))
    .sort((a, b) => Date.parse(b.published) - Date.parse(a.published) || a.slug.localeCompare(b.slug));
}

/** When the feed last changed: the latest publication or edit among its items. */
export function feedLastModified(feed: DemoFeed, corpus: DemoCorpus): Date {
  let latest = 0;
  for (const a of feedArticles(feed, corpus)) {
    latest = Math.max(latest, Date.parse(a.published), a.modified ? Date.parse(a.modified) : 0);
  }
  return new Date(latest);
}

/** Renders the feed as XML text; the server encodes it in feed.encoding. */
export function renderFeed(feed: DemoFeed, corpus: DemoCorpus, baseUrl = 'http://127.0.0.1'): string {
  const base = baseUrl.replace(/\/$/, '');
  const source = corpus.sources.find((s) => s.id === feed.source);
  if (!source) throw new Error(`feed ${feed.id}: unknown source ${feed.source}`);
  const items = feedArticles(feed, corpus);
  const ctx: FeedContext = {
    feed,
    base,
    items,
    siteUrl: `${base}/${source.id}/`,
    selfUrl: `${base}${feed.path}`,
    sourceName: source.name,
    updated: feedLastModified(feed, corpus),
  };
  const declaredEncoding = feed.encoding === 'utf-8' ? 'UTF-8' : 'ISO-8859-1';
  const head = `<?xml version="1.0" encoding="${declaredEncoding}"?>\n`;
  switch (feed.format) {
    case 'rss2':
      return head + rss2(ctx);
    case 'rss1':
      return head + rss1(ctx);
    case 'atom':
      return head + atom(ctx);
  }
}

interface FeedContext {
  feed: DemoFeed;
  base: string;
  items: DemoArticle[];
  siteUrl: string;
  selfUrl: string;
  sourceName: string;
  updated: Date;
}

function itemLink(ctx: FeedContext, a: DemoArticle): string {
  const url = `${ctx.base}${a.url}`;
  return ctx.feed.linkQuery ? `${url}${url.includes('?') ? '&' : '?'}${ctx.feed.linkQuery}` : url;
}

function itemGuid(ctx: FeedContext, a: DemoArticle): string {
  return `urn:${ctx.feed.source}:article:${a.slug}`;
}

function fullTextHtml(a: DemoArticle): string {
  return a.paragraphs.map((p) => `<p>${x(p)}</p>`).join('\n');
}

// CDATA keeps the embedded HTML readable, but numeric character references are not
// resolved inside it, so a legacy-encoded feed escapes the markup instead.
function htmlPayload(ctx: FeedContext, html: string): string {
  if (ctx.feed.encoding !== 'utf-8') return x(html);
  return `<![CDATA[${html.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function rss2(ctx: FeedContext): string {
  const { feed } = ctx;
  const ns = [
    'xmlns:atom="http://www.w3.org/2005/Atom"',
    'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ...(feed.fullText ? ['xmlns:content="http://purl.org/rss/1.0/modules/content/"'] : []),
  ].join(' ');
  const items = ctx.items.map((a) => {
    const link = itemLink(ctx, a);
    const guid = feed.guid === 'urn'
      ? `<guid isPermaLink="false">${x(itemGuid(ctx, a))}</guid>`
      : `<guid isPermaLink="true">${x(link)}</guid>`;
    return [
      '    <item>',
      `      <title>${x(a.title)}</title>`,
      `      <link>${x(link)}</link>`,
      `      ${guid}`,
      `      <pubDate>${rfc822(new Date(a.published), feed.pubDate === 'helsinki' ? 'helsinki' : 'gmt')}</pubDate>`,
      ...(a.author ? [`      <dc:creator>${x(a.author)}</dc:creator>`] : []),
      `      <category>${x(a.section)}</category>`,
      `      <description>${x(a.lead)}</description>`,
      ...(feed.fullText ? [`      <content:encoded>${htmlPayload(ctx, fullTextHtml(a))}</content:encoded>`] : []),
      '    </item>',
    ].join('\n');
  });
  return `<rss version="2.0" ${ns}>
  <channel>
    <title>${x(feed.title)}</title>
    <link>${x(ctx.siteUrl)}</link>
    <description>${x(feed.region ?? `${ctx.sourceName}: uutiset`)}</description>
    <language>fi</language>
    <lastBuildDate>${rfc822(ctx.updated, feed.pubDate === 'helsinki' ? 'helsinki' : 'gmt')}</lastBuildDate>
    <atom:link href="${x(ctx.selfUrl)}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
  </channel>
</rss>
`;
}

function rss1(ctx: FeedContext): string {
  const { feed } = ctx;
  const seq = ctx.items.map((a) => `          <rdf:li rdf:resource="${x(itemLink(ctx, a))}"/>`).join('\n');
  const items = ctx.items.map((a) => {
    const link = itemLink(ctx, a);
    return [
      `  <item rdf:about="${x(link)}">`,
      `    <title>${x(a.title)}</title>`,
      `    <link>${x(link)}</link>`,
      `    <description>${x(a.lead)}</description>`,
      `    <dc:date>${helsinkiIso(new Date(a.published))}</dc:date>`,
      ...(a.author ? [`    <dc:creator>${x(a.author)}</dc:creator>`] : []),
      `    <dc:subject>${x(a.section)}</dc:subject>`,
      '  </item>',
    ].join('\n');
  });
  return `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="${x(ctx.selfUrl)}">
    <title>${x(feed.title)}</title>
    <link>${x(ctx.siteUrl)}</link>
    <description>${x(feed.region ?? `${ctx.sourceName}: uutiset`)}</description>
    <dc:language>fi</dc:language>
    <dc:date>${helsinkiIso(ctx.updated)}</dc:date>
    <items>
      <rdf:Seq>
${seq}
      </rdf:Seq>
    </items>
  </channel>
${items.join('\n')}
</rdf:RDF>
`;
}

function atom(ctx: FeedContext): string {
  const { feed } = ctx;
  const host = `${feed.source}.demo`;
  const entries = ctx.items.map((a) => {
    const link = itemLink(ctx, a);
    const id = feed.guid === 'urn' ? `tag:${host},2026:${a.url.split('/').pop() ?? a.slug}` : link;
    const updated = a.modified ?? a.published;
    return [
      '  <entry>',
      `    <id>${x(id)}</id>`,
      `    <title type="text">${x(a.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(link)}"/>`,
      `    <published>${helsinkiIso(new Date(a.published))}</published>`,
      `    <updated>${helsinkiIso(new Date(updated))}</updated>`,
      ...(a.author ? [`    <author><name>${x(a.author)}</name></author>`] : []),
      `    <category term="${x(a.section)}"/>`,
      `    <summary type="text">${x(a.lead)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fi">
  <id>${x(feed.guid === 'urn' ? `tag:${host},2026:feed:${feed.id}` : ctx.selfUrl)}</id>
  <title>${x(feed.title)}</title>
${feed.region ? `  <subtitle>${x(feed.region)}</subtitle>\n` : ''}  <link rel="self" type="application/atom+xml" href="${x(ctx.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${x(ctx.siteUrl)}"/>
  <updated>${helsinkiIso(ctx.updated)}</updated>
  <author><name>${x(ctx.sourceName)}</name></author>
${entries.join('\n')}
</feed>
`;
}
