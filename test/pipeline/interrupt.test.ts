// SIGTERM in the middle of a collection run: work in progress is finished and written,
// nothing is half-stored, and the next run completes the rest with every article once.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, REPO_ROOT } from '../../src/config/load.ts';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';

const corpus = loadDemoCorpus();
let server: DemoServer;
let dir: string;
let db: string;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'mm-interrupt-'));
  db = join(dir, 'store.db');
  copyFileSync(join(DEFAULT_CONFIG_DIR, 'municipalities.yaml'), join(dir, 'municipalities.yaml'));
  const feeds = readFileSync(join(REPO_ROOT, 'data/demo/feeds.yaml'), 'utf8').replace(/url: \//g, `url: ${server.url}/`);
  writeFileSync(join(dir, 'feeds.yaml'), feeds);
  // Paced like a real publisher (one host, two at a time, a gap between requests) so the
  // run lasts long enough to be interrupted in the middle.
  writeFileSync(
    join(dir, 'settings.yaml'),
    `http:\n  allowed_origins: ["${server.url}"]\n  host_min_gap: 25ms\n  host_max_concurrency: 2\nstore:\n  path: ${db}\n`,
  );
});
afterAll(async () => {
  await server?.close();
});

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), '--config', dir, '--log-format', 'json', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

function articles(): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare('SELECT COUNT(*) n FROM articles').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    d.close();
  }
}

describe('interrupting a run', () => {
  it('SIGTERM mid-run leaves a consistent store; the next run completes it', async () => {
    const first = run(['run', '--once', '--all']);
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        if (articles() >= 20) break;
      } catch {
        /* store not created yet */
      }
    }
    first.child.kill('SIGTERM');
    const code = await first.exited;
    expect([0, 1]).toContain(code);
    expect(first.stderr()).toMatch(/SIGTERM: finishing work in progress/);
    const partial = articles();
    expect(partial).toBeGreaterThanOrEqual(20);
    expect(partial).toBeLessThan(corpus.articles.length);

    const d = new Database(db, { readonly: true });
    // Every stored article is whole: its URL and at least one source are there with it.
    const orphans = d.prepare(`SELECT COUNT(*) n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.article_id = a.id)
      OR NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)`).get() as { n: number };
    expect(orphans.n).toBe(0);
    d.close();

    const second = run(['run', '--once', '--all']);
    expect(await second.exited).toBe(0);
    expect(articles()).toBe(corpus.articles.length);
    const d2 = new Database(db, { readonly: true });
    const dupUrls = d2.prepare('SELECT COUNT(*) n FROM (SELECT url FROM articles GROUP BY url HAVING COUNT(*) > 1)').get() as { n: number };
    expect(dupUrls.n).toBe(0);
    const pending = d2.prepare(`SELECT COUNT(*) n FROM feed_items WHERE status != 'stored'`).get() as { n: number };
    expect(pending.n).toBe(0);
    d2.close();
  }, 120_000);
});
