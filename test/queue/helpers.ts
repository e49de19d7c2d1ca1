// Shared set-up of the distributed-mode tests: the real Redis on 127.0.0.1:6379 with a key
// prefix of their own, real CLI processes, and a comparison of two stores.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { REPO_ROOT } from '../../src/config/load.ts';
import { obliterateQueues } from '../../src/queue/operate.ts';
import type { QueueSettings } from '../../src/queue/connection.ts';

export const REDIS_URL = process.env.MEDIAMITTARI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | null> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_500 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    r.disconnect();
  }
}

const problem = await redisReachable();
const required = process.env.CI === 'true' || process.env.MEDIAMITTARI_REQUIRE_REDIS === '1';
if (problem && !required) {
  console.warn(
    `\n!!! REDIS TESTS SKIPPED: no Redis at ${REDIS_URL} (${problem}).\n!!! Start redis-server on 127.0.0.1:6379; CI=true or MEDIAMITTARI_REQUIRE_REDIS=1 makes this a failure.\n`,
  );
}

/** Runs when Redis is up, or when it is required (then the tests fail without it). */
export const describeRedis = problem && !required ? describe.skip : describe;

let counter = 0;
/** Settings with a key prefix no other test run uses. */
export function testSettings(label: string): QueueSettings {
  return { url: REDIS_URL, prefix: `mmtest-${label}-${process.pid}-${Date.now().toString(36)}-${counter++}` };
}

export async function cleanup(settings: QueueSettings): Promise<void> {
  await obliterateQueues(settings);
}

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** A real `mediamittari` process. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}/src/cli.ts`, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, REDIS_URL: undefined, MEDIAMITTARI_REDIS_PREFIX: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)))) };
}

/** Waits for a line of the process's output; fails with what it printed if it exits or stalls. */
export async function waitForOutput(p: CliProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await waitUntil(`${pattern} from the process`, () => {
    if (pattern.test(p.output())) return true;
    if (p.child.exitCode !== null) throw new Error(`process exited with ${p.child.exitCode} before ${pattern}:\n${p.output()}`);
    return false;
  }, timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}\n--- output ---\n${p.output().slice(-4_000)}`);
  });
}

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Articles in a store file, read without disturbing its writer. */
export function articleCount(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT COUNT(*) n FROM articles').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

// Columns that record when the work happened, not what it found.
const WHEN = /(^|_)(fetched|stored|first_seen|analysed|started|last_attempt|last_success|last_new_item|next_poll|marked)_at$|^duration_ms$/;
// Watermarks of the indicator counts: ids and times of what was counted, not content.
const SKIP_TABLES = new Set(['indicator_state']);

/**
 * Everything a store holds, with processing times left out and article ids replaced by the
 * article's URL (ids follow the order articles arrived in, which differs between runs).
 */
export function storeSnapshot(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const urlOf = new Map((db.prepare('SELECT id, url FROM articles').all() as { id: number; url: string }[]).map((r) => [r.id, r.url]));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    // A full-text index's shadow tables hold segments laid out by the order and grouping of
    // writes, with article ids inside; what was indexed is the articles' and analyses' content.
    const virtual = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as { name: string }[]).map((r) => r.name);
    const out: Record<string, string[]> = {};
    for (const table of tables) {
      if (SKIP_TABLES.has(table) || virtual.some((v) => table.startsWith(`${v}_`))) continue;
      const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      out[table] = rows
        .map((row) => {
          const kept: Record<string, unknown> = {};
          for (const [col, value] of Object.entries(row)) {
            if (WHEN.test(col)) continue;
            // Row ids (articles, polls, mentions) follow the order of arrival.
            if (col === 'id' && typeof value === 'number') continue;
            if ((col === 'article_id' || col === 'duplicate_of') && typeof value === 'number') kept[col] = urlOf.get(value) ?? `missing article ${value}`;
            else if (Buffer.isBuffer(value)) kept[col] = createHash('sha1').update(value).digest('hex');
            else kept[col] = value;
          }
          return JSON.stringify(kept);
        })
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** Closes every client connection whose name starts with the prefix (what a Redis restart does to us). */
export async function dropConnections(prefix: string): Promise<number> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const list = (await admin.client('LIST')) as string;
    let dropped = 0;
    for (const line of list.split('\n')) {
      const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
      const id = /(?:^| )id=(\d+)/.exec(line)?.[1];
      if (id && name.startsWith(`${prefix}:`)) {
        dropped += Number(await admin.client('KILL', 'ID', id));
      }
    }
    return dropped;
  } finally {
    admin.disconnect();
  }
}
