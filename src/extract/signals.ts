/**
 * One pass over the page collecting the metadata signals the field resolvers weigh:
 * <meta>, <link>, JSON-LD, <time>, itemprop values, byline/date/lead/breadcrumb elements and
 * paywall markers. Every element gets a document-order number so that "the first date after
 * the headline" can be asked.
 */
import type { AnyNode, Document, Element } from 'domhandler';
import { classAndId, elementText, hasChildren, isElement, normalizeSpace, rawText } from './dom.ts';
import { LEAD_CLASS, PAYWALL_CLASS, PAYWALL_TEXT } from './patterns.ts';

export interface Placed {
  text: string;
  order: number;
}

export interface LinkSignal {
  href: string;
  text: string;
  order: number;
}

export interface TimeSignal {
  datetime: string | null;
  text: string;
  order: number;
  /** itemprop=datePublished or the pubdate attribute. */
  published: boolean;
  modified: boolean;
}

export interface PageSignals {
  lang: string | null;
  baseHref: string | null;
  titleTag: string | null;
  /** <meta> content by lower-cased name / property / itemprop / http-equiv, in document order. */
  meta: Map<string, string[]>;
  /** <link> and <a> with rel, by lower-cased rel token. */
  links: Map<string, LinkSignal[]>;
  jsonLd: JsonObject[];
  headings: Placed[];
  times: TimeSignal[];
  itemprops: Map<string, Placed[]>;
  bylines: Placed[];
  dateTexts: Placed[];
  leads: Placed[];
  breadcrumbs: string[][];
  paywallMarkers: number;
  paywallPrompt: boolean;
}

export type JsonObject = { [key: string]: unknown };

const BYLINE_CLASS = /(?:^|[\s_-])(?:author|authors|byline|by-line|writer|kirjoittaja|toimittaja|toimittajat|skribent|reporter|creator|contributor)(?:$|[\s_-]|name|s\b)/;
const DATE_CLASS = /(?:^|[\s_-])(?:date|dates|time|timestamp|published|publish|pubdate|posted|dateline|pvm|julkaistu|julkaisuaika|publicerad|datum|updated|meta)(?:$|[\s_-])|date|time/;
const BREADCRUMB_CLASS = /breadcrumb|murupolku|crumbs/;
const MODIFIED_HINT = /modif|updat|päivitetty|uppdaterad|edited/;

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** JSON-LD blocks: tolerate raw newlines and trailing commas, which real pages contain. */
function parseJsonLd(text: string): unknown {
  const t = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*(?:\/\/\s*|\/\*\s*)?<!\[CDATA\[(?:\s*\*\/)?/, '')
    .replace(/(?:\/\/\s*|\/\*\s*)?\]\]>(?:\s*\*\/)?\s*$/, '');
  try {
    return JSON.parse(t);
  } catch {
    try {
      return JSON.parse(t.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1'));
    } catch {
      return null;
    }
  }
}

/** Flatten arrays, @graph and nested mainEntity into one list of typed objects. */
function flattenJsonLd(value: unknown, out: JsonObject[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) flattenJsonLd(v, out, depth + 1);
    return;
  }
  const obj = value as JsonObject;
  if ('@graph' in obj) flattenJsonLd(obj['@graph'], out, depth + 1);
  if ('@type' in obj) out.push(obj);
  for (const key of ['mainEntity', 'mainEntityOfPage', 'itemListElement']) {
    const v = obj[key];
    if (v && typeof v === 'object') flattenJsonLd(v, out, depth + 1);
  }
}

