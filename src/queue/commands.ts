// CLI of the distributed mode: `workers`, `jobs status|retry-failed|clean`, and the Redis
// parts of `run` and `status`. Light at import time: BullMQ and ioredis load when a command
// that needs them runs.
import { Option, type Command } from 'commander';
import type { AppConfig, LoadConfigOptions } from '../config/load.ts';
import type { Logger } from '../log/logger.ts';
import type { QueueSettings } from './connection.ts';

export interface QueueCommandEnv {
  load(): AppConfig;
  configOptions(): LoadConfigOptions;
  logger(beforeWrite?: () => void): Logger;
  setExit(code: number): void;
}

const EXIT = { ok: 0, inputsFailed: 1, usage: 2, fatal: 3 } as const;

function print(line: string): void {
  process.stdout.write(line + '\n');
}

export interface RedisFlags {
  redis?: string;
  prefix?: string;
}

/** Adds --redis and --prefix to a command. */
export function redisOptions(cmd: Command): Command {
  return cmd
    .option('--redis <url>', 'Redis of the distributed mode (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'key prefix in Redis (default: $MEDIAMITTARI_REDIS_PREFIX or mm)');
}

/** Settings from flags and environment; null without Redis. Throws a usage error on bad values. */
export async function settingsFrom(flags: RedisFlags): Promise<QueueSettings | null> {
  const { queueSettings } = await import('./connection.ts');
  return queueSettings(flags);
}

async function requireSettings(flags: RedisFlags): Promise<QueueSettings> {
  const s = await settingsFrom(flags);
  if (!s) throw new UsageError('no Redis configured: set REDIS_URL or pass --redis redis://host:6379');
  return s;
}

class UsageError extends Error {}

function parseMs(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what}: expected a duration such as 500ms, 30s, 15m, 1h or 2d, got '${text}'`);
  const unit = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's']!;
  return Math.round(Number(m[1]) * unit);
}

function parseCount(text: string, what: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${what}: expected a whole number >= ${min}, got '${text}'`);
  return n;
}

/** Runs a command body, mapping our errors to exit codes and messages. */
async function guarded(env: QueueCommandEnv, body: () => Promise<number>): Promise<void> {
  try {
    env.setExit(await body());
  } catch (e) {
    const { QueueSettingsError } = await import('./connection.ts');
    if (e instanceof UsageError || e instanceof QueueSettingsError) {
      process.stderr.write(`error: ${e.message}\n`);
      env.setExit(EXIT.usage);
      return;
    }
    const { WriterConflictError } = await import('./runner.ts');
    if (e instanceof WriterConflictError) {
      process.stderr.write(`error: ${e.message}\n`);
      env.setExit(EXIT.usage);
      return;
    }
    if (/Redis not reachable/.test((e as Error).message)) {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      env.setExit(EXIT.fatal);
      return;
    }
    throw e;
  }
}

/** SIGINT/SIGTERM: first one drains gracefully, a second one exits at once. */
function onStopSignals(log: Logger, stop: () => void): () => void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${sig} again: exiting now; jobs in progress go back to their queues when their lock expires`);
      process.exit(130);
    }
    stopping = true;
    log.info(`${sig}: finishing jobs in progress, taking no new ones (again to exit at once)`);
    stop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export interface WorkersFlags extends RedisFlags {
  only?: string;
  concurrency?: string;
  metricsPort?: string;
  lockDuration?: string;
}

/** `mediamittari workers`: consume stage queues until signalled. */
export async function workersCommand(env: QueueCommandEnv, flags: WorkersFlags): Promise<number> {
  const settings = await requireSettings(flags);
  const { WORKER_STAGES, parseStageList } = await import('./topology.ts');
  let stages;
  try {
    stages = flags.only ? parseStageList(flags.only) : [...WORKER_STAGES];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const concurrency = flags.concurrency !== undefined ? parseCount(flags.concurrency, '--concurrency') : undefined;
  const metricsPort = flags.metricsPort !== undefined ? parseCount(flags.metricsPort, '--metrics-port', 0) : undefined;
  const lockDurationMs = flags.lockDuration !== undefined ? parseMs(flags.lockDuration, '--lock-duration') : undefined;
  const config = env.load();
  const log = env.logger();
  const { startQueueProcess } = await import('./processes.ts');
  const p = await startQueueProcess({ config, settings, log, stages, concurrency, metricsPort, runner: { lockDurationMs } });
  log.info('workers started', { stages: stages.join(','), prefix: settings.prefix, worker: p.runner.workerName, metrics: p.metrics ? `http://127.0.0.1:${p.metrics.port}/metrics` : undefined });
  await new Promise<void>((resolve) => {
    const off = onStopSignals(log, () => {
      off();
      resolve();
    });
  });
  // A second signal during the drain exits at once.
  const offAgain = onStopSignals(log, () => process.exit(130));
  await p.close();
  offAgain();
  log.info('workers stopped', { done: p.runner.stats().done });
  return EXIT.ok;
}

