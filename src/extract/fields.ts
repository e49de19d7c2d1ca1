/**
 * Field resolvers: each metadata field from the signals, strongest source first.
 * Structured data (JSON-LD, <meta>) outranks markup conventions, which outrank visible text.
 */
import { normalizeSpace } from './dom.ts';
import { type DateBounds, dateFromUrl, parseDate, parseHumanDate } from './dates.ts';
import type { JsonObject, PageSignals } from './signals.ts';

// --- JSON-LD helpers ---

function types(obj: JsonObject): string[] {
  const t = obj['@type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

const ARTICLE_TYPE = /(Article|Posting|^Report$|^Review$|NewsArticle)$/;

/** The JSON-LD node that describes this article: the first article-typed node, else a WebPage. */
export function pickArticleNode(nodes: JsonObject[]): JsonObject | null {
  let page: JsonObject | null = null;
  for (const n of nodes) {
    const ts = types(n);
    if (ts.some((t) => ARTICLE_TYPE.test(t))) return n;
    if (page === null && ts.some((t) => /WebPage$/.test(t)) && ('datePublished' in n || 'headline' in n)) page = n;
  }
  return page;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', ndash: '–', mdash: '—',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', auml: 'ä', ouml: 'ö', aring: 'å',
  Auml: 'Ä', Ouml: 'Ö', Aring: 'Å', eacute: 'é', uuml: 'ü',
};

/** JSON-LD strings are not entity-decoded by the HTML parser, and publishers escape anyway. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return NAMED_ENTITIES[body] ?? m;
  });
}

function stripTags(text: string): string {
  return text.includes('<') ? text.replace(/<[^>]{0,2000}>/g, ' ') : text;
}

/** A JSON-LD value as text: strings, numbers, {name}, {@value}, or the first of an array. */
export function ldText(value: unknown): string | null {
  if (typeof value === 'string') {
    const t = normalizeSpace(decodeEntities(stripTags(value)));
    return t === '' ? null : t;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = ldText(v);
      if (t) return t;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    const o = value as JsonObject;
    return ldText(o['name'] ?? o['@value'] ?? null);
  }
  return null;
}

function firstMeta(s: PageSignals, keys: string[]): string | null {
  for (const k of keys) {
    for (const v of s.meta.get(k) ?? []) {
      const t = normalizeSpace(v);
      if (t) return t;
    }
  }
  return null;
}

// --- site name, title ---

export function resolveSiteName(s: PageSignals, article: JsonObject | null): string | null {
  return (
    firstMeta(s, ['og:site_name']) ??
    (article ? ldText((article['publisher'] as JsonObject | undefined)?.['name']) : null) ??
    firstMeta(s, ['application-name', 'apple-mobile-web-app-title', 'twitter:site:name'])
  );
}

const TITLE_SEPARATOR = /\s+[|\-–—·•:»/]{1,2}\s+/;

function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Drop " | Site" / "Site - " parts that name the site rather than the article. */
function stripSiteName(title: string, siteName: string | null, url: string): string {
  let host = '';
  try {
    host = comparable(new URL(url).hostname.replace(/^www\./, ''));
  } catch {
    // no host to compare against
  }
  const site = siteName ? comparable(siteName) : '';
  const isSite = (part: string): boolean => {
    const c = comparable(part);
    if (c === '') return true;
    if (site !== '' && (c === site || site.includes(c) || c.includes(site))) return true;
    return host !== '' && (host.includes(c) || c.includes(host.split('.')[0] ?? host));
  };
  let parts = title.split(TITLE_SEPARATOR);
  let separators: string[] = [...(title.match(new RegExp(TITLE_SEPARATOR.source, 'g')) ?? [])];
  while (parts.length > 1 && isSite(parts[parts.length - 1]!)) {
    parts = parts.slice(0, -1);
    separators = separators.slice(0, -1);
  }
  while (parts.length > 1 && isSite(parts[0]!)) {
    parts = parts.slice(1);
    separators = separators.slice(1);
  }
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) out += (separators[i - 1] ?? ' - ') + parts[i];
  return out.trim();
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Share of the words of a that also occur in b. */
function overlap(a: string, b: string): number {
  const wa = words(a);
  if (wa.size === 0) return 0;
  const wb = words(b);
  let n = 0;
  for (const w of wa) if (wb.has(w)) n++;
  return n / wa.size;
}

function agrees(a: string, b: string): boolean {
  const ca = comparable(a);
  const cb = comparable(b);
  return ca !== '' && cb !== '' && (ca.includes(cb) || cb.includes(ca));
}

/**
 * <title> usually ends in the site's name; without a known site name, a short last part
 * after a separator ("Headline – My website") is taken for it. Headlines that themselves
 * contain a dash keep it: their last part is long.
 */
function stripTitleSuffix(title: string): string {
  let t = title;
  for (let i = 0; i < 2; i++) {
    const parts = t.split(TITLE_SEPARATOR);
    if (parts.length < 2) break;
    const last = parts[parts.length - 1]!;
    const head = t.slice(0, t.length - last.length).replace(new RegExp(`${TITLE_SEPARATOR.source}$`), '');
    if (words(last).size > 4 || words(head).size < 3) break;
    t = head;
  }
  return t;
}

export function resolveTitle(
  s: PageSignals,
  article: JsonObject | null,
  siteName: string | null,
  url: string,
): string | null {
  const clean = (t: string | null | undefined): string | null => {
    if (!t) return null;
    const c = stripSiteName(normalizeSpace(t), siteName, url);
    return c === '' ? null : c;
  };
  const titleTag = clean(s.titleTag);
  const h1 = s.headings.find((h) => h.text.length >= 3 && h.text.length <= 300)?.text ?? null;

  // JSON-LD: headline and name sometimes differ (a summary line vs the name); the one
  // closer to <title> is the title.
  let ld: string | null = null;
  if (article) {
    const headline = ldText(article['headline']);
    const name = ldText(article['name']);
    ld = headline ?? name;
    if (headline && name && headline !== name && titleTag) {
      ld = overlap(name, titleTag) > overlap(headline, titleTag) ? name : headline;
    }
  }
  const og = firstMeta(s, ['og:title']);
  if (ld && og) {
    // JSON-LD headlines are often cut to 110 characters; og:title then has the whole one.
    const cut = ld.replace(/(\.\.\.|…)$/, '');
    if (og.length > ld.length && og.startsWith(cut)) ld = og;
  }
  const meta =
    ld ?? og ?? firstMeta(s, ['twitter:title', 'dc.title', 'dcterms.title', 'parsely-title', 'sailthru.title', 'title']);
  const fromMeta = clean(meta);
  // A metadata title that neither <title> nor the headline element confirms, while those
  // two agree with each other, is a site-wide default ("Latest News & Headlines").
  if (fromMeta) {
    const confirmed = (titleTag && agrees(fromMeta, titleTag)) || (h1 && agrees(fromMeta, h1));
    if (confirmed || !(titleTag && h1 && agrees(titleTag, h1))) return fromMeta;
  }
  if (titleTag) {
    if (h1 && agrees(titleTag, h1)) return clean(h1);
    return stripTitleSuffix(titleTag);
  }
  return clean(h1);
}

// --- canonical URL ---

export function absoluteHttpUrl(href: string, base: string): string | null {
  try {
    const u = new URL(href.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.toString();
  } catch {
    return null;
  }
}

export function resolveCanonical(s: PageSignals, pageUrl: string): string | null {
  let base = pageUrl;
  if (s.baseHref) base = absoluteHttpUrl(s.baseHref, pageUrl) ?? pageUrl;
  for (const link of s.links.get('canonical') ?? []) {
    if (!link.href.trim()) continue;
    const abs = absoluteHttpUrl(link.href, base);
    if (abs) return abs;
  }
  const og = firstMeta(s, ['og:url']);
  return og ? absoluteHttpUrl(og, base) : null;
}

// --- author ---

const AUTHOR_PREFIX =
  /^(?:by|from|text|teksti|text och foto|teksti ja kuvat?|kuvat? ja teksti|av|kirjoittanut|kirjoittaja|toimittaja|reporter|written by|posted by|words by|par|von|por)\s*[:：]?\s+/i;

export function cleanAuthor(raw: string): string | null {
  let t = normalizeSpace(decodeEntities(raw));
  if (/^https?:\/\//i.test(t) || (t.includes('@') && !t.includes(' '))) return null;
  // A date line in a byline slot ("Last updated: ...") names nobody.
  if (/^(last )?(updated|modified|published|posted|päivitetty|julkaistu|publicerad|uppdaterad)\b/i.test(t)) return null;
  t = t.replace(AUTHOR_PREFIX, '');
  // Cut at the first thing that is not a name: a separator, a date, an update note.
  t = t.split(/\s*[|•·]\s*|\s+[-–—]\s+|\s*\n|\s+(?:edited by|photos? by|illustrations? by|kuvat?:|kuvaaja)\s+/i)[0] ?? '';
  // Job titles glued to or following the name ("Meg JamesStaff Writer").
  t = t.replace(
    /\s*(?:senior |staff |contributing |chief |games |news |sports )?(?:writer|editor|reporter|correspondent|columnist|contributor|toimittaja|päätoimittaja|redaktör|reporter)$/i,
    '',
  );
  t = t.replace(/\b(updated|published|päivitetty|julkaistu|publicerad|uppdaterad)\b.*$/i, '');
  t = t.replace(/\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}.*$/, '');
  t = t.replace(/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}.*$/i, '');
  t = t.replace(/[,;:\s]+$/, '').trim();
  if (t.length < 3 || t.length > 100) return null;
  if (!/\p{L}/u.test(t) || /\d{3,}/.test(t)) return null;
  return t;
}

function ldAuthors(value: unknown): { persons: string[]; organisations: string[] } {
  const persons: string[] = [];
  const organisations: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const t = cleanAuthor(v);
      if (t) persons.push(t);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (v && typeof v === 'object') {
      const o = v as JsonObject;
      const name = ldText(o['name']);
      if (!name) return;
      const t = cleanAuthor(name);
      if (!t) return;
      if (types(o).some((x) => /Organi[sz]ation|NewsMediaOrganization|Corporation/.test(x))) organisations.push(t);
      else persons.push(t);
    }
  };
  visit(value);
  return { persons, organisations };
}

function joinNames(names: string[]): string | null {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(n);
  }
  return out.length === 0 ? null : out.join(', ');
}

