/**
 * Main-text extraction: one readability-style content scoring over a linearised page.
 *
 * 1. Linearise: walk the body once, dropping non-content subtrees (scripts, navigation,
 *    forms controls, hidden elements, furniture by class/id) and cut the rest into text
 *    blocks, each owned by its nearest block-level element (a "box").
 * 2. Score: every block of 25+ characters is a paragraph; its score (1 + commas + length
 *    bonus) flows to the box holding it and, decaying, to four more ancestors. A box's
 *    score starts from its tag and class/id and is scaled by (1 - link density).
 * 3. Choose: the best box, moved up when its neighbours in the top five share an ancestor
 *    or its parent scores nearly as well; then siblings that score close to it, read like
 *    prose, or are parallel sections (same class) holding a strong candidate, join it.
 * 4. Emit: blocks inside the chosen boxes, in document order, minus sub-boxes that look like
 *    embedded furniture (link lists, forms, galleries) and minus lines that are furniture
 *    whatever their markup (photo credits, share and subscription prompts, bylines).
 *
 * If class-based cleaning leaves under 500 characters, the page is scored again without it
 * (as readability does): a furniture-looking class sat on the article's own wrapper.
 * Figure captions are left out: they describe pictures, and body-text benchmarks agree.
 */
import type { AnyNode, Element, Document } from 'domhandler';
import { classAndId, isElement, normalizeSpace } from './dom.ts';
import {
  CONTENT_HINT,
  FURNITURE,
  HIDDEN_CLASS,
  NEGATIVE_CLASS,
  POSITIVE_CLASS,
  isFurnitureLine,
} from './patterns.ts';

/** Never text: dropped with their subtree. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio',
  'source', 'track', 'picture', 'img', 'map', 'button', 'input', 'select', 'option', 'optgroup', 'textarea', 'label',
  'nav', 'aside', 'footer', 'head', 'title', 'meta', 'link', 'base', 'dialog', 'menu', 'output', 'progress', 'meter',
  'datalist', 'frame', 'frameset', 'applet', 'param', 'figcaption',
]);

/** Elements that start a new block of text. */
const BLOCK_TAGS = new Set([
  'html', 'body', 'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th',
  'ul', 'caption', 'legend', 'listing', 'xmp', 'plaintext',
]);

/** Block elements that are themselves a paragraph: their score goes to their parent. */
const PARAGRAPH_TAGS = new Set([
  'p', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'td', 'th', 'dd', 'dt', 'blockquote', 'address', 'caption',
  'summary', 'legend',
]);

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Counted per box for the furniture test on sub-boxes. */
const EMBED_TAGS = new Set(['iframe', 'object', 'embed', 'video', 'audio']);
const INPUT_TAGS = new Set(['input', 'select', 'textarea', 'button']);

/** Stand-in for <br> while text is collected; a run of two or more splits paragraphs. */
const BR = '\uE000';
const BR_RUN = /\s*\uE000(?:\s*\uE000)+\s*/g;
const BR_ONE = /\uE000/g;

const LINK_OPEN = '\uE001';
const LINK_CLOSE = '\uE002';
const LINK_MARKS = /[\uE001\uE002]/g;

/** Characters of fenced link text, not counting spaces. */
function markedLinkChars(text: string): number {
  let n = 0;
  let open = text.indexOf(LINK_OPEN);
  while (open >= 0) {
    const close = text.indexOf(LINK_CLOSE, open + 1);
    if (close < 0) break;
    for (let i = open + 1; i < close; i++) if (text.charCodeAt(i) !== 32) n++;
    open = text.indexOf(LINK_OPEN, close + 1);
  }
  return n;
}

const MIN_PARAGRAPH = 25;

const ROOT = '#root';
function isTopLevel(box: Box): boolean {
  return box.tag === 'body' || box.tag === 'html' || box.tag === ROOT;
}

/** A block-level element with the numbers the scoring needs. */
interface Box {
  el: Element;
  tag: string;
  parent: Box | null;
  index: number;
  /** Class/id say furniture (and not content): excluded with its subtree. */
  furniture: boolean;
  /** The box is, or contains, an element marked as the article (<article>, <main>, articleBody). */
  holdsArticle: boolean;
  excluded: boolean;
  hasBlockChild: boolean;
  // Own counts, then (after accumulate) subtree totals over kept content.
  textChars: number;
  linkChars: number;
  commas: number;
  headingChars: number;
  paragraphs: number;
  images: number;
  inputs: number;
  embeds: number;
  ownImages: number;
  ownInputs: number;
  ownEmbeds: number;
  score: number;
  scored: boolean;
  /** Best score of any box in the subtree, this one included. */
  bestInside: number;
  selected: boolean;
  dropped: boolean;
}