export function collectSignals(doc: Document): PageSignals {
  const s: PageSignals = {
    lang: null, baseHref: null, titleTag: null, meta: new Map(), links: new Map(), jsonLd: [], headings: [],
    times: [], itemprops: new Map(), bylines: [], dateTexts: [], leads: [], breadcrumbs: [], paywallMarkers: 0,
    paywallPrompt: false,
  };
  let order = 0;

  const stack: AnyNode[] = [doc];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      const t = n.data;
      if (t.length < 80 && t.length > 5 && !s.paywallPrompt && PAYWALL_TEXT.test(t.trim())) s.paywallPrompt = true;
      continue;
    }
    if (isElement(n)) {
      order++;
      const el = n;
      const tag = el.name;
      const a = el.attribs;
      if (n.type === 'script') {
        const type = (a['type'] ?? '').toLowerCase();
        if (type.includes('ld+json')) {
          const source = el.children.map((c) => (c.type === 'text' ? c.data : '')).join('');
          const parsed = parseJsonLd(source);
          flattenJsonLd(parsed, s.jsonLd);
        }
        continue;
      }
      if (n.type === 'style') continue;
      switch (tag) {
        case 'html':
          s.lang = a['lang'] ?? a['xml:lang'] ?? s.lang;
          break;
        case 'base':
          if (s.baseHref === null && a['href']) s.baseHref = a['href'];
          break;
        case 'title':
          if (s.titleTag === null) s.titleTag = elementText(el, 2000);
          continue;
        case 'meta': {
          const content = a['content'];
          if (content === undefined) break;
          for (const k of [a['name'], a['property'], a['itemprop'], a['http-equiv']]) {
            if (!k) continue;
            // property="og:title article:section" lists several names for one value.
            for (const key of k.toLowerCase().split(/\s+/)) if (key) add(s.meta, key, content);
          }
          if (a['charset'] === undefined && a['http-equiv']?.toLowerCase() === 'content-language' && !s.lang)
            s.lang = content;
          continue;
        }
        case 'link':
        case 'a': {
          const rel = a['rel'];
          const href = a['href'];
          if (rel && href !== undefined) {
            const text = tag === 'a' ? elementText(el, 300) : '';
            for (const r of rel.toLowerCase().split(/\s+/)) if (r) add(s.links, r, { href, text, order });
          }
          break;
        }
        case 'h1':
          s.headings.push({ text: elementText(el, 1000), order });
          break;
        case 'time': {
          const ci = `${classAndId(el)} ${a['itemprop'] ?? ''}`.toLowerCase();
          s.times.push({
            datetime: a['datetime'] ?? a['content'] ?? null,
            text: elementText(el, 200),
            order,
            // Only markup that means "published" counts: class names like "...__published"
            // also sit on the times of news lists.
            published: a['pubdate'] !== undefined || /datepublished/i.test(a['itemprop'] ?? ''),
            modified: MODIFIED_HINT.test(ci),
          });
          break;
        }
      }
      const itemprop = a['itemprop'];
      if (itemprop && tag !== 'meta') {
        const text = a['content'] ?? a['datetime'] ?? elementText(el, 400);
        for (const key of itemprop.toLowerCase().split(/\s+/)) if (key) add(s.itemprops, key, { text, order });
      }
      const ci = classAndId(el);
      if (ci !== '') {
        if (PAYWALL_CLASS.test(ci)) s.paywallMarkers++;
        // Nested elements repeat their parent's text; a bounded list keeps that harmless.
        if (s.bylines.length < 12 && BYLINE_CLASS.test(ci)) {
          const text = elementText(el, 400);
          if (text.length >= 3 && text.length <= 200) s.bylines.push({ text, order });
        }
        if (s.dateTexts.length < 40 && DATE_CLASS.test(ci)) {
          const text = elementText(el, 400);
          if (text.length >= 6 && text.length <= 200) s.dateTexts.push({ text, order });
        }
        if (LEAD_CLASS.test(ci) && (tag === 'p' || tag === 'div' || tag === 'h2' || tag === 'section' || tag === 'span')) {
          const text = elementText(el, 2000);
          if (text.length >= 40 && text.length <= 1200) s.leads.push({ text, order });
        }
        if (BREADCRUMB_CLASS.test(ci) && s.breadcrumbs.length < 3) {
          const crumbs: string[] = [];
          collectLinkTexts(el, crumbs);
          if (crumbs.length > 0) s.breadcrumbs.push(crumbs);
          continue;
        }
      }
      pushChildren(el, stack);
      continue;
    }
    if (hasChildren(n)) pushChildren(n, stack);
  }
  return s;
}

function pushChildren(n: AnyNode, stack: AnyNode[]): void {
  if (!hasChildren(n)) return;
  const kids = n.children;
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
}

function collectLinkTexts(root: Element, out: string[]): void {
  const stack: AnyNode[] = [root];
  while (stack.length > 0 && out.length < 12) {
    const n = stack.pop()!;
    if (isElement(n) && (n.name === 'a' || n.name === 'li')) {
      const hasLink = n.name === 'li' && n.children.some((c) => isElement(c) && c.name === 'a');
      if (n.name === 'a' || !hasLink) {
        const t = normalizeSpace(rawText(n, 200));
        if (t) out.push(t);
        continue;
      }
    }
    pushChildren(n, stack);
  }
}
