/**
 * Scores the article extractor on the evaluation material in ../shared/eval/extraction.
 *
 *   npx tsx scripts/eval-extract.ts            table of scores against targets
 *   npx tsx scripts/eval-extract.ts --json     the same as JSON
 *   npx tsx scripts/eval-extract.ts --worst    plus the 10 worst scrapinghub and readability pages
 *   npx tsx scripts/eval-extract.ts --show ID  one page: our text, the truth, and what differs
 *
 * Body scores follow the scrapinghub article-extraction-benchmark: `\w+` tokens (Unicode),
 * 4-token shingles counted as a multiset, per-page TP/FP/FN normalised to sum to 1,
 * precision and recall averaged over pages (an empty prediction scores 0 and 0), F1 of the
 * averages; accuracy is the share of pages whose token sequences match exactly.
 * The exit code is 1 when a target is missed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { extractArticle, type ExtractedArticle } from '../src/extract/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EVAL_DIR = resolve(ROOT, '../shared/eval/extraction');
const NOW = new Date();

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const showWorst = args.includes('--worst');
const showIndex = args.indexOf('--show');
const showId = showIndex >= 0 ? args[showIndex + 1] : undefined;

// ---------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------

// Python's re `\w` with re.UNICODE: letters, numbers and the underscore.
const TOKEN = /[\p{L}\p{N}_]+/gu;

function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function shingles(tokens: string[], n = 4): Map<string, number> {
  const out = new Map<string, number>();
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const s = tokens.slice(i, i + n);
    if (s.length === 0) continue;
    const key = s.join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

interface DocScore {
  id: string;
  precision: number;
  recall: number;
  f1: number;
  exact: boolean;
}

function scoreBody(id: string, truth: string, predicted: string): DocScore {
  const tt = tokenize(truth);
  const pt = tokenize(predicted);
  const ts = shingles(tt);
  const ps = shingles(pt);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, c] of ps) {
    const t = ts.get(k) ?? 0;
    tp += Math.min(c, t);
    fp += Math.max(0, c - t);
  }
  for (const [k, c] of ts) fn += Math.max(0, c - (ps.get(k) ?? 0));
  const sum = tp + fp + fn;
  if (sum > 0) {
    tp /= sum;
    fp /= sum;
    fn /= sum;
  }
  const precision = fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp);
  const recall = fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const exact = tt.length === pt.length && tt.every((t, i) => t === pt[i]);
  return { id, precision, recall, f1, exact };
}

interface BodySummary {
  n: number;
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
}

function summarise(scores: DocScore[]): BodySummary {
  const n = scores.length;
  if (n === 0) return { n, f1: 0, precision: 0, recall: 0, accuracy: 0 };
  const precision = scores.reduce((a, s) => a + s.precision, 0) / n;
  const recall = scores.reduce((a, s) => a + s.recall, 0) / n;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = scores.filter((s) => s.exact).length / n;
  return { n, f1, precision, recall, accuracy };
}

function comparable(text: string | null | undefined): string {
  return (text ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

interface Ratio {
  ok: number;
  n: number;
}

const ratio = (r: Ratio): number => (r.n === 0 ? 0 : r.ok / r.n);

// ---------------------------------------------------------------------------------------
// Truth text of expected.html
// ---------------------------------------------------------------------------------------

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
  'table', 'tr', 'td', 'th', 'figure', 'figcaption', 'br', 'hr', 'dl', 'dt', 'dd', 'header', 'footer', 'main',
]);

function htmlToText(html: string): string {
  const $ = load(html);
  const out: string[] = [];
  const walk = (n: AnyNode): void => {
    if (n.type === 'text') {
      out.push(n.data);
      return;
    }
    if (n.type === 'script' || n.type === 'style') return;
    if ('children' in n) {
      const block = n.type === 'tag' && BLOCK.has(n.name);
      if (block) out.push('\n');
      for (const c of n.children) walk(c);
      if (block) out.push('\n');
    }
  };
  walk($.root()[0] as unknown as AnyNode);
  return out.join('').replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}

// ---------------------------------------------------------------------------------------
// Suites
// ---------------------------------------------------------------------------------------

interface ScrapinghubResult {
  body: BodySummary;
  docs: DocScore[];
  seconds: number;
}

function runScrapinghub(): ScrapinghubResult | null {
  const dir = join(EVAL_DIR, 'scrapinghub');
  if (!existsSync(dir)) return null;
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string; url: string }
  >;
  const docs: DocScore[] = [];
  const started = performance.now();
  for (const [id, t] of Object.entries(truth)) {
    const html = gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`))).toString('utf8');
    const a = extractArticle(html, t.url, { now: NOW });
    docs.push(scoreBody(id, t.articleBody, a.text));
    if (showId === id) show(id, a, t.articleBody);
  }
  return { body: summarise(docs), docs, seconds: (performance.now() - started) / 1000 };
}

interface ReadabilityResult {
  body: BodySummary;
  docs: DocScore[];
  titleExact: Ratio;
  titleNormalised: Ratio;
  byline: Ratio;
  bylineContained: Ratio;
  language: Ratio;
  published: Ratio;
  publishedMisses: string[];
}

interface ReadabilityMeta {
  title?: string | null;
  byline?: string | null;
  lang?: string | null;
  publishedTime?: string | null;
}

function runReadability(): ReadabilityResult | null {
  const dir = join(EVAL_DIR, 'readability');
  if (!existsSync(dir)) return null;
  const r: ReadabilityResult = {
    body: summarise([]), docs: [], titleExact: { ok: 0, n: 0 }, titleNormalised: { ok: 0, n: 0 },
    byline: { ok: 0, n: 0 }, bylineContained: { ok: 0, n: 0 }, language: { ok: 0, n: 0 }, published: { ok: 0, n: 0 }, publishedMisses: [],
  };
  for (const name of readdirSync(dir).sort()) {
    const page = join(dir, name);
    if (!existsSync(join(page, 'source.html'))) continue;
    const source = readFileSync(join(page, 'source.html'), 'utf8');
    const expected = htmlToText(readFileSync(join(page, 'expected.html'), 'utf8'));
    const meta = JSON.parse(readFileSync(join(page, 'expected-metadata.json'), 'utf8')) as ReadabilityMeta;
    // The readability test suite serves every page from this address.
    const a = extractArticle(source, 'http://fakehost/test/page.html', { now: NOW });
    r.docs.push(scoreBody(name, expected, a.text));
    if (showId === name) show(name, a, expected);
    if (meta.title) {
      r.titleExact.n++;
      r.titleNormalised.n++;
      if ((a.title ?? '').trim() === meta.title.trim()) r.titleExact.ok++;
      if (comparable(a.title) === comparable(meta.title)) r.titleNormalised.ok++;
    }
    if (meta.byline && meta.byline.trim()) {
      r.byline.n++;
      if (comparable(a.author) === comparable(meta.byline)) r.byline.ok++;
      // Expected bylines often keep "By ..." and a date; the name inside them counts here.
      r.bylineContained.n++;
      if (a.author && comparable(meta.byline).includes(comparable(a.author))) r.bylineContained.ok++;
    }
    if (meta.lang) {
      r.language.n++;
      const base = meta.lang.toLowerCase().split(/[-_]/)[0] ?? '';
      const want = base === 'fi' || base === 'sv' || base === 'en' ? base : null;
      if (a.language === want) r.language.ok++;
    }
    if (meta.publishedTime) {
      r.published.n++;
      if (a.published?.slice(0, 10) === meta.publishedTime.slice(0, 10)) r.published.ok++;
      else r.publishedMisses.push(`${name}: expected ${meta.publishedTime}, got ${a.published ?? 'null'}`);
    }
  }
  r.body = summarise(r.docs);
  return r;
}

interface FinnishCase {
  url: string;
  date?: string;
  title?: string;
  author?: string;
  with?: string[];
  without?: string[];
}

interface FinnishResult {
  snippetsWith: Ratio;
  snippetsWithout: Ratio;
  title: Ratio;
  author: Ratio;
  date: Ratio;
  failures: string[];
}

function runFinnish(): FinnishResult | null {
  const dir = join(EVAL_DIR, 'finnish');
  if (!existsSync(join(dir, 'expected.json'))) return null;
  const cases = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, FinnishCase>;
  const r: FinnishResult = {
    snippetsWith: { ok: 0, n: 0 }, snippetsWithout: { ok: 0, n: 0 }, title: { ok: 0, n: 0 },
    author: { ok: 0, n: 0 }, date: { ok: 0, n: 0 }, failures: [],
  };
  for (const [file, c] of Object.entries(cases)) {
    const a = extractArticle(readFileSync(join(dir, file), 'utf8'), c.url, { now: NOW });
    if (showId === file) show(file, a, (c.with ?? []).join('\n'));
    for (const s of c.with ?? []) {
      r.snippetsWith.n++;
      if (a.text.includes(s)) r.snippetsWith.ok++;
      else r.failures.push(`${file}: missing "${s}"`);
    }
    for (const s of c.without ?? []) {
      r.snippetsWithout.n++;
      if (!a.text.includes(s)) r.snippetsWithout.ok++;
      else r.failures.push(`${file}: should not contain "${s}"`);
    }
    if (c.title) {
      r.title.n++;
      if (comparable(a.title) === comparable(c.title)) r.title.ok++;
      else r.failures.push(`${file}: title "${a.title ?? ''}"`);
    }
    if (c.author) {
      r.author.n++;
      if (comparable(a.author) === comparable(c.author)) r.author.ok++;
      else r.failures.push(`${file}: author "${a.author ?? ''}"`);
    }
    if (c.date) {
      r.date.n++;
      if (a.published?.slice(0, 10) === c.date) r.date.ok++;
      else r.failures.push(`${file}: published ${a.published ?? 'null'}, expected ${c.date}`);
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

function show(id: string, a: ExtractedArticle, truth: string): void {
  const ts = shingles(tokenize(truth));
  const ps = shingles(tokenize(a.text));
  console.log(`=== ${id}`);
  console.log(JSON.stringify({ ...a, text: undefined, paragraphs: a.paragraphs.length }, null, 1));
  console.log('--- extracted paragraphs');
  for (const p of a.paragraphs) {
    const sh = shingles(tokenize(p));
    let miss = 0;
    for (const k of sh.keys()) if (!ts.has(k)) miss++;
    console.log(`${miss > sh.size / 2 ? '  EXTRA ' : '        '}${p.slice(0, 160)}`);
  }
  console.log('--- truth paragraphs we lack');
  for (const line of truth.split(/\n+/)) {
    const sh = shingles(tokenize(line));
    let miss = 0;
    for (const k of sh.keys()) if (!ps.has(k)) miss++;
    if (sh.size > 0 && miss > sh.size / 2) console.log(`  MISSING ${line.slice(0, 160)}`);
  }
}

interface Row {
  suite: string;
  metric: string;
  value: string;
  target: string;
  n: string;
  status: string;
}

const rows: Row[] = [];
let failed = false;

function row(suite: string, metric: string, value: number, n: number, target?: { min: number; label: string }): void {
  let status = '';
  if (target) {
    const ok = value >= target.min - 1e-12;
    status = ok ? 'PASS' : 'FAIL';
    if (!ok) failed = true;
  }
  rows.push({ suite, metric, value: value.toFixed(3), target: target?.label ?? '', n: String(n), status });
}

function printTable(): void {
  const header: Row = { suite: 'suite', metric: 'metric', value: 'value', target: 'target', n: 'n', status: '' };
  const all = [header, ...rows];
  const keys: (keyof Row)[] = ['suite', 'metric', 'value', 'target', 'n', 'status'];
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  for (const r of all) {
    console.log(
      keys
        .map((k, i) => (k === 'value' || k === 'n' ? r[k].padStart(widths[i]!) : r[k].padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  }
}

const worstCount = Number(process.env['WORST'] ?? 10);

function worst(title: string, docs: DocScore[]): void {
  console.log(`\nworst ${worstCount} ${title} pages (F1, precision, recall):`);
  for (const d of [...docs].sort((a, b) => a.f1 - b.f1).slice(0, worstCount)) {
    console.log(`  ${d.f1.toFixed(3)}  ${d.precision.toFixed(3)}  ${d.recall.toFixed(3)}  ${d.id}`);
  }
}

const started = performance.now();
const sh = runScrapinghub();
const rd = runReadability();
const fi = runFinnish();
const seconds = (performance.now() - started) / 1000;

if (showId) process.exit(0);

if (sh) {
  row('scrapinghub', 'body F1', sh.body.f1, sh.body.n, { min: 0.95, label: '>= 0.950' });
  row('scrapinghub', 'body precision', sh.body.precision, sh.body.n);
  row('scrapinghub', 'body recall', sh.body.recall, sh.body.n);
  row('scrapinghub', 'exact match', sh.body.accuracy, sh.body.n);
}
if (rd) {
  row('readability', 'body F1', rd.body.f1, rd.body.n);
  row('readability', 'body precision', rd.body.precision, rd.body.n);
  row('readability', 'body recall', rd.body.recall, rd.body.n);
  row('readability', 'title exact', ratio(rd.titleExact), rd.titleExact.n);
  row('readability', 'title normalised', ratio(rd.titleNormalised), rd.titleNormalised.n);
  row('readability', 'byline exact', ratio(rd.byline), rd.byline.n);
  row('readability', 'byline name inside', ratio(rd.bylineContained), rd.bylineContained.n);
  row('readability', 'language', ratio(rd.language), rd.language.n);
  row('readability', 'published date', ratio(rd.published), rd.published.n, { min: 0.9, label: '>= 0.900' });
}
if (fi) {
  row('finnish', 'with snippets', ratio(fi.snippetsWith), fi.snippetsWith.n, { min: 1, label: 'all' });
  row('finnish', 'without snippets', ratio(fi.snippetsWithout), fi.snippetsWithout.n, { min: 1, label: 'all' });
  row('finnish', 'title', ratio(fi.title), fi.title.n);
  row('finnish', 'author', ratio(fi.author), fi.author.n);
  row('finnish', 'published date', ratio(fi.date), fi.date.n);
}
if (!sh && !rd && !fi) {
  console.error(`no evaluation material under ${EVAL_DIR}`);
  process.exit(2);
}

if (asJson) {
  console.log(
    JSON.stringify(
      {
        scrapinghub: sh ? { ...sh.body, seconds: sh.seconds, docs: sh.docs } : null,
        readability: rd
          ? {
              body: rd.body,
              docs: rd.docs,
              titleExact: rd.titleExact,
              titleNormalised: rd.titleNormalised,
              byline: rd.byline,
              bylineContained: rd.bylineContained,
              language: rd.language,
              published: rd.published,
            }
          : null,
        finnish: fi,
        rows,
        passed: !failed,
        seconds,
      },
      null,
      2,
    ),
  );
} else {
  console.log(`Extraction evaluation on ${EVAL_DIR} (${seconds.toFixed(1)} s)\n`);
  printTable();
  if (fi && fi.failures.length > 0) {
    console.log('\nfinnish failures:');
    for (const f of fi.failures) console.log(`  ${f}`);
  }
  if (showWorst) {
    if (sh) worst('scrapinghub', sh.docs);
    if (rd) {
      worst('readability', rd.docs);
      console.log('\nreadability published-date misses:');
      for (const m of rd.publishedMisses) console.log(`  ${m}`);
    }
  }
}
process.exitCode = failed ? 1 : 0;
