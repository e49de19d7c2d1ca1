// The processes of the distributed mode. Workers (`mediamittari workers`, workers/*.ts)
// consume the stages that run anywhere; the writer (`mediamittari run` with REDIS_URL)
// consumes poll and persist next to the SQLite file and keeps the feed schedules.
import type { Redis } from 'ioredis';
import { loadConfig, type AppConfig, type LoadConfigOptions } from '../config/load.ts';
import { ConfigError } from '../config/yamlFile.ts';
import { HttpClient, defaultHttpOptions } from '../http/index.ts';
import type { Logger } from '../log/logger.ts';
import { configStamp } from '../config/load.ts';
import { sleep } from '../pipeline/collector.ts';
import { pollJob, type PipelineEvents, type StageContext, type StageName } from '../pipeline/stages.ts';
import { Store } from '../store/store.ts';
import { openRedis, whenReady, type QueueSettings } from './connection.ts';
import { DEFAULT_RETRY, JITTER_BACKOFF } from './jobs.ts';
import { createWorkerMetrics, serveMetrics } from './metrics.ts';
import { RedisHostPacer, RedisRobotsCache } from './politeness.ts';
import { BullRunner, type BullRunnerOptions } from './runner.ts';
import { syncPollSchedulers, type ScheduleChange } from './schedule.ts';
import { WRITER_STAGES, WORKER_STAGES } from './topology.ts';

export interface QueueProcessOptions {
  config: AppConfig;
  settings: QueueSettings;
  log: Logger;
  /** Stages to consume. */
  stages: StageName[];
  /** Jobs at once per stage (default: fetch from settings, analyse 1, others 1). */
  concurrency?: number;
  /** Serve Prometheus /metrics on 127.0.0.1:port (0: any free port). */
  metricsPort?: number;
  events?: PipelineEvents;
  runner?: Partial<Pick<BullRunnerOptions, 'lockDurationMs' | 'stalledIntervalMs' | 'backpressure' | 'retry' | 'retention' | 'stages' | 'workerName' | 'idlePollMs'>>;
}

export interface QueueProcess {
  config: AppConfig;
  runner: BullRunner;
  ctx: StageContext;
  /** Present when the process consumes a writer stage. */
  store?: Store;
  metrics?: { port: number };
  /** Graceful: stop taking jobs, finish those in progress, close connections and the store. */
  close(): Promise<void>;
}

/** The HTTP client of a queue process: pacing and robots.txt shared through Redis. */
export function sharedHttpClient(config: AppConfig, politeness: { redis: Redis; prefix: string }): HttpClient {
  const h = config.settings.http;
  return new HttpClient(
    defaultHttpOptions({
      userAgent: config.settings.userAgent,
      ...h,
      pacer: new RedisHostPacer(politeness.redis, {
        prefix: politeness.prefix,
        minGapMs: h.hostMinGapMs,
        maxConcurrency: h.hostMaxConcurrency,
        // A slot is held for at most one attempt; a little more than its timeout.
        leaseMs: h.totalTimeoutMs + 5_000,
      }),
      robotsCache: new RedisRobotsCache(politeness.redis, politeness.prefix),
    }),
  );
}

export async function startQueueProcess(opts: QueueProcessOptions): Promise<QueueProcess> {
  const { config, settings, log } = opts;
  const politeness = openRedis(settings, 'http');
  politeness.on('error', () => undefined); // the runner's connection reports outages
  try {
    await whenReady(politeness);
  } catch (e) {
    politeness.disconnect();
    throw e;
  }
  const http = sharedHttpClient(config, { redis: politeness, prefix: settings.prefix });
  const needsStore = opts.stages.some((s) => WRITER_STAGES.has(s));
  const store = needsStore ? new Store(config.settings.store.path, { log }) : undefined;
  // Persist jobs share a transaction, each job in a savepoint of its own (see BullRunner):
  // SQLite journals the pages a savepoint changes, here in memory rather than a temporary file.
  store?.db.pragma('temp_store = MEMORY');
  store?.syncConfig(config);
  const ctx: StageContext = { config, http, store, log, now: Date.now, events: opts.events };
  const concurrency: Partial<Record<StageName, number>> = {};
  for (const s of opts.stages) {
    if (opts.concurrency !== undefined) concurrency[s] = opts.concurrency;
    // SQLite takes one writer; persist jobs taken at once share a transaction (group commit)
    // and overlap their Redis round trips.
    else if (s === 'persist') concurrency[s] = 64;
  }
  let runner: BullRunner | undefined;
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  try {
    const metrics = opts.metricsPort !== undefined ? createWorkerMetrics(() => runner!.queues) : undefined;
    runner = new BullRunner(ctx, { settings, log, consume: opts.stages, concurrency, ...opts.runner, observer: metrics });
    if (metrics) metricsServer = await serveMetrics(metrics.registry, opts.metricsPort!);
    await runner.start();
  } catch (e) {
    await runner?.close().catch(() => undefined);
    await metricsServer?.close();
    http.close();
    store?.close();
    politeness.disconnect();
    throw e;
  }
  const r = runner;
  let closing: Promise<void> | undefined;
  return {
    config,
    runner: r,
    ctx,
    store,
    metrics: metricsServer ? { port: metricsServer.port } : undefined,
    close() {
      closing ??= (async () => {
        await r.close();
        await metricsServer?.close();
        http.close();
        ctx.analyser?.morphology.close();
        store?.close();
        await politeness.quit().catch(() => politeness.disconnect());
      })();
      return closing;
    },
  };
}

