// The BullMQ runner in one process against the real Redis: retries and the poison job,
// operators' retry and clean, feed schedules, backpressure, metrics, one writer only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config/load.ts';
import { writeFileSync } from 'node:fs';
import { startSyntheticServer, syntheticFeedsYaml, writeSyntheticConfig, type SyntheticServer } from '../../src/demo/synthetic.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { jitteredBackoff } from '../../src/queue/jobs.ts';
import { cleanJobs, perMinuteOver5, queueOverview, renderOverview, retryFailed } from '../../src/queue/operate.ts';
import { startQueueProcess, writerForever, writerPassOnce, writerStages, type QueueProcess } from '../../src/queue/processes.ts';
import { WriterConflictError, type StageHandler } from '../../src/queue/runner.ts';
import { syncPollSchedulers } from '../../src/queue/schedule.ts';
import { PIPELINE, downstreamOf, parseStageList } from '../../src/queue/topology.ts';
import { STAGES, type FetchPayload } from '../../src/pipeline/stages.ts';
import { REDIS_URL, cleanup, describeRedis, testSettings } from './helpers.ts';

describe('queue topology and retry timing', () => {
  it('has one queue per pipeline stage, in order, and knows what lies downstream', () => {
    expect(PIPELINE).toEqual(Object.keys(STAGES));
    expect(downstreamOf('fetch')).toEqual(PIPELINE.slice(PIPELINE.indexOf('fetch') + 1));
    expect(downstreamOf('persist')).toEqual([]);
    expect(parseStageList('fetch, analyse')).toEqual(['fetch', 'analyse']);
    expect(() => parseStageList('fetch,extract')).toThrow(/unknown stage 'extract'; known stages: poll, fetch/);
  });

  it('reads rates over the last five minutes from BullMQ metrics, the open minute included', () => {
    const now = Date.parse('2026-11-02T10:30:30Z');
    const minute = 60_000;
    const m = (prevTS: number) => ({ meta: { count: 130, prevCount: 100, prevTS }, data: [20, 10, 0, 5, 999], count: 5 });
    expect(perMinuteOver5(m(now - 10_000), now)).toBe((30 + 20 + 10 + 0 + 5) / 5);
    expect(perMinuteOver5(m(now - 2 * minute), now)).toBe((30 + 20 + 10) / 5);
    expect(perMinuteOver5(m(now - 10 * minute), now)).toBe(0);
    expect(perMinuteOver5({ meta: { count: 0, prevCount: 0, prevTS: 0 }, data: [], count: 0 }, now)).toBe(0);
  });

  it('backs off exponentially with jitter in [0.5, 1) of the step, capped', () => {
    const policy = { attempts: 5, backoffMs: 1_000, maxBackoffMs: 5_000 };
    expect(jitteredBackoff(1, policy, () => 0)).toBe(500);
    expect(jitteredBackoff(1, policy, () => 0.998)).toBe(999);
    expect(jitteredBackoff(2, policy, () => 0)).toBe(1_000);
    expect(jitteredBackoff(3, policy, () => 0.5)).toBe(3_000);
    expect(jitteredBackoff(10, policy, () => 0)).toBe(2_500);
    expect(jitteredBackoff(10, policy, () => 0.998)).toBe(4_995);
    const spread = new Set(Array.from({ length: 20 }, () => jitteredBackoff(2, policy)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describeRedis('BullMQ runner', () => {
  let server: SyntheticServer;
  let dir: string;

  beforeAll(async () => {
    server = await startSyntheticServer({ articles: 120, perFeed: 40, seed: 11 });
    dir = mkdtempSync(join(tmpdir(), 'mm-queue-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function configFor(name: string): AppConfig {
    const path = writeSyntheticConfig(join(dir, name), { baseUrl: server.url, corpus: server.corpus, storePath: join(dir, `${name}.db`) });
    return loadConfig({ dir: path });
  }

  it('a poison page ends in failed after its attempts while the rest is stored; retry-failed brings it back', async () => {
    const settings = testSettings('poison');
    const poison = `${server.url}${server.corpus.articlePaths[7]!}`;
    let crashes = 0;
    let cured = false;
    // The extractor copes with every page we have; this one stands for the page that would
    // crash it: the fetch stage throws for it, every time until cured.
    const fetch: StageHandler = async (payload, ctx) => {
      if ((payload as FetchPayload).url === poison && !cured) {
        crashes++;
        throw new Error('extractor crashed: Maximum call stack size exceeded');
      }
      return STAGES.fetch(payload as FetchPayload, ctx);
    };
    const p = await startQueueProcess({
      config: configFor('poison'),
      settings,
      log: silentLogger,
      stages: writerStages(true),
      runner: { stages: { fetch }, retry: { attempts: 3, backoffMs: 40 }, idlePollMs: 50 },
    });
    try {
      const pass = await writerPassOnce(p, { all: true });
      expect(crashes).toBe(3);
      expect(pass.articlesAfter).toBe(119);
      const overview = await queueOverview(settings);
      const failed = overview.failed.filter((f) => f.stage === 'fetch');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ attempts: 3, url: poison, reason: 'extractor crashed: Maximum call stack size exceeded' });
      expect(overview.stages.find((s) => s.stage === 'fetch')?.failed).toBe(1);
      expect(renderOverview(overview)).toContain('extractor crashed');
      // The page stays pending in the store, and its failed job keeps it from being fetched
      // again by the next pass until an operator retries it.
      const again = await writerPassOnce(p, { all: true });
      expect(crashes).toBe(3);
      expect(again.articlesAfter).toBe(119);

      cured = true;
      expect(await retryFailed(settings, ['fetch'])).toEqual({ fetch: 1 });
      await p.runner.idle();
      expect(p.store!.counts().articles).toBe(120);
      expect((await queueOverview(settings)).stages.every((s) => s.failed === 0)).toBe(true);
    } finally {
      await p.close();
      await cleanup(settings);
    }
  });

  it('a second writer is refused while one is alive', async () => {
    const settings = testSettings('writer');
    const config = configFor('writer');
    const first = await startQueueProcess({ config, settings, log: silentLogger, stages: writerStages(false) });
    try {
      await expect(startQueueProcess({ config, settings, log: silentLogger, stages: ['persist'] })).rejects.toThrow(WriterConflictError);
      // Workers that run anywhere may be as many as wanted.
      const worker = await startQueueProcess({ config, settings, log: silentLogger, stages: ['fetch'] });
      await worker.close();
    } finally {
      await first.close();
      await cleanup(settings);
    }
  });

  it('keeps one scheduler per enabled feed in step with the config', async () => {
    const settings = testSettings('sched');
    const config = configFor('sched');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('poll', { connection: redis, prefix: settings.prefix });
    const jobOpts = { attempts: 1, backoff: { type: 'fixed', delay: 10 } };
    try {
      const feeds = config.feeds;
      expect(await syncPollSchedulers(queue, feeds, jobOpts)).toMatchObject({ added: feeds.map((f) => f.id), updated: [], removed: [] });
      expect(await syncPollSchedulers(queue, feeds, jobOpts)).toMatchObject({ added: [], updated: [], removed: [], unchanged: feeds.length });
      const [a, b, c] = feeds;
      const edited = [{ ...a!, intervalMs: 120_000 }, { ...b!, enabled: false }];
      const change = await syncPollSchedulers(queue, edited, jobOpts);
      expect(change).toMatchObject({ added: [], updated: [a!.id] });
      expect(change.removed.sort()).toEqual([b!.id, c!.id].sort());
      const left = await queue.getJobSchedulers(0, -1);
      expect(left.map((s) => [s.key, Number(s.every)])).toEqual([[`feed:${a!.id}`, 120_000]]);
    } finally {
      await queue.close();
      redis.disconnect();
      await cleanup(settings);
    }
  });

  it('scheduled ticks poll due feeds and skip a feed that is backing off', async () => {
    const settings = testSettings('tick');
    const config = configFor('tick');
    const p = await startQueueProcess({ config, settings, log: silentLogger, stages: ['poll'], runner: { idlePollMs: 50 } });
    try {
      const [due, backingOff] = config.feeds;
      p.store!.db.prepare('UPDATE feeds SET next_poll_at = ? WHERE id = ?').run(Date.now() + 3_600_000, backingOff!.id);
      const queue = p.runner.queues.get('poll')!;
      const jobOpts = { attempts: 1, backoff: { type: 'fixed', delay: 10 } };
      await syncPollSchedulers(queue, [{ ...due!, intervalMs: 400 }, { ...backingOff!, intervalMs: 400 }], jobOpts);
      const polls = (feed: string) => (p.store!.db.prepare('SELECT COUNT(*) n FROM polls WHERE feed_id = ?').get(feed) as { n: number }).n;
      const waitForPolls = async (n: number) => {
        const until = Date.now() + 10_000;
        while (polls(due!.id) < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      };
      await waitForPolls(1);
      expect(polls(due!.id)).toBe(1);
      // Polled: not due for its configured 30 minutes, so the next ticks pass it by…
      await new Promise((r) => setTimeout(r, 1_000));
      expect(polls(due!.id)).toBe(1);
      // …until it is due again.
      p.store!.db.prepare('UPDATE feeds SET next_poll_at = ? WHERE id = ?').run(Date.now() - 1, due!.id);
      await waitForPolls(2);
      expect(polls(due!.id)).toBe(2);
      expect(polls(backingOff!.id)).toBe(0);
    } finally {
      await p.close();
      await cleanup(settings);
    }
  });

  it('the long-running writer polls through feed schedules and follows edits of feeds.yaml', async () => {
    const settings = testSettings('forever');
    const config = configFor('forever');
    const p = await startQueueProcess({ config, settings, log: silentLogger, stages: writerStages(true), runner: { idlePollMs: 50 } });
    const abort = new AbortController();
    const loop = writerForever(p, abort.signal, { configOptions: { dir: config.dir }, tickMs: 100 });
    try {
      const poll = p.runner.queues.get('poll')!;
      await new Promise((r) => setTimeout(r, 200));
      expect((await poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(config.feeds.map((f) => `feed:${f.id}`).sort());
      // New schedulers tick at once: every feed is polled and its articles stored.
      const until = Date.now() + 30_000;
      while (p.store!.counts().articles < 120 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(p.store!.counts().articles).toBe(120);
      // An operator drops a feed from feeds.yaml: its schedule goes.
      const kept = { ...server.corpus, feeds: server.corpus.feeds.slice(0, 2) };
      await new Promise((r) => setTimeout(r, 20)); // a new modification time
      writeFileSync(config.files.feeds, syntheticFeedsYaml(kept, server.url) + '# edited\n');
      const until2 = Date.now() + 10_000;
      while ((await poll.getJobSchedulersCount()) !== 2 && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
      expect((await poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(kept.feeds.map((f) => `feed:${f.id}`).sort());
    } finally {
      abort.abort();
      await loop;
      await p.close();
      await cleanup(settings);
    }
  });

  it('fetching pauses while the queues after it are too deep and resumes when they drain', async () => {
    const settings = testSettings('pressure');
    const config = configFor('pressure');
    const worker = await startQueueProcess({
      config,
      settings,
      log: silentLogger,
      stages: ['fetch'],
      runner: { backpressure: { high: 10, low: 3, checkMs: 30 }, idlePollMs: 50 },
    });
    let writer: QueueProcess | undefined;
    try {
      // No analyse or persist consumer yet: fetched pages pile up after fetch.
      // Three times the work the pause should let through, so that a slow machine, which
      // fetches more before the pause takes hold, still leaves most of it waiting.
      const jobs = server.corpus.articlePaths.slice(0, 120).map((path) => ({
        stage: 'fetch' as const,
        id: `fetch:${path}`,
        payload: { url: `${server.url}${path}`, feedId: config.feeds[0]!.id, hints: {} },
      }));
      await worker.runner.submitAndWait(jobs);
      const fetchQueue = worker.runner.queues.get('fetch')!;
      const until = Date.now() + 10_000;
      while (!worker.runner.pausedStages.includes('fetch') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(worker.runner.pausedStages).toContain('fetch');
      await new Promise((r) => setTimeout(r, 300));
      const held = await fetchQueue.getWaitingCount();
      expect(held).toBeGreaterThan(10);
      expect(held).toBeLessThan(120);
      // Consumers of the later stages drain them; fetching resumes and finishes.
      writer = await startQueueProcess({ config, settings, log: silentLogger, stages: ['analyse', 'persist'], runner: { idlePollMs: 50 } });
      await writer.runner.idle();
      expect(worker.runner.pausedStages).toEqual([]);
      expect(await fetchQueue.getWaitingCount()).toBe(0);
      expect(writer.store!.counts().articles).toBe(120);
    } finally {
      await worker.close();
      await writer?.close();
      await cleanup(settings);
    }
  });

  it('serves Prometheus metrics on loopback, and operators can clean finished jobs', async () => {
    const settings = testSettings('metrics');
    const p = await startQueueProcess({ config: configFor('metrics'), settings, log: silentLogger, stages: writerStages(true), metricsPort: 0, runner: { idlePollMs: 50 } });
    try {
      await writerPassOnce(p, { all: true });
      const res = await fetch(`http://127.0.0.1:${p.metrics!.port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/mediamittari_jobs_processed_total\{stage="fetch"\} 120/);
      expect(text).toMatch(/mediamittari_jobs_processed_total\{stage="persist"\} 120/);
      expect(text).toMatch(/mediamittari_job_duration_seconds_count\{stage="analyse"\} 120/);
      expect(text).toMatch(/mediamittari_queue_jobs\{stage="fetch",state="waiting"\} 0/);
      expect((await fetch(`http://127.0.0.1:${p.metrics!.port}/other`)).status).toBe(404);
      // Chains that reached the store released their ids: nothing finished is left to clean
      // but what the age limit keeps; clean with no grace removes all of it.
      const before = await queueOverview(settings);
      // 120 jobs per stage finished within the last five minutes.
      for (const stage of ['fetch', 'analyse', 'persist']) expect(before.stages.find((s) => s.stage === stage)?.perMinute).toBe(24);
      expect(before.workers).toEqual([expect.objectContaining({ stages: [...PIPELINE] })]);
      const removed = await cleanJobs(settings, 0);
      const left = await queueOverview(settings);
      expect(left.stages.every((s) => s.completed === 0)).toBe(true);
      expect(Object.keys(removed)).toEqual([...PIPELINE]);
    } finally {
      await p.close();
      await cleanup(settings);
    }
  });
});