interface TextBlock {
  text: string;
  box: Box;
  linkChars: number;
  heading: boolean;
}

export interface ContentOptions {
  /** The article title: a heading repeating it inside the body is dropped. */
  title?: string | null;
}

function newBox(el: Element, parent: Box | null, index: number): Box {
  return {
    el, tag: el.name, parent, index, furniture: false, holdsArticle: false, excluded: false, hasBlockChild: false,
    textChars: 0, linkChars: 0, commas: 0, headingChars: 0, paragraphs: 0, images: 0, inputs: 0,
    embeds: 0, ownImages: 0, ownInputs: 0, ownEmbeds: 0, score: 0, scored: false, bestInside: 0, selected: false, dropped: false,
  };
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a['hidden'] !== undefined) return true;
  if (a['aria-hidden'] === 'true' && el.name !== 'html' && el.name !== 'body') return true;
  const style = a['style'];
  if (style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  const cls = a['class'];
  return cls !== undefined && HIDDEN_CLASS.test(cls.toLowerCase());
}

function isFurnitureElement(el: Element): boolean {
  const ci = classAndId(el);
  if (ci === '' || !FURNITURE.test(ci)) return false;
  // In BEM names ("ar-article__byline") the part after "__" says what the element is; the
  // block before it only says where it sits, so "article" there protects nothing.
  return !CONTENT_HINT.test(ci.replace(/\S*__/g, ''));
}

const COMMA = /[,，、،]/g;

function countCommas(text: string): number {
  const m = text.match(COMMA);
  return m ? m.length : 0;
}

/** Readability's class weight: class and id each count ±25. */
function classWeight(el: Element): number {
  let w = 0;
  for (const v of [el.attribs['class'], el.attribs['id']]) {
    if (!v) continue;
    const s = v.toLowerCase();
    if (NEGATIVE_CLASS.test(s)) w -= 25;
    if (POSITIVE_CLASS.test(s)) w += 25;
  }
  if (el.attribs['itemprop'] === 'articleBody') w += 25;
  return w;
}

function tagWeight(tag: string): number {
  switch (tag) {
    case 'div':
    case 'article':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------
// 1. Linearise
// ---------------------------------------------------------------------------------------

interface Linear {
  boxes: Box[];
  blocks: TextBlock[];
  boxOf: Map<Element, Box>;
}

function linearise(doc: Document): Linear {
  const boxes: Box[] = [];
  const blocks: TextBlock[] = [];
  const boxOf = new Map<Element, Box>();

  // The text collected for the innermost open box since its last block boundary.
  let parts: string[] = [];
  let linkDepth = 0;
  // A synthetic root owns text outside any block, so that fragments without <html>/<body>
  // still have a container to score.
  const rootEl = { type: 'tag', name: ROOT, attribs: {}, children: doc.children, parent: null } as unknown as Element;
  const rootBox = newBox(rootEl, null, 0);
  boxes.push(rootBox);
  let current: Box = rootBox;

  const flush = (): void => {
    if (parts.length === 0) return;
    const raw = parts.join('');
    const box = current;
    parts = [];
    const heading = HEADING_TAGS.has(box.tag);
    for (const piece of raw.split(BR_RUN)) {
      const marked = normalizeSpace(piece.replace(BR_ONE, ' '));
      if (marked.length === 0) continue;
      const linkChars = markedLinkChars(marked);
      const text = linkChars === 0 && !marked.includes(LINK_CLOSE) ? marked : normalizeSpace(marked.replace(LINK_MARKS, ''));
      if (text.length === 0) continue;
      blocks.push({ text, box, linkChars: Math.min(linkChars, text.length), heading });
    }
  };

  // Iterative walk with explicit exit markers: malformed pages nest thousands deep.
  type Frame = { node: AnyNode; exit: false } | { node: Element; exit: true; box: Box | null; link: boolean };
  const stack: Frame[] = [];
  const start = doc.children;
  for (let i = start.length - 1; i >= 0; i--) stack.push({ node: start[i]!, exit: false });

  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.exit) {
      if (frame.box) {
        flush();
        current = frame.box.parent ?? rootBox;
      }
      if (frame.link) linkDepth--;
      continue;
    }
    const node = frame.node;
    if (node.type === 'text') {
      const data = node.data;
      if (data.length > 0) {
        // Link text is fenced so that each paragraph of a <br>-separated run knows its own.
        if (linkDepth > 0) parts.push(LINK_OPEN, data, LINK_CLOSE);
        else parts.push(data);
      }
      continue;
    }
    if (!isElement(node)) {
      if (node.type === 'root' || node.type === 'cdata') {
        const kids = (node as unknown as { children: AnyNode[] }).children;
        for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
      }
      continue;
    }
    const el = node;
    const tag = el.name;
    if (tag === 'br') {
      parts.push(BR);
      continue;
    }
    if (tag === 'img') current.ownImages++;
    else if (INPUT_TAGS.has(tag)) current.ownInputs++;
    else if (EMBED_TAGS.has(tag)) current.ownEmbeds++;
    if (SKIP_TAGS.has(tag) || el.type !== 'tag' || isHidden(el)) {
      if (BLOCK_TAGS.has(tag)) parts.push(BR, BR);
      continue;
    }
    const block = BLOCK_TAGS.has(tag);
    const furniture = tag !== 'body' && tag !== 'html' && isFurnitureElement(el);
    if (!block && furniture) continue; // inline furniture: a credit, a share link
    let box: Box | null = null;
    if (block) {
      flush();
      current.hasBlockChild = true;
      box = newBox(el, current, boxes.length);
      box.furniture = furniture;
      box.holdsArticle = isArticleElement(el);
      boxes.push(box);
      boxOf.set(el, box);
      current = box;
    }
    const link = tag === 'a';
    if (link) linkDepth++;
    stack.push({ node: el, exit: true, box, link });
    const kids = el.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  }
  flush();
  return { boxes, blocks, boxOf };
}

