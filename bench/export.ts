// Export throughput and memory: a synthetic corpus of 1,000,000 analysed articles (generated
// straight into SQLite, not timed) exported as JSONL and as CSV with the default text policy
// (snippets), each in its own process so that its peak RSS is its own. A baseline in the same
// run dumps the bare articles table to JSONL with one .iterate() loop: the floor any export of
// these rows pays for reading and writing them.
//
//   npm run bench:export                       1,000,000 articles
//   MM_BENCH_ARTICLES=200000 npm run bench:export
//   MM_BENCH_FORMATS=jsonl,csv,parquet npm run bench:export
//   MM_BENCH_STORE=/tmp/syn.db npm run bench:export   keep the generated store and reuse it next time
//
// Target: ≥ 20,000 rows/s with peak RSS under 200 MB for JSONL and CSV (Parquet is shown
// for information). The machine may be shared: run it two or three times and take the median;
// rows per CPU-second varies less with other load than rows per second.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { exportToFile } from '../src/export/index.ts';
import type { ExportFormat } from '../src/export/index.ts';
import { Store } from '../src/store/store.ts';
import { generateSyntheticStore } from '../test/export/synthetic.ts';

interface Measure {
  what: string;
  rows: number;
  seconds: number;
  /** User + system CPU seconds: less sensitive than wall time to other work on the machine. */
  cpuSeconds: number;
  bytes: number;
  maxRssMb: number;
}

const HERE = fileURLToPath(import.meta.url);

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function child(kind: string, dbPath: string, out: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let m: Measure;
  if (kind === 'baseline') {
    const db = new Database(dbPath, { readonly: true });
    const stream = createWriteStream(out);
    let rows = 0;
    let buf = '';
    for (const r of db.prepare('SELECT * FROM articles ORDER BY id').iterate()) {
      buf += JSON.stringify(r) + '\n';
      rows++;
      if (buf.length > 1 << 16) {
        if (!stream.write(buf)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
        buf = '';
      }
    }
    stream.write(buf);
    await new Promise<void>((resolve) => stream.end(resolve));
    db.close();
    m = { what: 'baseline: bare articles table → JSONL', rows, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(c0), bytes: statSync(out).size, maxRssMb: peakRssMb() };
  } else {
    const store = new Store(dbPath);
    const r = await exportToFile(store, { format: kind as ExportFormat, text: 'snippet', filters: {} }, out);
    store.close();
    m = { what: `export --format ${kind} --text snippet`, rows: r.summary.rows, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(c0), bytes: r.summary.bytes, maxRssMb: peakRssMb() };
  }
  process.stdout.write(JSON.stringify(m) + '\n');
}

function runChild(kind: string, dbPath: string, out: string): Measure {
  const r = spawnSync(process.execPath, ['--import', 'tsx', HERE, 'child', kind, dbPath, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measure;
}

async function main(): Promise<void> {
  const [mode, kind, dbPath, out] = process.argv.slice(2);
  if (mode === 'child') return child(kind!, dbPath!, out!);

  const n = Number(process.env.MM_BENCH_ARTICLES ?? 1_000_000);
  const formats = (process.env.MM_BENCH_FORMATS ?? 'jsonl,csv').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-export-'));
  try {
    const kept = process.env.MM_BENCH_STORE;
    const db = kept ?? join(dir, 'store.db');
    if (kept && existsSync(kept)) {
      const have = (new Database(kept, { readonly: true }).prepare('SELECT COUNT(*) n FROM articles').get() as { n: number }).n;
      if (have !== n) throw new Error(`${kept} holds ${have} articles, not ${n}: remove it or set MM_BENCH_ARTICLES=${have}`);
      process.stderr.write(`reusing ${kept} (${n} articles)\n`);
    } else {
      const g0 = performance.now();
      generateSyntheticStore(db, {
        articles: n,
        onProgress: (done) => {
          if (done % 100_000 === 0) process.stderr.write(`\rgenerating ${done}/${n}`);
        },
      });
      process.stderr.write(`\rgenerated ${n} articles in ${((performance.now() - g0) / 1000).toFixed(1)} s (${(statSync(db).size / 1e6).toFixed(0)} MB store; not timed)\n`);
    }

    const results: Measure[] = [runChild('baseline', db, join(dir, 'baseline.jsonl'))];
    for (const f of formats) {
      results.push(runChild(f, db, join(dir, `out.${f}`)));
      rmSync(join(dir, `out.${f}`), { force: true });
    }
    const base = results[0]!;
    const rate = (m: Measure) => m.rows / m.seconds;
    const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
    console.log(`\nexport of ${n.toLocaleString('en')} synthetic articles (20% with a group mention), Node ${process.version}, load average ${load}`);
    console.log(
      'what'.padEnd(40),
      'rows'.padStart(8),
      'wall s'.padStart(7),
      'rows/s'.padStart(8),
      'vs base'.padStart(8),
      'CPU s'.padStart(6),
      'rows/CPU-s'.padStart(11),
      'MB out'.padStart(7),
      'peak RSS'.padStart(9),
      ' target for JSONL and CSV: ≥20k rows/s, <200 MB',
    );
    for (const m of results) {
      const targeted = m.what.includes('jsonl') || m.what.includes('csv');
      const ok = !targeted ? '' : ` ${rate(m) >= 20_000 ? 'rate ok' : 'rate LOW'}, ${m.maxRssMb < 200 ? 'memory ok' : 'memory HIGH'}`;
      console.log(
        m.what.padEnd(40),
        String(m.rows).padStart(8),
        m.seconds.toFixed(1).padStart(7),
        Math.round(rate(m)).toLocaleString('en').padStart(8),
        (rate(m) / rate(base)).toFixed(2).padStart(8),
        m.cpuSeconds.toFixed(1).padStart(6),
        Math.round(m.rows / m.cpuSeconds).toLocaleString('en').padStart(11),
        (m.bytes / 1e6).toFixed(0).padStart(7),
        `${m.maxRssMb.toFixed(0)} MB`.padStart(9),
        ok,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
