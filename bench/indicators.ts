/**
 * Weekly indicators at scale: a full recount of 1,000,000 synthetic tagged articles, an
 * incremental refresh after one new article, the indicator computation for every
 * municipality, week and group, and one weekly report — each timed, with peak RSS.
 *
 * The synthetic store (bench/synthetic-store.ts, kind 'indicators') is generated straight into
 * a SQLite file (not timed) and kept under the OS temp dir, so later runs reuse it.
 * The baseline measured side by side is a plain scan that only reads every article row
 * once (SELECT COUNT(*) over articles, an unavoidable lower bound for any full recount).
 *
 *   npx tsx bench/indicators.ts [--articles N] [--rounds N] [--fresh]
 */
import { readFileSync } from 'node:fs';
import { Store } from '../src/store/store.ts';
import { loadavg } from 'node:os';
import { computeIndicatorSet, forEachIndicatorValue, loadIndicatorCatalogue, recomputeAll, refreshIndicators, weekRange, weekStart } from '../src/indicators/index.ts';
import { buildWeeklyReport, renderReportHtml, renderReportMarkdown } from '../src/report/index.ts';
import { GROUPS, syntheticStore } from './synthetic-store.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ARTICLES = option('--articles', 1_000_000);
const ROUNDS = option('--rounds', 3);

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

interface Timing {
  ms: number;
  cpuMs: number;
}

function time<T>(fn: () => T): Timing & { value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

const synthetic = await syntheticStore({ kind: 'indicators', articles: ARTICLES, fresh: process.argv.includes('--fresh') });
const store = new Store(synthetic.path);
const catalogue = loadIndicatorCatalogue();
const { firstWeek: FIRST_WEEK, lastWeek } = synthetic;
const MUNICIPALITIES = synthetic.municipalities.length;
const results: Record<string, Timing[]> = { scan: [], recount: [], values: [], refreshOne: [], report: [], reportAll: [] };
let values = 0;
let cells = 0;
const load: number[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    load.push(loadavg()[0]!);
    results.scan!.push(time(() => store.db.prepare('SELECT COUNT(*) n, SUM(length(url)) FROM articles').get()));
    results.recount!.push(time(() => recomputeAll(store)));
    // Every indicator of every municipality, week and group, as the export produces them.
    const v = time(() => {
      const set = computeIndicatorSet(store, catalogue, { from: FIRST_WEEK, to: lastWeek });
      return { n: forEachIndicatorValue(set, catalogue, () => {}), cells: set.groupWeeks.length };
    });
    results.values!.push(v);
    values = v.value.n;
    cells = v.value.cells;
    // One new article in the last week: the refresh recounts that week only.
    const id = 10_000_000 + r;
    store.db
      .prepare(
        `INSERT INTO articles (id, url, text, paragraphs_json, published_ts, paywalled, used_feed_fallback, word_count, text_hash, fetched_at, stored_at)
         VALUES (?, ?, 'uusi juttu', '[]', ?, 0, 0, 2, ?, ?, ?)`,
      )
      .run(id, `https://bench.example.fi/new/${id}`, weekStart(lastWeek) + 3_600_000, `new${id}`, Date.now(), Date.now());
    store.db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, '001', 'feed')`).run(id);
    const inc = time(() => refreshIndicators(store));
    if (inc.value.weeks.length !== 1) throw new Error(`incremental refresh recounted ${inc.value.weeks.length} weeks, expected 1`);
    results.refreshOne!.push(inc);
    // The report as the command makes it: refresh (nothing to do), build, render both files.
    const report = (municipalities?: string[]) =>
      time(() => {
        refreshIndicators(store);
        const data = buildWeeklyReport(store, catalogue, { week: lastWeek, municipalities, lang: 'fi' });
        return renderReportHtml(data).length + renderReportMarkdown(data).length;
      });
    results.report!.push(report(['001']));
    if (r === 0) results.reportAll!.push(report());
  }
} finally {
  store.db.prepare('DELETE FROM article_municipalities WHERE article_id >= 10000000').run();
  store.db.prepare('DELETE FROM articles WHERE id >= 10000000').run();
  store.close();
}

const median = (xs: Timing[], k: keyof Timing) => {
  const s = xs.map((x) => x[k]).sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const fmt = (xs: Timing[]) => `${(median(xs, 'ms') / 1000).toFixed(2)} s wall, ${(median(xs, 'cpuMs') / 1000).toFixed(2)} s CPU`;
const scan = median(results.scan!, 'ms');
const recount = median(results.recount!, 'ms');
const full = results.recount!.map((x, i) => ({ ms: x.ms + results.values![i]!.ms, cpuMs: x.cpuMs + results.values![i]!.cpuMs }));
console.log(`\n${ARTICLES.toLocaleString('en')} articles, ${MUNICIPALITIES} municipalities × ${weekRange(FIRST_WEEK, lastWeek).length} weeks × ${GROUPS.length} groups; median of ${ROUNDS} rounds; 1-min load average ${load.map((l) => l.toFixed(1)).join(', ')} on ${(await import('node:os')).cpus().length} cores`);
console.log(`  baseline: read every article row once          ${fmt(results.scan!)}`);
console.log(`  full recount into weekly counts                 ${fmt(results.recount!)}  (${(recount / scan).toFixed(1)}× the baseline)`);
console.log(`  all indicator values (${values.toLocaleString('en')} in ${cells.toLocaleString('en')} group cells)  ${fmt(results.values!)}`);
console.log(`  full recompute: recount + all values            ${fmt(full)}  (target < 5 s)`);
console.log(`  refresh after one new article (one week)        ${fmt(results.refreshOne!)}`);
console.log(`  weekly report, one municipality (HTML + MD)     ${fmt(results.report!)}  (target < 2 s)`);
console.log(`  weekly report, all ${MUNICIPALITIES} municipalities (1 run)     ${fmt(results.reportAll!)}`);
console.log(`  peak RSS                                        ${peakRssMb().toFixed(0)} MB`);
