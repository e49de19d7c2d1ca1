// The distributed mode as operators run it: real `mediamittari` processes (a writer and
// workers) on the real Redis over a 2,000-article corpus on loopback. A worker killed with
// SIGKILL mid-run, connections to Redis dropped mid-run: the run completes with every article
// stored once, and the store equals the one an embedded run over the same corpus leaves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyntheticServer, writeSyntheticConfig, type SyntheticServer } from '../../src/demo/synthetic.ts';
import { queueOverview } from '../../src/queue/operate.ts';
import { articleCount, cleanup, describeRedis, dropConnections, startCli, storeSnapshot, testSettings, waitForOutput, waitUntil, type CliProcess } from './helpers.ts';

const ARTICLES = 2_000;

function storeFacts(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const one = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
    return {
      articles: one('SELECT COUNT(*) n FROM articles'),
      distinctUrls: one('SELECT COUNT(DISTINCT url) n FROM articles'),
      sources: one('SELECT COUNT(*) n FROM article_sources'),
      analyses: one('SELECT COUNT(*) n FROM analyses'),
      pendingOrFailed: one("SELECT COUNT(*) n FROM feed_items WHERE status != 'stored'"),
      itemsPerArticleOver1: one('SELECT COUNT(*) n FROM (SELECT article_id FROM feed_items GROUP BY article_id HAVING COUNT(*) > 1)'),
    };
  } finally {
    d.close();
  }
}

describeRedis('distributed runs survive failures', () => {
  let server: SyntheticServer;
  let dir: string;
  let embedded: CliProcess;
  let embeddedDb: string;
  let config: (name: string, feeds?: number) => { config: string; db: string };

  beforeAll(async () => {
    server = await startSyntheticServer({ articles: ARTICLES, seed: 2026 });
    dir = mkdtempSync(join(tmpdir(), 'mm-resilience-'));
    config = (name, feeds) => {
      const db = join(dir, `${name}.db`);
      const corpus = feeds === undefined ? server.corpus : { ...server.corpus, feeds: server.corpus.feeds.slice(0, feeds) };
      return { config: writeSyntheticConfig(join(dir, name), { baseUrl: server.url, corpus, storePath: db }), db };
    };
    // The embedded reference run goes on beside the distributed runs (the machine has two cores).
    const e = config('embedded');
    embeddedDb = e.db;
    embedded = startCli(['--config', e.config, '--log-level', 'warn', 'run', '--once', '--all']);
  }, 60_000);

  afterAll(async () => {
    if (embedded && embedded.child.exitCode === null) embedded.child.kill('SIGKILL');
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'a worker killed with SIGKILL mid-run: its jobs are taken over, every article is stored exactly once, and the store equals an embedded run',
    async () => {
      const settings = testSettings('kill');
      const { config: cfg, db } = config('distributed');
      const redis = ['--redis', settings.url, '--prefix', settings.prefix];
      const workerArgs = ['--config', cfg, '--log-format', 'json', 'workers', '--only', 'fetch,analyse', '--concurrency', '4', '--lock-duration', '2s', ...redis];
      const first = startCli(workerArgs);
      let second: CliProcess | undefined;
      try {
        await waitForOutput(first, /workers started/);
        const writer = startCli(['--config', cfg, '--log-format', 'json', 'run', '--once', '--all', ...redis]);
        await waitUntil('articles from the first worker', () => articleCount(db) >= 300, 120_000, 50);
        first.child.kill('SIGKILL');
        expect(await first.exited).not.toBe(0);
        // Jobs the dead worker had taken are still marked active: nobody renews their locks.
        const active = (await queueOverview(settings)).stages.filter((s) => s.stage === 'fetch' || s.stage === 'analyse').reduce((n, s) => n + s.active, 0);
        const atKill = articleCount(db);
        expect(atKill).toBeLessThan(ARTICLES);
        second = startCli(workerArgs);
        const code = await writer.exited;
        expect(code, writer.output()).toBe(0);
        // Jobs the killed worker held were found stalled and done by the new one.
        if (active > 0) expect(second.output()).toMatch(/job stalled/);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);

        const facts = storeFacts(db);
        expect(facts).toEqual({ articles: ARTICLES, distinctUrls: ARTICLES, sources: ARTICLES, analyses: ARTICLES, pendingOrFailed: 0, itemsPerArticleOver1: 0 });
        const overview = await queueOverview(settings);
        expect(overview.stages.map((s) => [s.stage, s.waiting + s.active + s.delayed + s.failed])).toEqual(overview.stages.map((s) => [s.stage, 0]));

        expect(await embedded.exited, embedded.output()).toBe(0);
        const a = storeSnapshot(embeddedDb);
        const b = storeSnapshot(db);
        expect(Object.keys(b)).toEqual(Object.keys(a));
        for (const table of Object.keys(a)) {
          expect(b[table]!.length, table).toBe(a[table]!.length);
          expect(b[table], table).toEqual(a[table]);
        }
        expect(a.articles).toHaveLength(ARTICLES);
        expect(a.analyses).toHaveLength(ARTICLES);
      } finally {
        first.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
        await cleanup(settings);
      }
    },
    240_000,
  );

  it(
    "Redis connections dropped mid-run (what a Redis restart does): the run completes, nothing is lost or doubled",
    async () => {
      const settings = testSettings('drop');
      // A part of the corpus (12 feeds, 600 articles) is enough to drop the connections three times.
      const articles = 600;
      const { config: cfg, db } = config('dropped', articles / 50);
      const redis = ['--redis', settings.url, '--prefix', settings.prefix];
      const worker = startCli(['--config', cfg, '--log-format', 'json', 'workers', '--concurrency', '4', '--lock-duration', '2s', ...redis]);
      try {
        await waitForOutput(worker, /workers started/);
        const writer = startCli(['--config', cfg, '--log-format', 'json', 'run', '--once', '--all', ...redis]);
        let drops = 0;
        for (const at of [100, 250, 400]) {
          await waitUntil(`${at} articles`, () => articleCount(db) >= at || writer.child.exitCode !== null, 120_000, 20);
          if (writer.child.exitCode !== null) break;
          const n = await dropConnections(settings.prefix);
          expect(n).toBeGreaterThan(0);
          drops++;
        }
        expect(drops).toBe(3);
        expect(await writer.exited, writer.output()).toBe(0);
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
        const facts = storeFacts(db);
        expect(facts).toEqual({ articles, distinctUrls: articles, sources: articles, analyses: articles, pendingOrFailed: 0, itemsPerArticleOver1: 0 });
      } finally {
        worker.child.kill('SIGKILL');
        await cleanup(settings);
      }
    },
    240_000,
  );
});
