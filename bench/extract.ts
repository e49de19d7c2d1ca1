/**
 * Throughput of extractArticle against @mozilla/readability on jsdom, over the same
 * scrapinghub pages in the same process: a warm-up, then timed rounds alternating between
 * the two; the median round of each is reported. Readability needs a DOM, so its figure includes jsdom parsing,
 * just as ours includes cheerio parsing.
 *
 *   npx tsx bench/extract.ts [--rounds N] [--pages N]
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractArticle } from '../src/extract/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = resolve(ROOT, '../shared/eval/extraction/scrapinghub');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const rounds = option('--rounds', 3);
const limit = option('--pages', Infinity);

if (!existsSync(DIR)) {
  console.error(`no scrapinghub pages under ${DIR}`);
  process.exit(2);
}
const truth = JSON.parse(readFileSync(join(DIR, 'ground-truth.json'), 'utf8')) as Record<string, { url: string }>;
const pages = readdirSync(join(DIR, 'html'))
  .filter((f) => f.endsWith('.html.gz'))
  .sort()
  .slice(0, limit)
  .map((f) => {
    const id = f.replace(/\.html\.gz$/, '');
    return {
      url: truth[id]?.url ?? 'https://example.com/',
      html: gunzipSync(readFileSync(join(DIR, 'html', f))).toString('utf8'),
    };
  });
const megabytes = pages.reduce((n, p) => n + p.html.length, 0) / 1e6;

// jsdom reports every stylesheet it cannot parse; the bench is not about CSS.
const quiet = new VirtualConsole();

function ours(page: { html: string; url: string }): number {
  return extractArticle(page.html, page.url).text.length;
}

function readability(page: { html: string; url: string }): number {
  const dom = new JSDOM(page.html, { url: page.url, virtualConsole: quiet });
  const article = new Readability(dom.window.document).parse();
  dom.window.close();
  return article?.textContent?.length ?? 0;
}

interface Result {
  name: string;
  roundsPagesPerSecond: number[];
  median: number;
}

function timeRound(run: (p: { html: string; url: string }) => number): number {
  let sink = 0;
  const started = performance.now();
  for (const p of pages) sink += run(p);
  const seconds = (performance.now() - started) / 1000;
  if (sink < 0) console.log(sink); // keep the results alive
  return pages.length / seconds;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Warm-up (JIT, lazy module loading): all pages for ours, a slice for the slow one.
for (const p of pages) ours(p);
for (const p of pages.slice(0, 20)) readability(p);

// Rounds alternate between the two so that both see the same machine load.
const oursRounds: number[] = [];
const theirRounds: number[] = [];
for (let r = 0; r < rounds; r++) {
  oursRounds.push(timeRound(ours));
  theirRounds.push(timeRound(readability));
}
const mine: Result = { name: 'extractArticle (cheerio/htmlparser2)', roundsPagesPerSecond: oursRounds, median: median(oursRounds) };
const theirs: Result = { name: '@mozilla/readability on jsdom', roundsPagesPerSecond: theirRounds, median: median(theirRounds) };
const ratio = mine.median / theirs.median;

const rows = [
  ['extractor', 'pages/s (median)', 'ms/page', 'rounds (pages/s)'],
  ...[mine, theirs].map((r) => [
    r.name,
    r.median.toFixed(1),
    (1000 / r.median).toFixed(2),
    r.roundsPagesPerSecond.map((x) => x.toFixed(1)).join(' '),
  ]),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(`${pages.length} scrapinghub pages, ${megabytes.toFixed(1)} MB of HTML, ${rounds} alternating timed rounds after a warm-up\n`);
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
const pass = ratio >= 4;
console.log(`\nratio ours / readability: ${ratio.toFixed(1)}x  (target >= 4x: ${pass ? 'PASS' : 'FAIL'})`);
process.exitCode = pass ? 0 : 1;
