/**
 * Throughput of the pipeline embedded and distributed, side by side in one run, over a
 * synthetic corpus served on loopback: articles stored per second by
 *   - embedded: `mediamittari run --once --all`, one process, no Redis;
 *   - BullMQ with 1 and with 2 worker processes (`mediamittari workers`, fetch + analyse)
 *     and one writer (`mediamittari run --once --all --redis`, poll + persist).
 * Every process is a real OS process started through the CLI; peak memory is each one's
 * VmHWM, CPU each one's user + system time (Redis's from INFO, the fixture server's from
 * this process). Each mode starts from an empty store and empty queues. The load average
 * is printed with each mode: other work on the machine shows there.
 *
 *   npm run bench:scale -- [--articles 5000] [--concurrency 8] [--modes embedded,1,2] [--cpu-prof DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { REPO_ROOT } from '../src/config/load.ts';
import { startSyntheticServer, writeSyntheticConfig } from '../src/demo/synthetic.ts';
import { obliterateQueues } from '../src/queue/operate.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const ARTICLES = Number(option('--articles', '5000'));
const CONCURRENCY = option('--concurrency', '8');
const MODES = option('--modes', 'embedded,1,2').split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** With --cpu-prof DIR, every process writes a V8 CPU profile there, named by mode and role. */
const PROFILE_DIR = option('--cpu-prof', '');

interface Proc {
  role: string;
  child: ChildProcess;
  peakKb: number;
  /** CPU seconds (user + system) used so far. */
  cpu: number;
  exited: Promise<number | null>;
  output: () => string;
}

function start(role: string, args: string[], env: Record<string, string | undefined>, mode: string): Proc {
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${`${mode}-${role}`.replace(/\W+/g, '-')}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const proc: Proc = { role, child, peakKb: 0, cpu: 0, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))), output: () => out };
  // VmHWM only grows; sampling it often enough catches the peak short of the last moments.
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) proc.peakKb = Math.max(proc.peakKb, Number(m[1]));
      // utime and stime, fields 14 and 15, in clock ticks (100 per second on Linux)
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      proc.cpu = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // exited
    }
  }, 100);
  void proc.exited.then(() => clearInterval(timer));
  return proc;
}

async function waitFor(proc: Proc, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.role} exited early:\n${proc.output()}`);
    if (Date.now() > until) throw new Error(`${proc.role} not ready in time:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function storedArticles(db: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT COUNT(*) n FROM articles').get() as { n: number }).n;
  } finally {
    d.close();
  }
}

interface ProcessUse {
  role: string;
  /** CPU seconds (user + system) spent during the run. */
  cpu: number;
  /** Peak resident memory; null where not measured (Redis, the fixture server). */
  peakMb: number | null;
}

interface Result {
  mode: string;
  articles: number;
  seconds: number;
  rate: number;
  processes: ProcessUse[];
  load: [string, string];
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** CPU milliseconds per stored article of the processes whose role starts with `role`. */
function msPerArticle(r: Result, role: string): number {
  const cpu = r.processes.filter((p) => p.role.startsWith(role)).reduce((a, p) => a + p.cpu, 0);
  return (1000 * cpu) / Math.max(1, r.articles);
}

/** Redis's own CPU seconds so far (the server is shared: other clients count too). */
async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}