export interface RunFlags extends RedisFlags {
  once?: boolean;
  all?: boolean;
  withWorkers?: boolean;
}

/**
 * `mediamittari run` in the distributed mode: this process is the writer (polls and
 * persists next to the store); `--with-workers` makes it fetch and analyse as well.
 */
export async function runDistributed(env: QueueCommandEnv, settings: QueueSettings, flags: RunFlags): Promise<number> {
  const config = env.load();
  const log = env.logger();
  const { startQueueProcess, writerForever, writerPassOnce, writerStages } = await import('./processes.ts');
  let feedErrors = 0;
  const p = await startQueueProcess({
    config,
    settings,
    log,
    stages: writerStages(Boolean(flags.withWorkers)),
    events: {
      polled(_feed, outcome) {
        if (outcome === 'error' || outcome === 'gone') feedErrors++;
      },
    },
  });
  log.info(`distributed mode: queues in ${settings.prefix} on Redis; this process writes ${config.settings.store.path}`, {
    stages: writerStages(Boolean(flags.withWorkers)).join(','),
  });
  const { WORKER_STAGES } = await import('./topology.ts');
  const unserved: string[] = [];
  for (const stage of WORKER_STAGES) {
    if (flags.withWorkers) break;
    if ((await p.runner.queues.get(stage)!.getWorkers()).length === 0) unserved.push(stage);
  }
  if (unserved.length > 0) {
    log.warn(`no worker consumes ${unserved.join(', ')} yet: pages wait in Redis until \`mediamittari workers\` runs somewhere (or run with --with-workers)`);
  }
  const abort = new AbortController();
  const off = onStopSignals(log, () => abort.abort());
  try {
    if (flags.once) {
      const pass = await Promise.race([
        writerPassOnce(p, { all: flags.all }).catch((e: Error) => {
          if (abort.signal.aborted) return null; // the queues closed under an interrupted pass
          throw e;
        }),
        new Promise<null>((resolve) => abort.signal.addEventListener('abort', () => resolve(null), { once: true })),
      ]);
      if (!pass) {
        log.info('interrupted: queued jobs stay in Redis and are done by the next run');
        return EXIT.ok;
      }
      log.info('collection pass done', {
        feeds_polled: pass.feedsPolled,
        feed_errors: feedErrors,
        page_errors: pass.pageFailures,
        new_articles: pass.articlesAfter - pass.articlesBefore,
        articles_total: pass.articlesAfter,
      });
      return feedErrors > 0 || pass.pageFailures > 0 ? EXIT.inputsFailed : EXIT.ok;
    }
    log.info('monitoring feeds on their schedules; Ctrl-C to stop', { feeds: config.feeds.filter((f) => f.enabled).length });
    await writerForever(p, abort.signal, { configOptions: env.configOptions() });
    return EXIT.ok;
  } finally {
    off();
    await p.close();
  }
}

/**
 * `run` in whichever mode the flags and environment ask for: the distributed writer's exit
 * code, or null when no Redis is configured and the embedded mode should run.
 */
export async function runIfDistributed(env: QueueCommandEnv, flags: RunFlags): Promise<number | null> {
  let distributed = false;
  let code: number = EXIT.ok;
  await guarded({ ...env, setExit: (c) => (code = c) }, async () => {
    const settings = await settingsFrom(flags);
    if (!settings) return EXIT.ok;
    distributed = true;
    return runDistributed(env, settings, flags);
  });
  return distributed || code !== EXIT.ok ? code : null;
}

