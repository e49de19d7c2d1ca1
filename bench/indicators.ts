/**
 * Weekly indicators at scale: a full recount of 1,000,000 synthetic tagged articles, an
 * incremental refresh after one new article, the indicator computation for every
 * municipality, week and group, and one weekly report — each timed, with peak RSS.
 *
 * The synthetic store is generated straight into a SQLite file with batched inserts in one
 * transaction (not timed) and kept under the OS temp dir, so later runs reuse it.
 * The baseline measured side by side is a plain scan that only reads every article row
 * once (SELECT COUNT(*) over articles, an unavoidable lower bound for any full recount).
 *
 *   npx tsx bench/indicators.ts [--articles N] [--rounds N] [--fresh]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/store.ts';
import { loadavg } from 'node:os';
import { addWeeks, computeIndicatorSet, forEachIndicatorValue, loadIndicatorCatalogue, recomputeAll, refreshIndicators, weekRange, weekStart } from '../src/indicators/index.ts';
import { buildWeeklyReport, renderReportHtml, renderReportMarkdown } from '../src/report/index.ts';
import { prng as rng } from '../src/demo/synthetic.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ARTICLES = option('--articles', 1_000_000);
const ROUNDS = option('--rounds', 3);
const MUNICIPALITIES = 50;
const FIRST_WEEK = '2025-W01';
const WEEKS = 104;
const GROUPS = ['immigrants', 'asylum_seekers', 'refugees', 'roma', 'sami', 'russian_speakers', 'swedish_speakers', 'somalis', 'muslims', 'jews', 'ukrainians', 'estonians', 'other_ethnic'];
const FRAMES = ['crime_security', 'threat_burden', 'victim_discrimination', 'integration_work', 'culture_community', 'policy_admin', 'other'];
const TONES = ['neg', 'neu', 'pos'];
const GENERATOR_VERSION = 'v1';

const dir = join(tmpdir(), 'mediamittari-bench');
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, `indicators-${GENERATOR_VERSION}-${ARTICLES}.db`);


const code = (i: number) => String(i + 1).padStart(3, '0');

function generate(path: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const store = new Store(path);
  const db = store.db;
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // A vocabulary of made-up words, Zipf-like in use, so TF-IDF has something to find.
  const vocab = Array.from({ length: 3000 }, (_, i) => `sana${i.toString(36)}${'aeiouyäö'[i % 8]}`);
  const word = () => vocab[Math.floor(vocab.length * rand() ** 3)]!;
  const t0 = performance.now();
  db.transaction(() => {
    const muni = db.prepare('INSERT INTO municipalities (code, name_fi, name_sv, region) VALUES (?, ?, ?, ?)');
    for (let m = 0; m < MUNICIPALITIES; m++) muni.run(code(m), `Kunta ${m + 1}`, `Kommun ${m + 1}`, `Maakunta ${1 + (m % 10)}`);
    const feed = db.prepare(`INSERT INTO feeds (id, name, url, kind, interval_ms, enabled) VALUES (?, ?, ?, 'local_paper', 1800000, 1)`);
    const link = db.prepare('INSERT INTO feed_municipalities (feed_id, municipality_code) VALUES (?, ?)');
    for (let m = 0; m < MUNICIPALITIES; m++) {
      feed.run(`feed-${code(m)}`, `Lehti ${m + 1}`, `https://lehti${m + 1}.example.fi/feed`);
      link.run(`feed-${code(m)}`, code(m));
    }
    // Every feed polled every 6 hours over the two years; a few errors.
    const poll = db.prepare(`INSERT INTO polls (feed_id, started_at, duration_ms, outcome, items, new_items) VALUES (?, ?, 50, ?, 10, 1)`);
    const start = weekStart(FIRST_WEEK);
    const span = WEEKS * 7 * 86_400_000;
    for (let m = 0; m < MUNICIPALITIES; m++) {
      for (let t = start; t < start + span; t += 6 * 3_600_000) poll.run(`feed-${code(m)}`, t, rand() < 0.03 ? 'error' : 'ok');
    }
    const article = db.prepare(
      `INSERT INTO articles (id, url, title, lead, text, paragraphs_json, published_at, published_ts, paywalled, used_feed_fallback,
         word_count, text_hash, duplicate_of, fetched_at, stored_at)
       VALUES (?, ?, ?, ?, ?, '[]', NULL, ?, 0, 0, ?, ?, ?, ?, ?)`,
    );
    const feedTown = db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, ?, 'feed')`);
    const analysis = db.prepare(
      `INSERT INTO analyses (article_id, version, analysed_at, language, tone, tone_score, frame, body_offset, truncated, result_json)
       VALUES (?, 'bench', ?, 'fi', ?, ?, ?, 0, 0, '{}')`,
    );
    const place = db.prepare('INSERT INTO article_localities (article_id, municipality_code, score) VALUES (?, ?, 1)');
    const group = db.prepare('INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let id = 1; id <= ARTICLES; id++) {
      const ts = start + Math.floor(rand() * span);
      const m = Math.floor(MUNICIPALITIES * rand() ** 1.5); // some towns much bigger than others
      const words = Array.from({ length: 40 }, word).join(' ');
      const dup = id > 100 && rand() < 0.05 ? id - 1 - Math.floor(rand() * 50) : null;
      article.run(id, `https://lehti${m + 1}.example.fi/a/${id}`, `Otsikko ${word()} ${word()}`, `Ingressi ${word()} ${word()} ${word()}`, words, ts, 40, `h${id}`, dup, ts + 600_000, ts + 600_000);
      feedTown.run(id, code(m));
      if (rand() < 0.02) continue; // stored before analysis existed: counts by its feed
      const tags: string[] = [];
      if (rand() < 0.35) {
        tags.push(pick(GROUPS));
        if (rand() < 0.3) tags.push(pick(GROUPS));
      }
      const tones = tags.map(() => pick(TONES));
      analysis.run(id, ts + 700_000, tones.includes('neg') ? 'neg' : tones[0] ?? 'neu', 0, tags.length ? pick(FRAMES) : null);
      place.run(id, code(m));
      if (rand() < 0.2) {
        const other = Math.floor(MUNICIPALITIES * rand());
        if (other !== m) place.run(id, code(other));
      }
      for (const [i, g] of [...new Set(tags)].entries()) {
        const tone = tones[i] ?? 'neu';
        const score = tone === 'neg' ? -rand() : tone === 'pos' ? rand() : 0;
        group.run(id, g, 1 + Math.floor(rand() * 4), tone, score, pick(FRAMES), rand() < 0.3 ? 1 : 0);
      }
    }
  })();
  db.exec('ANALYZE');
  store.close();
  console.log(`generated ${ARTICLES.toLocaleString('en')} articles in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB)`);
}

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

if (process.argv.includes('--fresh') || !existsSync(dbPath)) generate(dbPath);
else console.log(`reusing ${dbPath} (--fresh to generate again)`);

const store = new Store(dbPath);
const catalogue = loadIndicatorCatalogue();
const lastWeek = addWeeks(FIRST_WEEK, WEEKS - 1);
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