/** Names are a few mostly capitalised words; page furniture in a byline slot is not. */
function looksLikeName(text: string): boolean {
  const ws = text.split(/\s+/);
  if (ws.length > 8 || !/^\p{Lu}/u.test(text)) return false;
  const capitalised = ws.filter((w) => /^[\p{Lu}(]/u.test(w)).length;
  return capitalised >= Math.ceil(ws.length * 0.6);
}

export function resolveAuthor(s: PageSignals, article: JsonObject | null): string | null {
  if (article) {
    const { persons, organisations } = ldAuthors(article['author'] ?? article['creator']);
    const names = joinNames(persons.length > 0 ? persons : organisations);
    if (names) return names;
  }
  for (const key of ['author', 'article:author', 'byl', 'sailthru.author', 'parsely-author', 'dc.creator',
    'dcterms.creator', 'citation_author']) {
    const values = (s.meta.get(key) ?? []).map(cleanAuthor).filter((x): x is string => x !== null);
    const names = joinNames(values);
    if (names) return names;
  }
  const fromMarkup: string[] = [];
  for (const p of s.itemprops.get('author') ?? []) {
    const t = cleanAuthor(p.text);
    if (t && looksLikeName(t)) fromMarkup.push(t);
  }
  for (const l of s.links.get('author') ?? []) {
    const t = cleanAuthor(l.text);
    if (t && looksLikeName(t)) fromMarkup.push(t);
  }
  const marked = joinNames(fromMarkup);
  if (marked) return marked;
  for (const b of s.bylines) {
    const t = cleanAuthor(b.text);
    if (t && looksLikeName(t)) return t;
  }
  return null;
}

// --- section, lead ---

const HOME_CRUMB = /^(home|etusivu|startsida|hem|start|front ?page|uutiset|news|nyheter)$/i;

/** Names of a JSON-LD BreadcrumbList, in position order. */
function ldBreadcrumbs(nodes: JsonObject[]): string[][] {
  const out: string[][] = [];
  for (const n of nodes) {
    if (!types(n).includes('BreadcrumbList')) continue;
    const items = n['itemListElement'];
    if (!Array.isArray(items)) continue;
    const named = items
      .filter((i): i is JsonObject => i !== null && typeof i === 'object')
      .map((i) => ({
        position: typeof i['position'] === 'number' ? i['position'] : Number(i['position'] ?? 0),
        name: ldText(i['name'] ?? (i['item'] as JsonObject | undefined)?.['name']),
      }))
      .filter((i): i is { position: number; name: string } => i.name !== null)
      .sort((a, b) => a.position - b.position)
      .map((i) => i.name);
    if (named.length > 0) out.push(named);
  }
  return out;
}

export function resolveSection(s: PageSignals, article: JsonObject | null, title: string | null): string | null {
  const meta = firstMeta(s, ['article:section', 'section', 'parsely-section', 'sailthru.section', 'cxenseparse:section']);
  if (meta) return meta;
  if (article) {
    const sec = ldText(article['articleSection']);
    if (sec) return sec;
  }
  const titleKey = title ? comparable(title) : '';
  for (const crumbs of [...ldBreadcrumbs(s.jsonLd), ...s.breadcrumbs]) {
    const usable = crumbs.filter((c) => c.length <= 60 && !HOME_CRUMB.test(c) && comparable(c) !== titleKey);
    const last = usable[usable.length - 1];
    if (last) return last;
  }
  return null;
}

export function resolveLead(s: PageSignals, article: JsonObject | null): string | null {
  const meta = firstMeta(s, ['og:description', 'description', 'twitter:description', 'dc.description']);
  if (meta && meta.length >= 20) return meta;
  if (article) {
    const d = ldText(article['description']);
    if (d && d.length >= 20) return d;
  }
  return s.leads[0]?.text ?? null;
}

// --- dates ---

const PUBLISHED_META = [
  'article:published_time', 'og:article:published_time', 'og:published_time', 'published_time', 'article.published',
  'article:published', 'datepublished', 'date.published', 'publish-date', 'publish_date', 'publishdate',
  'published-date', 'published_date', 'publication_date', 'pubdate', 'dc.date.issued', 'dcterms.issued',
  'dcterms.created', 'dc.date.created', 'sailthru.date', 'parsely-pub-date', 'cxenseparse:recs:publishtime',
  'article_date_original', 'original-publish-date', 'rnews:datepublished', 'vr:published_time', 'bt:pubdate',
  'date', 'dc.date', 'dcterms.date', 'citation_publication_date', 'citation_date',
];
const MODIFIED_META = [
  'article:modified_time', 'og:updated_time', 'og:article:modified_time', 'modified_time', 'article.updated',
  'datemodified', 'date.modified', 'last-modified', 'lastmod', 'dc.date.modified', 'dcterms.modified',
  'parsely-updated', 'cxenseparse:recs:articlemodified', 'article:updated_time', 'updated_time',
];

function firstDate(values: Iterable<string>, bounds: DateBounds): string | null {
  for (const v of values) {
    const d = parseDate(v, bounds);
    if (d) return d;
  }
  return null;
}

function* metaValues(s: PageSignals, keys: string[]): Generator<string> {
  for (const k of keys) yield* s.meta.get(k) ?? [];
}

function* ldValues(article: JsonObject | null, keys: string[]): Generator<string> {
  if (!article) return;
  for (const k of keys) {
    const v = article[k];
    if (typeof v === 'string') yield v;
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') yield x;
  }
}

/** Headline position: dates nearest after it belong to the article, not to a news list. */
function headlineOrder(s: PageSignals, title: string | null): number {
  const key = title ? comparable(title) : '';
  const match = key ? s.headings.find((h) => comparable(h.text) === key) : undefined;
  return (match ?? s.headings[0])?.order ?? 0;
}

function byNearness<T extends { order: number }>(items: T[], anchor: number): T[] {
  const after = items.filter((i) => i.order >= anchor).sort((a, b) => a.order - b.order);
  const before = items.filter((i) => i.order < anchor).sort((a, b) => b.order - a.order);
  return [...after, ...before];
}

export function resolveDates(
  s: PageSignals,
  article: JsonObject | null,
  url: string,
  title: string | null,
  bounds: DateBounds,
): { published: string | null; modified: string | null } {
  const anchor = headlineOrder(s, title);
  const times = byNearness(s.times, anchor);
  const itemprop = (key: string): string[] => (s.itemprops.get(key) ?? []).map((p) => p.text);

  const strong =
    firstDate(ldValues(article, ['datePublished']), bounds) ??
    firstDate(metaValues(s, PUBLISHED_META), bounds) ??
    firstDate(ldValues(article, ['dateCreated', 'uploadDate']), bounds) ??
    firstDate(itemprop('datepublished'), bounds) ??
    firstDate(
      times.filter((t) => t.published && !t.modified).map((t) => t.datetime ?? t.text),
      bounds,
    );
  const fromUrl = dateFromUrl(url, bounds);
  let published = strong;
  if (!published) {
    // Without structured data, the date written nearest after the headline is the article's;
    // <time> elements further away usually belong to lists of other stories.
    const weakCandidates = byNearness(
      [
        ...s.times.filter((t) => !t.modified).map((t) => ({ order: t.order, value: t.datetime, text: t.text })),
        ...s.dateTexts.map((d) => ({ order: d.order, value: null, text: d.text })),
      ],
      anchor,
    );
    let weak: string | null = null;
    for (const c of weakCandidates) {
      weak = (c.value ? parseDate(c.value, bounds) : null) ?? parseHumanDate(c.text, bounds);
      if (weak) break;
    }
    // The URL's day is dependable; a page date from a weaker source must agree with it.
    published = fromUrl && (!weak || weak.slice(0, 10) !== fromUrl.slice(0, 10)) ? fromUrl : weak;
  }

  const modified =
    firstDate(ldValues(article, ['dateModified']), bounds) ??
    firstDate(metaValues(s, MODIFIED_META), bounds) ??
    firstDate(itemprop('datemodified'), bounds) ??
    firstDate(times.filter((t) => t.modified).map((t) => t.datetime ?? t.text), bounds);
  return { published, modified };
}

// --- paywall ---

function falsy(v: unknown): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

export function resolvePaywall(s: PageSignals, article: JsonObject | null): boolean {
  if (article) {
    if (falsy(article['isAccessibleForFree'])) return true;
    if (truthy(article['isAccessibleForFree'])) return false;
    const parts = article['hasPart'];
    const list = Array.isArray(parts) ? parts : parts ? [parts] : [];
    for (const p of list) if (p && typeof p === 'object' && falsy((p as JsonObject)['isAccessibleForFree'])) return true;
  }
  for (const v of metaValues(s, ['article:content_tier', 'content_tier', 'content-tier'])) {
    if (/^(locked|premium|subscriber|subscription)$/i.test(v.trim())) return true;
    // The publisher's own statement outranks class names and prompts elsewhere on the page.
    if (/^(free|metered)$/i.test(v.trim())) return false;
  }
  return s.paywallMarkers > 0 || s.paywallPrompt;
}
