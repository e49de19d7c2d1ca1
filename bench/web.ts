/**
 * Dashboard latency on a store of 1,000,000 synthetic articles: the overview (/), a municipality
 * page (/m/:code), article search (/articles?q=…) and a filtered browse
 * (/articles?group=…&municipality=…), each asked many times with varying towns, groups and
 * words, first one request at a time and then four at once. Target: p95 < 200 ms. Measured
 * beside them without a target: a town's weekly summary and the JSON API's article list.
 *
 * The real server (startWebServer, loopback, free port) runs in a child process, so the
 * client's work does not count against the server's event loop; requests come from one
 * keep-alive agent with an analyst's session cookie, as a logged-in analyst's browser sends
 * them. The baseline beside every page is /login, which touches no data: what is left over it
 * is the page's own cost. The store (bench/synthetic-store.ts, kind 'dashboard') is generated
 * once, not timed, and cached under the OS temp dir.
 *
 *   npm run bench:web [-- --articles N] [--requests N] [--concurrency N] [--budget SECONDS]
 *                        [--pages overview,municipality,search,browse,weekly,api] [--fresh] [--cpu-prof]
 *
 * --budget (default 180) bounds each page's run: a page that takes seconds per request stops
 * early, and its figures come from the requests made (the status column says how many).
 *
 * --cpu-prof writes the server's CPU profile and prints the functions that took the most time.
 * The machine may be shared: the load average is printed with every run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GROUPS, SEARCH_WORDS, syntheticStore, writeSyntheticConfig } from './synthetic-store.ts';

const HERE = fileURLToPath(import.meta.url);
const TARGET_MS = 200;
const WARMUP = 10;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function textOption(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ------------------------------------------------------------------ the server (child process)

async function serve(storePath: string, configDir: string): Promise<void> {
  const { loadConfig } = await import('../src/config/load.ts');
  const { silentLogger } = await import('../src/log/logger.ts');
  const { startWebServer, SESSION_COOKIE } = await import('../src/web/server.ts');
  const configOptions = { dir: configDir, overrides: { storePath } };
  const server = await startWebServer({ config: loadConfig(configOptions), configOptions, log: silentLogger, host: '127.0.0.1', port: 0 });
  const analyst = server.ctx.accounts.users().find((u) => u.role === 'analyst');
  if (!analyst) throw new Error('the store has no analyst');
  const session = server.ctx.accounts.createSession(analyst.id);
  process.stdout.write(JSON.stringify({ url: server.url, cookie: `${SESSION_COOKIE}=${session.token}` }) + '\n');
  // The parent closing stdin is the signal to stop: a normal exit, so --cpu-prof writes its profile.
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.ctx.accounts.endSession(session.token);
    void server.close().then(() => process.exit(0));
  });
}

// ------------------------------------------------------------------ the client

interface Started {
  child: ChildProcess;
  url: string;
  cookie: string;
}

async function startServer(storePath: string, configDir: string, profileDir: string | null): Promise<Started> {
  const args = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), HERE, 'serve', storePath, configDir];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
  });
  const { url, cookie } = JSON.parse(line) as { url: string; cookie: string };
  return { child, url, cookie };
}

async function stopServer(s: Started): Promise<void> {
  const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
  s.child.stdin!.end();
  await exited;
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** User + system CPU time of a process so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat (counted here from the state field, 3), in
  // clock ticks of 10 ms.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Response {
  status: number;
  ms: number;
  bytes: number;
}

/**
 * One GET, timed to the last byte. A kept-alive connection the server closed while it sat idle
 * fails on reuse before any answer: that request is sent again on a new connection, as
 * browsers do. Other failures count as status 0 rather than ending the run.
 */
function get(agent: Agent, base: string, path: string, cookie: string, t0 = performance.now()): Promise<Response> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { agent, headers: { cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - t0, bytes }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (req.reusedSocket && e.code === 'ECONNRESET') resolve(get(agent, base, path, cookie, t0));
      else resolve({ status: 0, ms: performance.now() - t0, bytes: 0 });
    });
    req.end();
  });
}

interface PageType {
  id: string;
  label: string;
  /** The i-th request's path: towns, groups and words vary from one request to the next. */
  path: (i: number) => string;
  /** What kind of request the i-th is, when the page's figures are also shown per kind. */
  kindOf?: (i: number) => string;
  /** Measured beside the target's pages, without a target of its own. */
  untargeted?: true;
}

