// Editing feeds.yaml from the dashboard. The file is the operator's own text: comments,
// blank lines, key order and list style stay as they were, and only the nodes of the feed
// being edited change (the `yaml` package's Document keeps all of that). A save is checked
// by loading the whole resulting config from a temporary copy beside the file, and that same
// copy is renamed over the file, so the file on disk is always either the old text or a
// config that loads. A save based on a page loaded before someone else's edit is refused.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, type Document, type Node, type Pair, type ToStringOptions } from 'yaml';
import { ConfigError, type ConfigProblem } from '../../config/yamlFile.ts';

/** The keys of one feed in feeds.yaml, in the order they are written. */
export const FEED_KEYS = ['id', 'name', 'url', 'kind', 'municipalities', 'region', 'interval', 'enabled'] as const;
export type FeedKey = (typeof FEED_KEYS)[number];

/** One feed as written in the file (not resolved: a relative URL stays relative). */
export interface FeedFields {
  id: string;
  name: string;
  url: string;
  kind: string;
  /** Names or codes, as written. */
  municipalities: string[];
  region: string;
  interval: string;
  enabled: boolean;
}

export type FeedEdit =
  | { op: 'add'; fields: FeedFields }
  | { op: 'update'; id: string; fields: FeedFields }
  | { op: 'enable'; id: string; enabled: boolean };

/** The file changed on disk after the form was loaded. */
export class StaleFeedsFile extends Error {
  constructor() {
    super('feeds file changed since the form was loaded');
    this.name = 'StaleFeedsFile';
  }
}

export class UnknownFeed extends Error {
  constructor(readonly id: string) {
    super(`no feed "${id}" in the feeds file`);
    this.name = 'UnknownFeed';
  }
}

/** The edited config does not load; nothing was written. `index` is the edited feed's place in the list. */
export class InvalidFeedEdit extends Error {
  constructor(
    readonly problems: ConfigProblem[],
    readonly index: number,
  ) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'InvalidFeedEdit';
  }
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readFeedsFile(path: string): { text: string; hash: string } {
  const text = readFileSync(path, 'utf8');
  return { text, hash: contentHash(text) };
}

