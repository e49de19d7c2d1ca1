// Shared set-up of the dashboard tests: a store collected from the demo corpus through the
// real pipeline (built once per code version and copied for each test file), the demo server
// for feeds to test against, the web server on a free loopback port, one user per role, and
// headless Chromium when it is installed.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe } from 'vitest';
import { loadConfig, REPO_ROOT, type AppConfig } from '../../src/config/load.ts';
import { DEMO_FEEDS, demoConfig } from '../../src/demo/run.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';
import { refreshIndicators } from '../../src/indicators/index.ts';
import { silentLogger, type Logger } from '../../src/log/logger.ts';
import { collectOnce, openCollector } from '../../src/pipeline/collector.ts';
import { Accounts, type Role } from '../../src/web/auth.ts';
import { startWebServer, SESSION_COOKIE, type QueueAccess, type WebContext } from '../../src/web/server.ts';

export const PASSWORD = 'testisalasana-1';
export const USERS: Record<Role, string> = { viewer: 'veera', analyst: 'aino', operator: 'olli' };

// ------------------------------------------------------------------ the demo store

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** What the collected store depends on: the corpus, config and the collecting and analysing code. */
function demoStoreKey(): string {
  const h = createHash('sha256');
  for (const dir of ['data/demo', 'config', 'src/analyse', 'src/extract', 'src/store', 'src/pipeline', 'src/feeds', 'src/demo']) {
    for (const f of filesUnder(join(REPO_ROOT, dir)).sort()) h.update(relative(REPO_ROOT, f)).update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

async function buildDemoStore(path: string): Promise<void> {
  const server = await startDemoServer({ port: 0 });
  const c = openCollector(demoConfig(server.url, path), { log: silentLogger });
  try {
    const pass = await collectOnce(c, { all: true });
    const failed = Object.values(pass.stats.failed).reduce((a, b) => a + b, 0);
    if (failed > 0) throw new Error(`collecting the demo corpus failed for ${failed} jobs`);
    refreshIndicators(c.store);
  } finally {
    await c.close();
    await server.close();
  }
}

/**
 * A fresh copy of the demo corpus collected into a store. The first test file to need it
 * builds it (about half a minute) under a lock; the others wait and copy it.
 */
export async function demoStoreCopy(dest: string): Promise<void> {
  const cache = join(tmpdir(), `mm-web-demo-${demoStoreKey()}.db`);
  const lock = `${cache}.lock`;
  const until = Date.now() + 240_000;
  while (!existsSync(cache)) {
    let fd: number | null = null;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Someone else builds it; a lock left by a killed run is taken over after five minutes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { force: true });
      } catch {
        // the lock went away meanwhile
      }
      if (Date.now() > until) throw new Error(`waited four minutes for ${cache} to be built`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      const building = `${cache}.${process.pid}.tmp`;
      await buildDemoStore(building);
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(building);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
      db.close();
      renameSync(building, cache);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
  copyFileSync(cache, dest);
}

// ------------------------------------------------------------------ the web server

export interface WebFixture {
  dir: string;
  url: string;
  ctx: WebContext;
  config: AppConfig;
  demo: DemoServer;
  /** The feeds file the server's config reads (a copy: operator tests edit it). */
  feedsFile: string;
  /** A session cookie header value for the role's user. */
  login(role: Role): Promise<string>;
  close(): Promise<void>;
}

export interface WebFixtureOptions {
  requireLogin?: boolean;
  log?: Logger;
  /** The distributed mode's Redis: the queue pages and Bull Board appear with it. */
  queue?: QueueAccess | null;
}

export async function startWebFixture(opts: WebFixtureOptions = {}): Promise<WebFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'mm-web-'));
  const storePath = join(dir, 'store.db');
  await demoStoreCopy(storePath);
  const demo = await startDemoServer({ port: 0 });
  const feedsFile = join(dir, 'feeds.yaml');
  writeFileSync(feedsFile, readFileSync(DEMO_FEEDS));
  const configOptions = {
    feedsFile,
    baseUrl: demo.url,
    overrides: { storePath, http: { allowedOrigins: [new URL(demo.url).origin], hostMinGapMs: 0, hostMaxConcurrency: 16, retries: 1 } },
  };
  const config = loadConfig(configOptions);
  const server = await startWebServer({ config, configOptions, log: opts.log ?? silentLogger, port: 0, requireLogin: opts.requireLogin, queue: opts.queue });
  const accounts = new Accounts(server.ctx.store.db);
  for (const [role, name] of Object.entries(USERS) as [Role, string][]) {
    if (!accounts.userByName(name)) await accounts.addUser(name, role, PASSWORD);
  }
  return {
    dir,
    url: server.url,
    ctx: server.ctx,
    config,
    demo,
    feedsFile,
    async login(role) {
      const s = accounts.createSession(accounts.userByName(USERS[role])!.id);
      return `${SESSION_COOKIE}=${s.token}`;
    },
    async close() {
      await server.close();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CSRF token of a session, as the pages embed it in their forms. */
export function csrfOf(fx: WebFixture, cookie: string): string {
  const token = cookie.split('=')[1]!;
  return fx.ctx.accounts.session(token)!.csrf;
}

// ------------------------------------------------------------------ the browser

export const CHROMIUM = '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
const chromiumRequired = process.env.CI === 'true';
if (chromiumMissing) {
  console.warn(
    `\n!!! ${CHROMIUM} is missing: the dashboard browser tests are ${chromiumRequired ? 'FAILING (CI=true)' : 'SKIPPED'}. Install it with: apt-get install -y chromium\n`,
  );
}

/** Runs when Chromium is installed, or when it is required (then the tests fail without it). */
export const describeBrowser = chromiumMissing && !chromiumRequired ? describe.skip : describe;

/** Where browser tests keep their screenshots (CI keeps test-artifacts/). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
