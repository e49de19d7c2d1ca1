// The collector: config + store + HTTP client + a runner, and the schedule that feeds polls
// into it. `run --once` is one pass over the due feeds; `run` keeps going until signalled.
import { configStamp, loadConfig, type AppConfig, type LoadConfigOptions } from '../config/load.ts';
import { ConfigError } from '../config/yamlFile.ts';
import { HttpClient, defaultHttpOptions } from '../http/index.ts';
import type { Logger } from '../log/logger.ts';
import { Store } from '../store/store.ts';
import { LocalRunner, type Runner, type RunnerStats } from './runner.ts';
import { pollJob, type PipelineEvents, type StageContext, type StageName } from './stages.ts';

export interface CollectorOptions {
  log: Logger;
  events?: PipelineEvents;
  now?: () => number;
  /** Stage concurrency; defaults from settings. */
  concurrency?: Partial<Record<StageName, number>>;
}

export interface Collector {
  config: AppConfig;
  store: Store;
  http: HttpClient;
  runner: Runner;
  ctx: StageContext;
  close(): Promise<void>;
}

export function httpClientFor(config: AppConfig): HttpClient {
  const h = config.settings.http;
  return new HttpClient(defaultHttpOptions({ userAgent: config.settings.userAgent, ...h }));
}

export function openCollector(config: AppConfig, opts: CollectorOptions): Collector {
  const store = new Store(config.settings.store.path, { log: opts.log });
  store.syncConfig(config);
  const http = httpClientFor(config);
  const abort = new AbortController();
  const ctx: StageContext = { config, http, store, log: opts.log, now: opts.now ?? Date.now, signal: abort.signal, events: opts.events };
  const runner = new LocalRunner(ctx, {
    log: opts.log,
    concurrency: {
      poll: opts.concurrency?.poll ?? 4,
      fetch: opts.concurrency?.fetch ?? config.settings.pipeline.fetchConcurrency,
      // Analysis is CPU work in this same thread: more at once would only interleave it.
      analyse: opts.concurrency?.analyse ?? 1,
      // One writer: SQLite is written by one job at a time.
      persist: 1,
    },
  });
  return {
    config,
    store,
    http,
    runner,
    ctx,
    async close() {
      await runner.stop();
      http.close();
      ctx.analyser?.morphology.close();
      store.close();
    },
  };
}

export interface PassSummary {
  feedsPolled: number;
  stats: RunnerStats;
  articlesBefore: number;
  articlesAfter: number;
}

/** Polls the feeds that are due (or all enabled ones with `all`) and waits for the work they lead to. */
export async function collectOnce(c: Collector, opts: { all?: boolean } = {}): Promise<PassSummary> {
  const now = c.ctx.now();
  const feeds = opts.all ? c.store.feeds().filter((f) => f.enabled === 1 && f.disabled_reason === null) : c.store.dueFeeds(now);
  const articlesBefore = c.store.counts().articles;
  c.runner.submit(feeds.map((f) => pollJob(f.id)));
  await c.runner.idle();
  return { feedsPolled: feeds.length, stats: c.runner.stats(), articlesBefore, articlesAfter: c.store.counts().articles };
}

/**
 * Keeps polling on schedule until the signal fires. Config files are re-read when they
 * change, so an operator's edit to feeds.yaml takes effect without a restart; a broken
 * edit is reported and the last good config stays in force.
 */
export async function collectForever(
  c: Collector,
  signal: AbortSignal,
  opts: { configOptions: LoadConfigOptions; tickMs?: number; onConfig?: (config: AppConfig) => void },
): Promise<void> {
  const tickMs = opts.tickMs ?? 15_000;
  let stamp = configStamp(c.config);
  let lastPurge = 0;
  while (!signal.aborted) {
    const newStamp = configStamp(c.config);
    if (newStamp !== stamp) {
      stamp = newStamp;
      try {
        const next = loadConfig(opts.configOptions);
        c.store.syncConfig(next);
        c.config = next;
        c.ctx.config = next;
        opts.onConfig?.(next);
        c.ctx.log.info('config reloaded', { feeds: next.feeds.length });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        c.ctx.log.error(`config not reloaded, keeping the previous one:\n${e.message}`);
      }
    }
    const now = c.ctx.now();
    if (now - lastPurge > 3_600_000) {
      const purged = c.store.purgeRawPages(now - c.config.settings.store.rawHtmlRetentionMs);
      if (purged > 0) c.ctx.log.info('old page copies removed', { pages: purged });
      lastPurge = now;
    }
    c.runner.submit(c.store.dueFeeds(now).map((f) => pollJob(f.id)));
    await sleep(tickMs, signal);
  }
}

/** A pause that ends early when the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