/** The queue part of `mediamittari status`: null when no Redis is configured. */
export async function queueStatus(flags: RedisFlags): Promise<{ json: unknown; text: string } | { error: string } | null> {
  try {
    const settings = await settingsFrom(flags);
    if (!settings) return null;
    const { queueOverview, renderOverview } = await import('./operate.ts');
    const o = await queueOverview(settings);
    return { json: o, text: renderOverview(o) };
  } catch (e) {
    return { error: `queues: ${(e as Error).message}` };
  }
}

export function registerQueueCommands(program: Command, env: QueueCommandEnv): void {
  redisOptions(
    program
      .command('workers')
      .description('distributed mode: work on the stage queues in Redis (fetch and analyse by default) until stopped; run on as many machines as needed')
      .option('--only <stages>', 'comma-separated stages to work on, e.g. fetch,analyse (poll and persist belong to the writer, next to the store)')
      .option('--concurrency <n>', 'jobs at once per stage (default: fetch from settings.yaml, 1 for the others)')
      .option('--metrics-port <port>', 'serve Prometheus metrics on http://127.0.0.1:<port>/metrics')
      .option('--lock-duration <duration>', "how long a killed worker's jobs stay claimed before others retry them (default 30s)"),
  ).action(async (opts: WorkersFlags) => guarded(env, () => workersCommand(env, opts)));

  const jobs = program.command('jobs').description('distributed mode: jobs in the Redis queues');
  redisOptions(jobs.command('status').description('queue depths, rates, failed jobs with their reasons, workers alive').option('--json', 'one JSON object')).action(
    async (opts: RedisFlags & { json?: boolean }) =>
      guarded(env, async () => {
        const settings = await requireSettings(opts);
        const { queueOverview, renderOverview } = await import('./operate.ts');
        const o = await queueOverview(settings);
        print(opts.json ? JSON.stringify(o) : renderOverview(o));
        return EXIT.ok;
      }),
  );
  redisOptions(
    jobs
      .command('retry-failed')
      .description('move failed jobs back to their queues to be tried again')
      .option('--stage <stages>', 'only these stages (comma-separated)')
      .option('--json', 'one JSON object: jobs retried per stage'),
  ).action(async (opts: RedisFlags & { stage?: string; json?: boolean }) =>
    guarded(env, async () => {
      const settings = await requireSettings(opts);
      const stages = await stagesFlag(opts.stage);
      const { retryFailed } = await import('./operate.ts');
      const out = await retryFailed(settings, stages);
      const total = Object.values(out).reduce((a, b) => a + (b ?? 0), 0);
      print(opts.json ? JSON.stringify({ retried: out, total }) : `${total} failed jobs queued again${total ? ` (${Object.entries(out).filter(([, n]) => n).map(([s, n]) => `${s} ${n}`).join(', ')})` : ''}`);
      return EXIT.ok;
    }),
  );
  redisOptions(
    jobs
      .command('clean')
      .description('remove finished and failed jobs older than the grace period')
      .addOption(new Option('--grace <duration>', 'keep jobs younger than this').default('1h'))
      .option('--stage <stages>', 'only these stages (comma-separated)')
      .option('--json', 'one JSON object: jobs removed per stage'),
  ).action(async (opts: RedisFlags & { grace: string; stage?: string; json?: boolean }) =>
    guarded(env, async () => {
      const settings = await requireSettings(opts);
      const graceMs = parseMs(opts.grace, '--grace');
      const stages = await stagesFlag(opts.stage);
      const { cleanJobs } = await import('./operate.ts');
      const out = await cleanJobs(settings, graceMs, stages);
      const total = Object.values(out).reduce((a, b) => a + (b?.completed ?? 0) + (b?.failed ?? 0), 0);
      print(opts.json ? JSON.stringify({ removed: out, total }) : `${total} jobs older than ${opts.grace} removed`);
      return EXIT.ok;
    }),
  );
}

async function stagesFlag(list: string | undefined) {
  if (!list) return undefined;
  const { parseStageList } = await import('./topology.ts');
  try {
    return parseStageList(list);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
