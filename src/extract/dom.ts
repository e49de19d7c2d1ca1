import type { AnyNode, Element, ParentNode } from 'domhandler';

// htmlparser2 gives <script> and <style> their own node types; all three are elements.
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function hasChildren(node: AnyNode): node is ParentNode & AnyNode {
  return 'children' in node && Array.isArray((node as ParentNode).children);
}

/** class and id together, lower-cased, for pattern tests. */
export function classAndId(el: Element): string {
  const cls = el.attribs['class'];
  const id = el.attribs['id'];
  if (cls === undefined && id === undefined) return '';
  return `${cls ?? ''} ${id ?? ''}`.toLowerCase();
}

// Invisible characters that split or glue words: soft hyphen, zero-width space/joiners, BOM.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const SPACES = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

export function normalizeSpace(text: string): string {
  return text.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/**
 * Concatenated text of a subtree, skipping script/style/template. Stops collecting after
 * `limit` characters so that a pathological subtree cannot make a metadata read expensive.
 */
export function rawText(node: AnyNode, limit = 20_000): string {
  const out: string[] = [];
  let size = 0;
  const stack: AnyNode[] = [node];
  while (stack.length > 0 && size < limit) {
    const n = stack.pop()!;
    if (n.type === 'text') {
      out.push(n.data);
      size += n.data.length;
    } else if (n.type === 'tag') {
      if (n.name === 'template' || n.name === 'noscript') continue;
      if (n.name === 'br' || n.name === 'p' || n.name === 'div' || n.name === 'li') out.push(' ');
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    } else if (n.type === 'root' || n.type === 'cdata') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
  }
  return out.join('');
}

export function elementText(node: AnyNode, limit?: number): string {
  return normalizeSpace(rawText(node, limit));
}