function pageTypes(codes: string[]): PageType[] {
  // Towns in a fixed shuffled order, so big and small ones alternate.
  const towns = codes.map((c, i) => codes[(i * 17) % codes.length]!);
  const w = SEARCH_WORDS;
  // Searches of every kind in turn: a word in nearly every article, one in some, a rare one,
  // a group word (base or inflected form), two words.
  const queries: [string, (k: number) => string][] = [
    ['common word', (k) => w.common[k % w.common.length]!],
    ['less common word', (k) => w.middle[k % w.middle.length]!],
    ['rare word', (k) => w.rare[k % w.rare.length]!],
    ['group word', (k) => w.groups[k % w.groups.length]!],
    ['two words', (k) => `${w.middle[(k * 3) % w.middle.length]} ${w.groups[k % w.groups.length]}`],
  ];
  const search = (i: number) => `/articles?q=${encodeURIComponent(queries[i % queries.length]![1](Math.floor(i / queries.length)))}`;
  return [
    { id: 'baseline', label: 'baseline /login (no data)', path: () => '/login' },
    { id: 'overview', label: 'overview /', path: () => '/' },
    {
      id: 'municipality',
      label: 'municipality /m/:code',
      path: (i) => `/m/${towns[i % towns.length]}${i % 3 === 2 ? `?group=${GROUPS[i % GROUPS.length]}` : ''}`,
      // Alert evidence is cached per town until its weeks change: a town's first view since the
      // server started computes it (the warm-up saw the first WARMUP towns), later views reuse it.
      kindOf: (i) => (i >= WARMUP && i < towns.length ? 'first view of the town' : 'town seen before'),
    },
    { id: 'search', label: 'search /articles?q=', path: search, kindOf: (i) => queries[i % queries.length]![0] },
    { id: 'browse', label: 'browse /articles?group=&municipality=', path: (i) => `/articles?group=${GROUPS[i % GROUPS.length]}&municipality=${towns[(i * 3) % towns.length]}${i % 4 === 3 ? '&page=2' : ''}` },
    { id: 'weekly', label: 'weekly summary /weekly?municipality=', path: (i) => `/weekly?municipality=${towns[(i * 7) % towns.length]}`, untargeted: true },
    { id: 'api', label: 'API /api/v1/articles?municipality=', path: (i) => `/api/v1/articles?municipality=${towns[(i * 11) % towns.length]}${i % 2 === 1 ? `&group=${GROUPS[i % GROUPS.length]}` : ''}`, untargeted: true },
  ];
}

interface RunResult {
  page: PageType;
  concurrency: number;
  latencies: number[];
  /** Latencies per kind of request (see PageType.kindOf). */
  kinds: Map<string, number[]>;
  seconds: number;
  serverCpuMs: number;
  statuses: Map<number, number>;
  bytes: number;
  load: number;
}

async function run(s: Started, agent: Agent, page: PageType, requests: number, concurrency: number, budgetMs: number): Promise<RunResult> {
  const pid = s.child.pid!;
  for (let i = 0; i < WARMUP; i++) await get(agent, s.url, page.path(1000 + i), s.cookie);
  const latencies: number[] = [];
  const kinds = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  let bytes = 0;
  let next = 0;
  const load = loadavg()[0]!;
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // A page taking seconds would keep the bench busy for hours: the run stops at its time budget.
      while (next < requests && performance.now() - t0 < budgetMs) {
        const i = next++;
        const r = await get(agent, s.url, page.path(i), s.cookie);
        latencies.push(r.ms);
        const kind = page.kindOf?.(i);
        if (kind) kinds.set(kind, [...(kinds.get(kind) ?? []), r.ms]);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        bytes += r.bytes;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { page, concurrency, latencies, kinds, seconds, serverCpuMs: cpuMs(pid) - cpu0, statuses, bytes, load };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(results: RunResult[], requests: number): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (x: number) => x.toFixed(1).padStart(7);
  for (const concurrency of [...new Set(results.map((r) => r.concurrency))]) {
    console.log(`\nup to ${requests} requests per page (fewer when a page's run reached its time budget: see status), ${concurrency === 1 ? 'one at a time' : `${concurrency} at a time`} (ms; server CPU ms per request; 1-min load average when the page's run began)`);
    console.log(`  ${pad('page', 40)}    p50     p95     p99     max   req/s  cpu/req  KB/page  load  status`);
    for (const r of results.filter((x) => x.concurrency === concurrency)) {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      const statuses = [...r.statuses].map(([code, n]) => (code === 200 ? `${n}×200` : `${n}×${code}`)).join(' ');
      console.log(
        `  ${pad(r.page.label, 40)}${num(percentile(sorted, 50))} ${num(percentile(sorted, 95))} ${num(percentile(sorted, 99))} ${num(sorted.at(-1)!)} ${(r.latencies.length / r.seconds).toFixed(r.latencies.length / r.seconds < 10 ? 1 : 0).padStart(7)} ${num(r.serverCpuMs / r.latencies.length)}  ${(r.bytes / r.latencies.length / 1024).toFixed(0).padStart(7)} ${r.load.toFixed(1).padStart(5)}  ${statuses}`,
      );
      for (const [kind, ms] of r.kinds) {
        const k = [...ms].sort((a, b) => a - b);
        console.log(`    ${pad(kind, 38)}${num(percentile(k, 50))} ${num(percentile(k, 95))} ${num(percentile(k, 99))} ${num(k.at(-1)!)}`);
      }
    }
  }
  console.log(`\ntarget: p95 < ${TARGET_MS} ms per data page, one request at a time`);
  const base = results.find((r) => r.page.id === 'baseline' && r.concurrency === 1);
  const baseP95 = base ? percentile([...base.latencies].sort((a, b) => a - b), 95) : NaN;
  for (const r of results.filter((x) => x.concurrency === 1 && x.page.id !== 'baseline')) {
    const ok = r.statuses.get(200) ?? 0;
    if (ok < r.latencies.length) {
      console.log(`  MISS  ${pad(r.page.label, 40)} ${r.latencies.length - ok} of ${r.latencies.length} answers were not 200 (${[...r.statuses.keys()].join(', ')}): the page is not served as asked`);
      continue;
    }
    const p95 = percentile([...r.latencies].sort((a, b) => a - b), 95);
    const cut = r.latencies.length < requests ? `; ${r.latencies.length} of ${requests} requests within the time budget` : '';
    if (r.page.untargeted) {
      console.log(`  ----  ${pad(r.page.label, 40)} p95 ${p95.toFixed(1)} ms (no target; ${(p95 / TARGET_MS).toFixed(2)}× the pages' target${cut})`);
      continue;
    }
    console.log(`  ${p95 < TARGET_MS ? 'PASS' : 'MISS'}  ${pad(r.page.label, 40)} p95 ${p95.toFixed(1)} ms = ${(p95 / TARGET_MS).toFixed(2)}× the target (${(p95 / baseP95).toFixed(1)}× the baseline's p95${cut})`);
  }
}

/** The functions that took the most CPU (self time) in a V8 .cpuprofile. */
function summariseProfile(file: string, top = 20): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const self = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const where = n.callFrame.url ? `${n.callFrame.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + hits * perSample);
    total += hits * perSample;
  }
  const idle = self.get('(idle)') ?? 0;
  console.log(`\nserver CPU profile ${file}: ${(total / 1000).toFixed(1)} s sampled, ${((total - idle) / 1000).toFixed(1)} s busy; top functions by self time:`);
  for (const [key, ms] of [...self].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / (total - idle)).toFixed(1).padStart(5)} %  ${key}`);
  }
}

