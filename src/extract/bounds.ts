/**
 * Input bounds. htmlparser2 keeps its open-element stack with Array#unshift, so each start
 * tag costs time proportional to the current nesting depth: a page of 100,000 unclosed
 * <div>s takes minutes to parse. Real articles nest a few dozen levels deep. Start tags that
 * would nest deeper than a limit are removed before parsing (their text stays), which keeps
 * parsing linear on hostile or broken input and leaves ordinary pages untouched.
 */

const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track',
  'wbr', 'basefont', 'bgsound', 'frame', 'image', 'isindex', 'menuitem',
]);

/** Elements whose content is raw text: a '<' inside them is not a tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

/** Start tags that close an open element of the same name (as the HTML parser does). */
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup']);

/** Start tags that close an open <p>. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'ul',
]);

/** How far back an end tag may look for its start tag; misnested markup rarely goes further. */
const END_TAG_REACH = 64;

const rawEndCache = new Map<string, RegExp>();

function rawEnd(name: string): RegExp {
  let re = rawEndCache.get(name);
  if (!re) {
    re = new RegExp(`</${name}[\\s/>]`, 'gi');
    rawEndCache.set(name, re);
  }
  return re;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
}

/** The page with start tags beyond `maxDepth` levels of nesting removed. */
export function limitNesting(html: string, maxDepth: number): string {
  const stack: string[] = [];
  let foreign = 0; // open <svg>/<math> elements
  const cuts: number[] = []; // [start, end) pairs of removed start tags
  const n = html.length;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = html.charCodeAt(lt + 1);
    if (c === 33) {
      // <!-- comment --> or <!DOCTYPE ...>
      const end = html.startsWith('<!--', lt) ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 2);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    const closing = c === 47;
    const start = lt + (closing ? 2 : 1);
    let j = start;
    while (j < n && isNameChar(html.charCodeAt(j))) j++;
    if (j === start) {
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', j);
    if (gt < 0) break;
    i = gt + 1;
    const name = html.slice(start, j).toLowerCase();
    if (closing) {
      const floor = Math.max(0, stack.length - END_TAG_REACH);
      for (let k = stack.length - 1; k >= floor; k--) {
        if (stack[k] === name) {
          for (let r = k; r < stack.length; r++) if (stack[r] === 'svg' || stack[r] === 'math') foreign--;
          stack.length = k;
          break;
        }
      }
      continue;
    }
    if (RAW_TEXT.has(name)) {
      const re = rawEnd(name);
      re.lastIndex = i;
      const m = re.exec(html);
      if (!m) break;
      i = m.index;
      continue;
    }
    if (VOID.has(name)) continue;
    // Like the parser, honour "/>" only inside <svg>/<math>; in HTML "<div/>" opens a div.
    if (html.charCodeAt(gt - 1) === 47 && foreign > 0) continue;
    const top = stack[stack.length - 1];
    if (top !== undefined && ((top === name && SELF_CLOSING_SIBLINGS.has(name)) || (top === 'p' && CLOSES_P.has(name)))) {
      stack.pop();
    }
    if (stack.length >= maxDepth) {
      cuts.push(lt, gt + 1);
      continue;
    }
    stack.push(name);
    if (name === 'svg' || name === 'math') foreign++;
  }
  if (cuts.length === 0) return html;
  const out: string[] = [];
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out.push(html.slice(from, cuts[k]));
    from = cuts[k + 1]!;
  }
  out.push(html.slice(from));
  return out.join('');
}