const ARTICLE_CLASS = /article-?body|articlebody|story-?body|storybody|entry-content|post-content|post-body|article-content|article__body|article-text|artikkeli|leipateksti/;

function isArticleElement(el: Element): boolean {
  if (el.name === 'article' || el.name === 'main' || el.attribs['itemprop'] === 'articleBody') return true;
  const ci = classAndId(el);
  return ci !== '' && ARTICLE_CLASS.test(ci);
}

function propagateArticle(boxes: Box[]): void {
  for (let i = boxes.length - 1; i > 0; i--) {
    const b = boxes[i]!;
    if (b.holdsArticle && b.parent) b.parent.holdsArticle = true;
  }
}

/**
 * Exclusion is inherited; boxes are in document (pre-)order, so parents come first. A
 * furniture class on a wrapper of the article itself ("page-ad-margins") does not count.
 */
function markExcluded(boxes: Box[], dropFurniture: boolean): void {
  for (const b of boxes) {
    b.excluded = (dropFurniture && b.furniture && !b.holdsArticle) || (b.parent !== null && b.parent.excluded);
  }
}

function resetState(boxes: Box[]): void {
  for (const b of boxes) {
    b.excluded = false;
    b.textChars = 0;
    b.linkChars = 0;
    b.commas = 0;
    b.headingChars = 0;
    b.paragraphs = 0;
    b.images = b.ownImages;
    b.inputs = b.ownInputs;
    b.embeds = b.ownEmbeds;
    b.score = 0;
    b.scored = false;
    b.bestInside = 0;
    b.selected = false;
    b.dropped = false;
  }
}

/** Subtree totals over kept content: own block numbers first, then children into parents. */
function accumulate(lin: Linear): void {
  for (const b of lin.blocks) {
    const box = b.box;
    if (box.excluded) continue;
    box.textChars += b.text.length;
    box.linkChars += b.linkChars;
    box.commas += countCommas(b.text);
    if (b.heading) box.headingChars += b.text.length;
    // Paragraphs by text, not by <p>: many pages set text in divs separated by <br>.
    else if (b.text.length >= MIN_PARAGRAPH) box.paragraphs++;
  }
  for (let i = lin.boxes.length - 1; i >= 0; i--) {
    const b = lin.boxes[i]!;
    const p = b.parent;
    if (!p || b.excluded) continue;
    p.textChars += b.textChars;
    p.linkChars += b.linkChars;
    p.commas += b.commas;
    p.headingChars += b.headingChars;
    p.paragraphs += b.paragraphs;
    p.images += b.images;
    p.inputs += b.inputs;
    p.embeds += b.embeds;
  }
}

function linkDensity(box: Box): number {
  return box.textChars === 0 ? 0 : box.linkChars / box.textChars;
}

// ---------------------------------------------------------------------------------------
// 2. Score
// ---------------------------------------------------------------------------------------

function initScore(box: Box): void {
  if (box.scored) return;
  box.scored = true;
  box.score = tagWeight(box.tag) + classWeight(box.el);
}