/** How the file writes lists, so that what we add looks like what is there. */
function styleOf(text: string): ToStringOptions {
  return {
    flowCollectionPadding: /\[ \S/.test(text),
    // `feeds:` followed by `- id:` at the start of a line: sequences are not indented.
    indentSeq: !/^feeds:\s*\n(?:\s*#.*\n|\s*\n)*- /m.test(text),
    // Never fold long names or URLs onto a second line.
    lineWidth: 0,
  };
}

function parse(text: string, path: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InvalidFeedEdit([{ file: path, line: e.linePos?.[0]?.line ?? 1, field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` }], -1);
  }
  return doc;
}

/**
 * A comment after the last feed belongs to the document, which `yaml` always prints after a
 * blank line; where the file has none, it is kept as the list's own closing comment instead.
 */
function keepTrailingComment(doc: Document.Parsed, fileText: string, style: ToStringOptions): void {
  const contents = doc.contents as (Node & { comment?: string | null }) | null;
  if (!doc.comment || !contents || contents.comment || doc.toString(style) === fileText) return;
  const comment = doc.comment;
  contents.comment = comment;
  doc.comment = '';
  if (doc.toString(style) === fileText) return;
  contents.comment = null;
  doc.comment = comment;
}

function feedList(doc: Document.Parsed, create: boolean, path: string): Node[] {
  const list = doc.get('feeds', true);
  if (isSeq(list)) return list.items as Node[];
  if (create && (list === undefined || (isScalar(list) && list.value === null))) {
    doc.set('feeds', doc.createNode([]));
    return feedList(doc, false, path);
  }
  throw new InvalidFeedEdit([{ file: path, line: 1, field: 'feeds', message: 'expected a list of feeds' }], -1);
}

function idOf(node: Node): string | null {
  if (!isMap(node)) return null;
  const id = node.get('id', true);
  return isScalar(id) && id.value !== null ? String(id.value) : null;
}

function text(node: unknown): string {
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value);
  return '';
}

/** A feed's fields as written in the file, or null when the file has no such feed. */
export function feedFieldsOf(fileText: string, id: string): FeedFields | null {
  const doc = parseDocument(fileText);
  const list = doc.get('feeds', true);
  if (!isSeq(list)) return null;
  const item = (list.items as Node[]).find((n) => idOf(n) === id);
  if (!item || !isMap(item)) return null;
  const munis = item.get('municipalities', true);
  const enabled = item.get('enabled', true);
  return {
    id,
    name: text(item.get('name', true)),
    url: text(item.get('url', true)),
    kind: text(item.get('kind', true)),
    municipalities: isSeq(munis) ? munis.items.map(text).filter(Boolean) : text(munis) ? [text(munis)] : [],
    region: text(item.get('region', true)),
    interval: text(item.get('interval', true)),
    enabled: !(isScalar(enabled) && enabled.value === false),
  };
}

/** Ids of the feeds in the file, in order. */
export function feedIdsOf(fileText: string): string[] {
  const list = parseDocument(fileText).get('feeds', true);
  return isSeq(list) ? (list.items as Node[]).map(idOf).filter((x): x is string => x !== null) : [];
}

type Value = string | string[] | boolean | undefined;

/** Values to write for each key; undefined removes the key (a default applies). */
function valuesOf(f: FeedFields, keepEnabledKey: boolean): Record<FeedKey, Value> {
  const blank = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const munis = f.municipalities.map((m) => m.trim()).filter(Boolean);
  return {
    id: blank(f.id),
    name: blank(f.name),
    url: blank(f.url),
    kind: blank(f.kind),
    municipalities: munis.length > 0 ? munis : undefined,
    region: blank(f.region),
    interval: blank(f.interval),
    enabled: f.enabled ? (keepEnabledKey ? true : undefined) : false,
  };
}

function sameScalar(node: Node | undefined, value: string | boolean): boolean {
  return isScalar(node) && (node.value === value || (typeof value === 'string' && node.value !== null && String(node.value) === value));
}

/** Sets one key of a feed's mapping, touching the node only when the value differs. */
function setKey(doc: Document.Parsed, map: YAMLMap, key: FeedKey, value: Value, flowLists: boolean): void {
  const existing = map.get(key, true) as Node | undefined;
  if (value === undefined) {
    if (map.has(key)) map.delete(key);
    return;
  }
  if (Array.isArray(value)) {
    if (isSeq(existing) && existing.items.length === value.length && existing.items.every((n, i) => sameScalar(n as Node, value[i]!))) return;
    if (isScalar(existing) && value.length === 1 && sameScalar(existing, value[0]!)) return;
    const node = doc.createNode(value);
    node.flow = isSeq(existing) ? existing.flow : flowLists;
    if (existing) node.comment = existing.comment;
    map.set(key, node);
    return;
  }
  if (existing && isScalar(existing)) {
    if (!sameScalar(existing, value)) existing.value = value;
    return;
  }
  if (existing) {
    map.set(key, doc.createNode(value));
    return;
  }
  // A new key goes where FEED_KEYS puts it, before the first key that comes later.
  const pair = doc.createPair(key, value) as Pair;
  const after = map.items.findIndex((p) => {
    const k = FEED_KEYS.indexOf(text(p.key) as FeedKey);
    return k > FEED_KEYS.indexOf(key);
  });
  if (after < 0) map.items.push(pair);
  else map.items.splice(after, 0, pair);
}

/** The file's text with the edit made; `index` is the feed's place in the list. */
export function applyFeedEdit(fileText: string, edit: FeedEdit, path = 'feeds.yaml'): { text: string; index: number } {
  const doc = parse(fileText, path);
  const style = styleOf(fileText);
  keepTrailingComment(doc, fileText, style);
  const items = feedList(doc, edit.op === 'add', path);
  const maps = items.filter(isMap) as YAMLMap[];
  const flowLists = maps.some((m) => isSeq(m.get('municipalities', true)) && (m.get('municipalities', true) as { flow?: boolean }).flow === true) || maps.length === 0;
  // `enabled: true` is the default: written where the feed says so already, or where the
  // file's other feeds all spell it out.
  const writesEnabled = (self: YAMLMap | null) =>
    (self !== null && sameScalar(self.get('enabled', true) as Node, true)) || maps.some((m) => m !== self && m.has('enabled'));
  let index: number;
  if (edit.op === 'add') {
    const map = new YAMLMap();
    const values = valuesOf(edit.fields, writesEnabled(null));
    for (const key of FEED_KEYS) setKey(doc, map, key, values[key], flowLists);
    items.push(map);
    index = items.length - 1;
  } else {
    index = items.findIndex((n) => idOf(n) === edit.id);
    const map = items[index];
    if (index < 0 || !isMap(map)) throw new UnknownFeed(edit.id);
    if (edit.op === 'enable') {
      setKey(doc, map, 'enabled', edit.enabled ? (writesEnabled(map) ? true : undefined) : false, flowLists);
    } else {
      // The id names the feed's history in the store: an edit never renames it.
      const values = valuesOf({ ...edit.fields, id: edit.id }, writesEnabled(map));
      for (const key of FEED_KEYS) setKey(doc, map, key, values[key], flowLists);
    }
  }
  return { text: doc.toString(style), index };
}

export interface SavedEdit {
  index: number;
  /** Hash of the file as it is now. */
  hash: string;
  changed: boolean;
}

/**
 * Makes the edit in the feeds file. `validate` loads the config with the given feeds file
 * in place of this one and throws ConfigError when it does not load. Synchronous from the
 * first read to the rename, so two saves in this process cannot interleave.
 */
export function saveFeedsFile(path: string, edit: FeedEdit, opts: { baseHash?: string; validate: (candidate: string) => void }): SavedEdit {
  const target = realpathSync(path);
  const before = readFileSync(target, 'utf8');
  const beforeHash = contentHash(before);
  if (opts.baseHash !== undefined && opts.baseHash !== beforeHash) throw new StaleFeedsFile();
  const { text, index } = applyFeedEdit(before, edit, path);
  if (text === before) return { index, hash: beforeHash, changed: false };
  const candidate = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeDurably(candidate, text, statSync(target).mode & 0o777);
    try {
      opts.validate(candidate);
    } catch (e) {
      if (e instanceof ConfigError) {
        throw new InvalidFeedEdit(
          e.problems.map((p) => (p.file === candidate ? { ...p, file: path } : p)),
          index,
        );
      }
      throw e;
    }
    // An editor outside this process may have written meanwhile.
    if (contentHash(readFileSync(target, 'utf8')) !== beforeHash) throw new StaleFeedsFile();
    renameSync(candidate, target);
  } finally {
    rmSync(candidate, { force: true });
  }
  return { index, hash: contentHash(text), changed: true };
}

function writeDurably(path: string, text: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, mode);
}