export interface WriterPass {
  feedsPolled: number;
  articlesBefore: number;
  articlesAfter: number;
  /** Page fetches that failed during the pass (recorded as item failures). */
  pageFailures: number;
}

/** Sum of failed attempts over all feed items: grows by one for every page failure recorded. */
function recordedFailures(store: Store): number {
  return (store.db.prepare('SELECT COALESCE(SUM(attempts), 0) n FROM feed_items').get() as { n: number }).n;
}

/**
 * One pass in the distributed mode: queue polls of the due (or all) feeds and wait until
 * every queue is empty, whichever machines did the work.
 */
export async function writerPassOnce(p: QueueProcess, opts: { all?: boolean } = {}): Promise<WriterPass> {
  const store = p.store!;
  const feeds = opts.all ? store.feeds().filter((f) => f.enabled === 1 && f.disabled_reason === null) : store.dueFeeds(Date.now());
  const articlesBefore = store.counts().articles;
  const failuresBefore = recordedFailures(store);
  await p.runner.submitAndWait(feeds.map((f) => pollJob(f.id)));
  await p.runner.idle();
  return { feedsPolled: feeds.length, articlesBefore, articlesAfter: store.counts().articles, pageFailures: recordedFailures(store) - failuresBefore };
}

/**
 * The writer's long run: feed schedules in Redis kept in step with the config (re-read when
 * its files change), old page copies purged.
 */
export async function writerForever(p: QueueProcess, signal: AbortSignal, opts: { configOptions: LoadConfigOptions; tickMs?: number }): Promise<void> {
  const store = p.store!;
  const tickMs = opts.tickMs ?? 15_000;
  const pollQueue = p.runner.queues.get('poll')!;
  const jobOpts = { attempts: DEFAULT_RETRY.attempts, backoff: { type: JITTER_BACKOFF, delay: DEFAULT_RETRY.backoffMs } };
  const report = (c: ScheduleChange) => {
    if (c.added.length + c.updated.length + c.removed.length > 0) {
      p.ctx.log.info('feed schedules updated', { added: c.added.length, updated: c.updated.length, removed: c.removed.length, unchanged: c.unchanged });
    }
  };
  // A new scheduler ticks at once; an existing one whose tick fell due while no writer ran
  // is in the queue already, so feeds that are due get polled without a separate pass.
  report(await syncPollSchedulers(pollQueue, p.config.feeds, jobOpts));
  let stamp = configStamp(p.config);
  let lastPurge = 0;
  while (!signal.aborted) {
    await sleep(tickMs, signal);
    if (signal.aborted) break;
    const next = configStamp(p.config);
    if (next !== stamp) {
      stamp = next;
      try {
        const config = loadConfig(opts.configOptions);
        store.syncConfig(config);
        p.config = config;
        p.ctx.config = config;
        report(await syncPollSchedulers(pollQueue, config.feeds, jobOpts));
        p.ctx.log.info('config reloaded', { feeds: config.feeds.length });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        p.ctx.log.error(`config not reloaded, keeping the previous one:\n${e.message}`);
      }
    }
    const now = Date.now();
    if (now - lastPurge > 3_600_000) {
      const purged = store.purgeRawPages(now - p.config.settings.store.rawHtmlRetentionMs);
      if (purged > 0) p.ctx.log.info('old page copies removed', { pages: purged });
      lastPurge = now;
    }
  }
}

/** Stages a writer consumes: the store's own, plus the others when it also works. */
export function writerStages(withWorkers: boolean): StageName[] {
  return [...WRITER_STAGES, ...(withWorkers ? WORKER_STAGES : [])];
}