function score(lin: Linear): Box[] {
  const candidates: Box[] = [];
  for (const b of lin.blocks) {
    if (b.box.excluded || b.text.length < MIN_PARAGRAPH) continue;
    const own = b.box;
    // A <p> (or a div holding only inline text) is the paragraph: its container earns the
    // score. Loose text next to block children is a paragraph of its own box.
    const first = PARAGRAPH_TAGS.has(own.tag) || !own.hasBlockChild ? own.parent : own;
    const points = 1 + countCommas(b.text) + Math.min(Math.floor(b.text.length / 100), 3);
    let level = 0;
    for (let box = first; box && level < 5; box = box.parent, level++) {
      if (box.excluded) break;
      if (!box.scored) {
        initScore(box);
        candidates.push(box);
      }
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      box.score += points / divider;
    }
  }
  for (const c of candidates) c.score *= 1 - linkDensity(c);
  return candidates;
}

// ---------------------------------------------------------------------------------------
// 3. Choose
// ---------------------------------------------------------------------------------------

function ancestorsOf(box: Box): Set<Box> {
  const out = new Set<Box>();
  for (let p = box.parent; p; p = p.parent) out.add(p);
  return out;
}

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (const c of el.children) if (isElement(c)) out.push(c);
  return out;
}

function chooseTop(candidates: Box[]): Box | null {
  if (candidates.length === 0) return null;
  const ranked = [...candidates].sort((a, b) => b.score - a.score).slice(0, 5);
  let top = ranked[0]!;

  // Several strong candidates under one ancestor: the article is split into parts.
  // Parts must carry text of their own: teaser boxes of other articles score high on class
  // names alone.
  const alternatives = ranked
    .slice(1)
    .filter((c) => c.score / top.score >= 0.75 && c.textChars >= top.textChars * 0.25)
    .map(ancestorsOf);
  if (alternatives.length >= 2) {
    for (let p = top.parent; p && !isTopLevel(p); p = p.parent) {
      const holding = alternatives.filter((a) => a.has(p!)).length;
      if (holding >= 2) {
        top = p;
        break;
      }
    }
  }
  if (!top.scored) initScore(top);

  // A parent that scores nearly as well holds more of the article.
  let lastScore = top.score;
  const threshold = lastScore / 3;
  for (let p = top.parent; p && !isTopLevel(p); p = p.parent) {
    if (!p.scored) continue;
    if (p.score < threshold) break;
    if (p.score > lastScore) {
      top = p;
      break;
    }
    lastScore = p.score;
  }

  // An only child says nothing its parent does not.
  for (let p = top.parent; p && !isTopLevel(p); p = p.parent) {
    if (elementChildren(p.el).length !== 1) break;
    top = p;
  }
  return top;
}

function computeBestInside(boxes: Box[]): void {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i]!;
    if (b.scored && b.score > b.bestInside) b.bestInside = b.score;
    const p = b.parent;
    if (p && !b.excluded && b.bestInside > p.bestInside) p.bestInside = b.bestInside;
  }
}

function selectWithSiblings(top: Box, best: number, lin: Linear): Box[] {
  const chosen: Box[] = [top];
  const parentEl = top.parent?.el;
  if (!parentEl || isTopLevel(top)) return chosen;
  const threshold = Math.max(10, top.score * 0.2);
  const topClass = top.el.attribs['class'] ?? '';
  let ownText: Map<Box, string> | null = null;
  for (const sibEl of elementChildren(parentEl)) {
    if (sibEl === top.el) continue;
    const sib = lin.boxOf.get(sibEl);
    if (!sib || sib.excluded) continue;
    const bonus = topClass !== '' && sibEl.attribs['class'] === topClass ? top.score * 0.2 : 0;
    let take = sib.scored && sib.score + bonus >= threshold;
    // A parallel section (same class) wrapping a strong candidate of its own: the article
    // continues there, cut into parts by layout wrappers.
    if (!take && bonus > 0 && sib.bestInside >= best * 0.3 && linkDensity(sib) < 0.25) take = true;
    if (!take && (sib.tag === 'p' || !sib.hasBlockChild)) {
      const ld = linkDensity(sib);
      const len = sib.textChars;
      if (len > 80 && ld < 0.25) take = true;
      else if (len > 0 && len <= 80 && ld === 0) {
        ownText ??= textByBox(lin);
        // A short line that ends a sentence is prose, not a label.
        if (/\.( |$)/.test(ownText.get(sib) ?? '')) take = true;
      }
    }
    if (take) chosen.push(sib);
  }
  return chosen.sort((a, b) => a.index - b.index);
}

