/**
 * Throughput of the pipeline embedded and distributed, side by side in one run, over a
 * synthetic corpus served on loopback: articles stored per second by
 *   - embedded: `mediamittari run --once --all`, one process, no Redis;
 *   - BullMQ with 1 and with 2 worker processes (`mediamittari workers`, fetch + analyse)
 *     and one writer (`mediamittari run --once --all --redis`, poll + persist).
 * Every process is a real OS process started through the CLI; peak memory is each one's
 * VmHWM. Each mode starts from an empty store and empty queues.
 *
 *   npm run bench:scale -- [--articles 5000] [--concurrency 8] [--modes embedded,1,2]
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

interface Result {
  mode: string;
  articles: number;
  seconds: number;
  rate: number;
  peaks: { role: string; mb: number }[];
  /** CPU milliseconds per stored article, per process role (and Redis, the bench's server). */
  cpuPerArticle: { role: string; ms: number }[];
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
      const t0 = performance.now();
      const server0 = ownCpu();
      const writer = start('embedded', [...common, 'run', '--once', '--all'], env, mode);
      const code = await writer.exited;
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) throw new Error(`embedded run exited ${code}:\n${writer.output()}`);
      const articles = storedArticles(db);
      const per = (cpu: number) => (1000 * cpu) / Math.max(1, articles);
      return {
        mode: 'embedded',
        articles,
        seconds,
        rate: articles / seconds,
        peaks: [{ role: 'embedded', mb: writer.peakKb / 1024 }],
        cpuPerArticle: [{ role: 'embedded', ms: per(writer.cpu) }, { role: 'server', ms: per(ownCpu() - server0) }],
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
      const per = (cpu: number) => (1000 * cpu) / Math.max(1, articles);
      const cpuPerArticle = [
        { role: 'writer', ms: per(writer.cpu - writerCpu0) },
        { role: 'workers', ms: per(workers.reduce((a, w, i) => a + w.cpu - workerCpu0[i]!, 0)) },
        { role: 'redis', ms: per((await redisCpu(stats)) - redis0) },
        { role: 'server', ms: per(ownCpu() - server0) },
      ];
      return {
        mode: `bullmq, ${n} worker${n > 1 ? 's' : ''}`,
        articles,
        seconds,
        rate: articles / seconds,
        peaks: [writer, ...workers].map((p) => ({ role: p.role, mb: p.peakKb / 1024 })),
        cpuPerArticle,
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
      `${r.mode.padEnd(20)} ${String(r.articles).padStart(6)} articles  ${r.seconds.toFixed(1).padStart(6)} s  ${r.rate.toFixed(1).padStart(7)} articles/s   peak RSS: ${r.peaks.map((p) => `${p.role} ${p.mb.toFixed(0)} MB`).join(', ')}`,
    );
    console.log(`${''.padEnd(20)} CPU per article: ${r.cpuPerArticle.map((c) => `${c.role} ${c.ms.toFixed(1)} ms`).join(', ')}`);
  }
} finally {
  await server.close();
  stats.disconnect();
}
const one = results.find((r) => r.mode.startsWith('bullmq, 1 '));
const two = results.find((r) => r.mode.startsWith('bullmq, 2 '));
const embedded = results.find((r) => r.mode === 'embedded');
if (one && two) console.log(`speed-up, 2 worker processes vs 1: ${(two.rate / one.rate).toFixed(2)}x (target 1.6x)`);
if (one) {
  // What 2 free cores allow: one worker process is bound by its own CPU per article; two
  // share both cores with the writer, Redis and the fixture server.
  const cost = (role: string) => one.cpuPerArticle.find((c) => c.role === role)?.ms ?? 0;
  const w = cost('workers');
  const rest = cost('writer') + cost('redis') + cost('server');
  const t1 = 1000 / Math.max(w, rest);
  const t2 = Math.min(2000 / (w + rest), 2000 / w);
  console.log(`CPU bound on ${2} idle cores from the 1-worker costs: 1 worker ≤ ${t1.toFixed(0)}/s, 2 workers ≤ ${t2.toFixed(0)}/s, ratio ≤ ${(t2 / t1).toFixed(2)}x`);
}
if (embedded && one) console.log(`bullmq 1 worker vs embedded: ${(one.rate / embedded.rate).toFixed(2)}x`);
if (embedded && two) console.log(`bullmq 2 workers vs embedded: ${(two.rate / embedded.rate).toFixed(2)}x`);
console.log(`bench process peak RSS (fixture server): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (results.some((r) => r.articles !== ARTICLES)) {
  console.error(`not every mode stored all ${ARTICLES} articles`);
  process.exitCode = 1;
}