function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function runMode(mode: string, baseUrl: string, corpus: Parameters<typeof writeSyntheticConfig>[1]['corpus']): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'mm-scale-'));
  const db = join(dir, 'store.db');
  const config = writeSyntheticConfig(join(dir, 'config'), { baseUrl, corpus, storePath: db });
  const common = ['--config', config, '--log-level', 'warn', '--log-format', 'json'];
  const env = { REDIS_URL: undefined, MEDIAMITTARI_REDIS_PREFIX: undefined };
  try {
    if (mode === 'embedded') {
      const load0 = loadAverage();
      const t0 = performance.now();
      const server0 = ownCpu();
      const writer = start('embedded', [...common, 'run', '--once', '--all'], env, mode);
      const code = await writer.exited;
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) throw new Error(`embedded run exited ${code}:\n${writer.output()}`);
      const articles = storedArticles(db);
      return {
        mode: 'embedded',
        articles,
        seconds,
        rate: articles / seconds,
        processes: [
          { role: 'embedded', cpu: writer.cpu, peakMb: writer.peakKb / 1024 },
          { role: 'server', cpu: ownCpu() - server0, peakMb: null },
        ],
        load: [load0, loadAverage()],
      };
    }
    const n = Number(mode);
    const prefix = `mm-bench-${process.pid}-${n}`;
    const redis = ['--redis', REDIS_URL, '--prefix', prefix];
    const workers = Array.from({ length: n }, (_, i) =>
      start(`worker ${i + 1}`, [...common, '--log-level', 'info', 'workers', '--only', 'fetch,analyse', '--concurrency', CONCURRENCY, ...redis], env, mode),
    );
    try {
      for (const w of workers) await waitFor(w, /workers started/);
      const load0 = loadAverage();
      const workerCpu0 = workers.map((w) => w.cpu);
      const redis0 = await redisCpu(stats);
      const server0 = ownCpu();
      const t0 = performance.now();
      const writer = start('writer', [...common, '--log-level', 'info', 'run', '--once', '--all', ...redis], env, mode);
      // The writer's start-up (loading modules) is not per-article work.
      await waitFor(writer, /distributed mode/);
      const writerCpu0 = writer.cpu;
      const code = await writer.exited;
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) throw new Error(`writer exited ${code}:\n${writer.output()}`);
      const articles = storedArticles(db);
      return {
        mode: `bullmq, ${n} worker${n > 1 ? 's' : ''}`,
        articles,
        seconds,
        rate: articles / seconds,
        processes: [
          { role: 'writer', cpu: writer.cpu - writerCpu0, peakMb: writer.peakKb / 1024 },
          ...workers.map((w, i) => ({ role: w.role, cpu: w.cpu - workerCpu0[i]!, peakMb: w.peakKb / 1024 })),
          { role: 'redis', cpu: (await redisCpu(stats)) - redis0, peakMb: null },
          { role: 'server', cpu: ownCpu() - server0, peakMb: null },
        ],
        load: [load0, loadAverage()],
      };
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      await obliterateQueues({ url: REDIS_URL, prefix });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const stats = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
const server = await startSyntheticServer({ articles: ARTICLES, seed: 2026 });
console.log(`corpus: ${ARTICLES} articles in ${server.corpus.feeds.length} feeds on ${server.url}; fetch concurrency ${CONCURRENCY} per worker; ${MODES.join(', ')}`);
const results: Result[] = [];
try {
  for (const mode of MODES) {
    const r = await runMode(mode, server.url, server.corpus);
    results.push(r);
    console.log(
      `\n${r.mode}: ${r.articles} articles in ${r.seconds.toFixed(1)} s = ${r.rate.toFixed(1)} articles/s   (load average ${r.load[0]} before, ${r.load[1]} after)`,
    );
    console.log(`  ${'process'.padEnd(10)} ${'CPU s'.padStart(7)} ${'cores'.padStart(6)} ${'ms/article'.padStart(11)} ${'peak RSS'.padStart(9)}`);
    for (const p of r.processes) {
      console.log(
        `  ${p.role.padEnd(10)} ${p.cpu.toFixed(1).padStart(7)} ${(p.cpu / r.seconds).toFixed(2).padStart(6)} ${((1000 * p.cpu) / Math.max(1, r.articles)).toFixed(2).padStart(11)} ${p.peakMb === null ? '-'.padStart(9) : `${p.peakMb.toFixed(0)} MB`.padStart(9)}`,
      );
    }
    const total = r.processes.reduce((a, p) => a + p.cpu, 0);
    console.log(`  ${'all'.padEnd(10)} ${total.toFixed(1).padStart(7)} ${(total / r.seconds).toFixed(2).padStart(6)} ${((1000 * total) / Math.max(1, r.articles)).toFixed(2).padStart(11)}`);
  }
} finally {
  await server.close();
  stats.disconnect();
}
console.log('');
const one = results.find((r) => r.mode.startsWith('bullmq, 1 '));
const two = results.find((r) => r.mode.startsWith('bullmq, 2 '));
const embedded = results.find((r) => r.mode === 'embedded');
if (one && two) console.log(`speed-up, 2 worker processes vs 1: ${(two.rate / one.rate).toFixed(2)}x (target 1.6x)`);
if (one) {
  // What 2 idle cores allow at the 1-worker run's CPU costs per article: a worker process and
  // the writer each run on one core at most, and everything together on two.
  const w = msPerArticle(one, 'worker');
  const writer = msPerArticle(one, 'writer');
  const rest = writer + msPerArticle(one, 'redis') + msPerArticle(one, 'server');
  const t1 = Math.min(1000 / w, 1000 / writer, 2000 / (w + rest));
  const t2 = Math.min(2000 / w, 1000 / writer, 2000 / (w + rest));
  console.log(
    `CPU bound on 2 idle cores from the 1-worker costs (worker ${w.toFixed(2)} ms, writer + Redis + server ${rest.toFixed(2)} ms per article): ` +
      `1 worker ≤ ${t1.toFixed(0)}/s, 2 workers ≤ ${t2.toFixed(0)}/s, ratio ≤ ${(t2 / t1).toFixed(2)}x`,
  );
}
if (embedded && one) console.log(`bullmq 1 worker vs embedded: ${(one.rate / embedded.rate).toFixed(2)}x`);
if (embedded && two) console.log(`bullmq 2 workers vs embedded: ${(two.rate / embedded.rate).toFixed(2)}x`);
console.log(`bench process peak RSS (fixture server): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (results.some((r) => r.articles !== ARTICLES)) {
  console.error(`not every mode stored all ${ARTICLES} articles`);
  process.exitCode = 1;
}