function textByBox(lin: Linear): Map<Box, string> {
  const out = new Map<Box, string>();
  for (const b of lin.blocks) out.set(b.box, out.has(b.box) ? `${out.get(b.box)} ${b.text}` : b.text);
  return out;
}

// ---------------------------------------------------------------------------------------
// 4. Emit
// ---------------------------------------------------------------------------------------

const CONDITIONAL_TAGS = new Set(['div', 'section', 'ul', 'ol', 'table', 'form', 'fieldset', 'header', 'figure', 'dl']);

/** Readability's conditional cleaning, on the numbers gathered while linearising. */
function looksLikeFurniture(box: Box): boolean {
  const weight = classWeight(box.el);
  // Negative class names only condemn a box that its own paragraphs do not redeem.
  if (weight < 0 && weight + (box.scored ? box.score : 0) < 0) return true;
  if (box.commas >= 10) return false;
  const isList = box.tag === 'ul' || box.tag === 'ol';
  const p = box.paragraphs;
  const img = box.images;
  const ld = linkDensity(box);
  const len = box.textChars;
  const headingDensity = len === 0 ? 0 : box.headingChars / len;
  // Galleries: many pictures, little prose. Substantial prose between pictures is the article.
  if (img > 1 && p / img < 0.5 && len < 200) return true;
  if (box.inputs > Math.floor(p / 3)) return true;
  if (!isList && headingDensity < 0.9 && len < MIN_PARAGRAPH && (img === 0 || img > 2)) return true;
  if (!isList && weight < 25 && ld > 0.2) return true;
  if (weight >= 25 && ld > 0.5) return true;
  if ((box.embeds === 1 && len < 75) || box.embeds > 1) return true;
  return false;
}

function markSelection(chosen: Box[], lin: Linear): void {
  for (const c of chosen) c.selected = true;
  // Boxes come in document order, so a box's parent is decided before the box itself.
  for (const b of lin.boxes) {
    if (b.selected || b.excluded) continue;
    const p = b.parent;
    if (!p || !p.selected || p.dropped) {
      if (p && p.dropped) b.dropped = true;
      continue;
    }
    b.selected = true;
    if (CONDITIONAL_TAGS.has(b.tag) && looksLikeFurniture(b)) b.dropped = true;
  }
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function emit(lin: Linear, options: ContentOptions): string[] {
  const titleKey = options.title ? comparable(options.title) : '';
  const out: string[] = [];
  // Text repeated elsewhere on the page (pull quotes, mobile/desktop twins) is said once;
  // repeats among siblings are the author's own.
  const seen = new Map<string, Box | null>();
  for (const b of lin.blocks) {
    const box = b.box;
    if (!box.selected || box.dropped || box.excluded) continue;
    const text = b.text;
    // Mostly link text: a list of links or a "Read more: <headline>" line.
    if (b.linkChars / text.length > 0.5) continue;
    if (isFurnitureLine(text)) continue;
    if (b.heading && titleKey !== '' && comparable(text) === titleKey) continue;
    if (text.length > 20) {
      const where = seen.get(text);
      if (where !== undefined && where !== box.parent) continue;
      if (where === undefined) seen.set(text, box.parent);
    }
    out.push(text);
  }
  return out;
}

/** Below this much text a cleaned page is suspected of having lost its article. */
const RETRY_CHARS = 500;

function attempt(lin: Linear, dropFurniture: boolean, options: ContentOptions): string[] {
  resetState(lin.boxes);
  markExcluded(lin.boxes, dropFurniture);
  accumulate(lin);
  const candidates = score(lin);
  const top = chooseTop(candidates);
  if (!top) return [];
  computeBestInside(lin.boxes);
  const best = candidates.reduce((m, c) => Math.max(m, c.score), 0);
  markSelection(selectWithSiblings(top, best, lin), lin);
  return emit(lin, options);
}

const totalChars = (ps: string[]): number => ps.reduce((n, p) => n + p.length, 0);

/** Paragraphs of the main text of a parsed page. */
export function extractMainText(doc: Document, options: ContentOptions = {}): string[] {
  const lin = linearise(doc);
  propagateArticle(lin.boxes);
  let paragraphs = attempt(lin, true, options);
  // Like readability: when cleaning by class names left almost nothing, a class name was
  // wrong about the article; score the page again without them.
  if (totalChars(paragraphs) < RETRY_CHARS) {
    const again = attempt(lin, false, options);
    if (totalChars(again) > totalChars(paragraphs)) paragraphs = again;
  }
  return paragraphs;
}