async function main(): Promise<void> {
  const articles = option('--articles', 1_000_000);
  const requests = option('--requests', 200);
  const concurrency = option('--concurrency', 4);
  const budgetMs = option('--budget', 180) * 1000;
  const only = textOption('--pages')?.split(',');
  const profile = process.argv.includes('--cpu-prof');

  const store = await syntheticStore({ kind: 'dashboard', articles, fresh: process.argv.includes('--fresh') });
  if (store.generatedSeconds !== null) console.log(`store generation (not timed in the bench): ${store.generatedSeconds.toFixed(1)} s, ${(store.bytes / 1e6).toFixed(0)} MB`);
  const work = mkdtempSync(join(tmpdir(), 'mm-bench-web-'));
  const configDir = join(work, 'config');
  writeSyntheticConfig(store, configDir);
  const profileDir = profile ? join(tmpdir(), 'mediamittari-bench', 'profiles') : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const before = profileDir ? new Set(readdirSync(profileDir)) : new Set<string>();

  const t0 = performance.now();
  const server = await startServer(store.path, configDir, profileDir);
  console.log(`server up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${server.url} (pid ${server.child.pid}), ${store.articles.toLocaleString('en')} articles, ${store.municipalities.length} municipalities, weeks ${store.firstWeek}…${store.lastWeek}; ${cpus().length} cores`);
  const serverPid = server.child.pid!;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const results: RunResult[] = [];
  try {
    const pages = pageTypes(store.municipalities.map((m) => m.code)).filter((p) => p.id === 'baseline' || !only || only.includes(p.id));
    for (const c of [1, concurrency]) {
      for (const page of pages) {
        const r = await run(server, agent, page, requests, c, budgetMs);
        results.push(r);
        const sorted = [...r.latencies].sort((a, b) => a - b);
        const cut = r.latencies.length < requests ? ` (time budget: ${r.latencies.length} of ${requests} requests)` : '';
        console.log(`  ${c === 1 ? 'sequential' : `concurrency ${c}`}: ${page.label} p95 ${percentile(sorted, 95).toFixed(1)} ms${cut}`);
      }
    }
  } finally {
    agent.destroy();
    const rss = peakRssMb(server.child.pid!);
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
    report(results, requests);
    console.log(`\nserver peak RSS (VmHWM): ${rss.toFixed(0)} MB; store ${(store.bytes / 1e6).toFixed(0)} MB at ${store.path}`);
  }
  if (profileDir) {
    // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: the server's main thread is thread 0
    // (tsx's loader runs in a thread of its own and writes a profile too).
    const file = readdirSync(profileDir).find((f) => !before.has(f) && f.includes(`.${serverPid}.0.`) && f.endsWith('.cpuprofile'));
    if (file) summariseProfile(join(profileDir, file));
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!, process.argv[4]!);
else await main();
