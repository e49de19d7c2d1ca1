// The Runner of the distributed mode: every stage is a BullMQ queue in Redis. A process
// consumes some stages (the writer: poll and persist; workers: fetch and analyse) and sends
// the jobs its stages return to their queues, for whichever process consumes them. The stage
// functions are the embedded mode's own (STAGES); only the way jobs travel differs.
import { hostname } from 'node:os';
import { MetricsTime, Queue, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { Runner, RunnerStats } from '../pipeline/runner.ts';
import { STAGES, type Job, type StageContext, type StageName } from '../pipeline/stages.ts';
import { openRedis, type QueueSettings } from './connection.ts';
import {
  DEFAULT_RETENTION, DEFAULT_RETRY, JITTER_BACKOFF, describePayload, jitteredBackoff, jobOptions,
  type Hold, type QueuedJob, type RetentionPolicy, type RetryPolicy,
} from './jobs.ts';
import { PIPELINE, WRITER_STAGES, bullJobId, downstreamOf, queueName } from './topology.ts';

export type StageHandler = (payload: unknown, ctx: StageContext) => Promise<Job[]>;

export interface JobObserver {
  /** A job attempt ended: done, failed with tries left ('retry'), or failed for good. */
  finished(stage: StageName, outcome: 'completed' | 'retry' | 'failed', seconds: number): void;
}

export interface Backpressure {
  /** A stage's consumers pause when the queues after it hold more than this many waiting jobs… */
  high: number;
  /** …and resume when they are down to this. */
  low: number;
  checkMs: number;
}

export const DEFAULT_BACKPRESSURE: Backpressure = { high: 2_000, low: 500, checkMs: 1_000 };

export interface BullRunnerOptions {
  settings: QueueSettings;
  /** Stages this process works on; jobs of other stages are only sent to their queues. */
  consume: StageName[];
  log: Logger;
  /** Jobs at once per consumed stage (default: fetch from settings, 1 for the rest). */
  concurrency?: Partial<Record<StageName, number>>;
  retry?: Partial<RetryPolicy>;
  retention?: Partial<RetentionPolicy>;
  /**
   * How long a job stays claimed by a worker that stops renewing it (killed, frozen); after
   * that it goes back to waiting and another worker takes it. Default 30 s.
   */
  lockDurationMs?: number;
  /** How often consumers look for such stalled jobs; default lockDurationMs. */
  stalledIntervalMs?: number;
  /** Backpressure, or false for none (default DEFAULT_BACKPRESSURE). */
  backpressure?: Backpressure | false;
  /** Shown in `status` as the worker's name; default host:pid. */
  workerName?: string;
  /** Stage functions; default STAGES. Tests replace one to make a job fail. */
  stages?: Partial<Record<StageName, StageHandler>>;
  observer?: JobObserver;
  /** How often idle() looks at the queues. */
  idlePollMs?: number;
}

/** A second process consuming a writer stage would write to a store of its own. */
export class WriterConflictError extends Error {}

type Counts = Record<StageName, number>;
const zero = (): Counts => Object.fromEntries(PIPELINE.map((s) => [s, 0])) as Counts;

export class BullRunner implements Runner {
  readonly queues: ReadonlyMap<StageName, Queue<QueuedJob>>;
  private readonly workers = new Map<StageName, Worker<QueuedJob>>();
  private readonly connection: Redis;
  private readonly retry: RetryPolicy;
  private readonly retention: RetentionPolicy;
  private readonly handlers: Record<StageName, StageHandler>;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly running = zero();
  private readonly done = zero();
  private readonly failed = zero();
  private queued = zero();
  private dropped = 0;
  private stopping = false;
  private closed = false;
  private readonly pausedForPressure = new Set<StageName>();
  private pressureTimer: NodeJS.Timeout | undefined;
  readonly workerName: string;

  constructor(private readonly ctx: StageContext, private readonly opts: BullRunnerOptions) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.retention = { ...DEFAULT_RETENTION, ...opts.retention };
    this.handlers = { ...(STAGES as unknown as Record<StageName, StageHandler>), ...opts.stages };
    this.workerName = opts.workerName ?? `${hostname()}:${process.pid}`;
    this.connection = openRedis(opts.settings, 'runner');
    this.connection.on('error', (e) => this.warnOnce('redis', `Redis connection: ${e.message}`));
    const queues = new Map<StageName, Queue<QueuedJob>>();
    for (const stage of PIPELINE) {
      const q = new Queue<QueuedJob>(queueName(stage), { connection: this.connection, prefix: opts.settings.prefix });
      q.on('error', (e) => this.warnOnce(`queue:${stage}`, `queue ${stage}: ${e.message}`));
      queues.set(stage, q);
    }
    this.queues = queues;
  }

  /**
   * Starts consuming. Refuses to consume a writer stage (poll, persist) that another live
   * process already consumes: two writers would split the articles between two stores.
   */
  async start(): Promise<void> {
    for (const stage of this.opts.consume) {
      if (!WRITER_STAGES.has(stage)) continue;
      const others = await this.queue(stage).getWorkers();
      if (others.length > 0) {
        throw new WriterConflictError(
          `another process already consumes the ${stage} queue (${others.map((w) => w.rawname?.split(':w:')[1] ?? w.addr).join(', ')}); ` +
            'only one writer may run next to the store',
        );
      }
    }
    for (const stage of this.opts.consume) this.workers.set(stage, this.startWorker(stage));
    const bp = this.opts.backpressure === undefined ? DEFAULT_BACKPRESSURE : this.opts.backpressure;
    if (bp && this.opts.consume.some((s) => downstreamOf(s).length > 0)) {
      this.pressureTimer = setInterval(() => void this.applyBackpressure(bp), bp.checkMs);
      this.pressureTimer.unref();
    }
  }

  private queue(stage: StageName): Queue<QueuedJob> {
    return this.queues.get(stage)!;
  }

  private startWorker(stage: StageName): Worker<QueuedJob> {
    const lockDuration = this.opts.lockDurationMs ?? 30_000;
    const worker = new Worker<QueuedJob>(queueName(stage), (job) => this.process(stage, job), {
      connection: this.connection,
      prefix: this.opts.settings.prefix,
      name: this.workerName,
      concurrency: this.opts.concurrency?.[stage] ?? (stage === 'fetch' ? this.ctx.config.settings.pipeline.fetchConcurrency : 1),
      lockDuration,
      stalledInterval: this.opts.stalledIntervalMs ?? lockDuration,
      // A job whose worker died twice is more likely the cause than the victim.
      maxStalledCount: 2,
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoff(attemptsMade, this.retry) },
    });
    worker.on('error', (e) => this.warnOnce(`worker:${stage}`, `${stage} worker: ${e.message}`));
    worker.on('stalled', (id) => this.opts.log.warn('job stalled (its worker stopped renewing it): queued again', { stage, job: id }));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      const where = { stage, job: job.id, attempts: job.attemptsMade, ...describePayload(job.data.payload) };
      if (final) this.opts.log.error(`job failed for good: ${err.message}`, where);
      else this.opts.log.warn(`job failed, will retry: ${err.message}`, where);
    });
    return worker;
  }

  private async process(stage: StageName, job: BullJob<QueuedJob>): Promise<{ next: number; skipped?: string }> {
    const started = performance.now();
    this.running[stage]++;
    try {
      const skip = job.data.scheduled ? this.scheduledPollSkip(job.data.payload) : null;
      if (skip) return { next: 0, skipped: skip };
      const next = await (stage === 'persist' && this.ctx.store ? this.inGroupCommit(stage, job.data.payload) : this.handlers[stage](job.data.payload, this.ctx));
      // Polls fan out to many pages and are not held; a chain's head is, until the chain
      // reaches the store (see jobOptions).
      const holds: Hold[] = stage === 'poll' ? [] : job.data.holds.length > 0 ? job.data.holds : [{ stage, id: job.id! }];
      await this.add(next, holds);
      if (next.length === 0) await this.release(job.data.holds);
      this.done[stage]++;
      this.opts.observer?.finished(stage, 'completed', (performance.now() - started) / 1000);
      return { next: next.length };
    } catch (e) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) this.failed[stage]++;
      this.opts.observer?.finished(stage, final ? 'failed' : 'retry', (performance.now() - started) / 1000);
      throw e;
    } finally {
      this.running[stage]--;
    }
  }

  private group: { stage: StageName; payload: unknown; settle: (p: Promise<Job[]>) => void }[] = [];
  private groupTimer: NodeJS.Timeout | undefined;

  /**
   * Store writes of jobs arriving within a few milliseconds share one SQLite transaction:
   * one commit for many articles instead of one each, in the one process that cannot be
   * scaled out. The persist stage writes synchronously, so its statements run
   * inside the transaction; each job still succeeds or fails on its own (a failing article
   * rolls back to its own savepoint).
   */
  private inGroupCommit(stage: StageName, payload: unknown): Promise<Job[]> {
    return new Promise<Promise<Job[]>>((settle) => {
      this.group.push({ stage, payload, settle });
      if (this.group.length >= 64) this.flushGroup();
      else this.groupTimer ??= setTimeout(() => this.flushGroup(), 3);
    }).then((p) => p);
  }

  private flushGroup(): void {
    clearTimeout(this.groupTimer);
    this.groupTimer = undefined;
    const items = this.group.splice(0);
    const results: Promise<Job[]>[] = [];
    try {
      this.ctx.store!.db.transaction(() => {
        for (const it of items) results.push(this.handlers[it.stage](it.payload, this.ctx));
      })();
    } catch (e) {
      // The commit itself failed: none of the group is stored; every job fails and is retried.
      for (const it of items) it.settle(Promise.reject(e));
      return;
    }
    items.forEach((it, i) => it.settle(results[i]!));
  }

  /**
   * A feed's scheduler ticks at its configured interval; the feed itself may be backing off
   * after failures or be gone (410). Such ticks are skipped, so the store's schedule rules.
   */
  private scheduledPollSkip(payload: unknown): string | null {
    const store = this.ctx.store;
    const feedId = (payload as { feedId?: string }).feedId;
    if (!store || !feedId) return null;
    const feed = store.feed(feedId);
    if (!feed || feed.in_config === 0 || feed.enabled === 0) return 'feed not configured or disabled';
    if (feed.disabled_reason) return `feed disabled: ${feed.disabled_reason}`;
    const slack = Math.max(60_000, feed.interval_ms / 10);
    if (feed.next_poll_at !== null && feed.next_poll_at > this.ctx.now() + slack) return 'feed backing off';
    return null;
  }

  /** Sends jobs to their stage queues; a job whose id is already in a queue is not added again. */
  private async add(jobs: Job[], holds: Hold[]): Promise<void> {
    const byStage = new Map<StageName, Job[]>();
    for (const j of jobs) byStage.set(j.stage, [...(byStage.get(j.stage) ?? []), j]);
    await Promise.all(
      [...byStage].map(([stage, list]) => {
        const opts = jobOptions(stage, this.retry, this.retention, holds.length === 0);
        const bull = list.map((j) => ({ name: stage, data: { payload: j.payload, holds }, opts: { ...opts, jobId: bullJobId(j.id) } }));
        // Most stages hand on one job; addBulk's pipeline costs more to set up than the add.
        if (bull.length === 1) return this.queue(stage).add(bull[0]!.name, bull[0]!.data, bull[0]!.opts);
        return this.queue(stage).addBulk(bull);
      }),
    );
  }

  /** The chain is done: its finished ancestors no longer need to block their ids. */
  private async release(holds: Hold[]): Promise<void> {
    await Promise.all(
      holds.map((h) =>
        this.queue(h.stage)
          .remove(h.id)
          .catch(() => 0), // still locked (finishing right now) or gone: the age limit removes it
      ),
    );
  }

  submit(jobs: Job[]): void {
    if (this.stopping) {
      this.dropped += jobs.length;
      return;
    }
    this.track(this.add(jobs, []).catch((e) => this.opts.log.error(`could not queue jobs: ${(e as Error).message}`, { jobs: jobs.length })));
  }

  /** Adds jobs and resolves when they are in Redis. */
  async submitAndWait(jobs: Job[]): Promise<void> {
    await this.add(jobs, []);
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * Resolves when no queue holds work: nothing waiting, active or delayed (a retry).
   * Queues are read upstream first: a job hands its follow-ups to the next queue before it
   * leaves its own, so work in flight is always seen in one of them. Delayed polls made by
   * feed schedulers are the next ticks, not work. Also resolves once the runner is stopping:
   * what is still queued then is left for the next consumer.
   */
  async idle(): Promise<void> {
    const pollMs = this.opts.idlePollMs ?? 250;
    for (;;) {
      while (this.pending.size > 0) await Promise.all([...this.pending]);
      if (this.stopping) return;
      if (await this.queuesEmpty()) return;
      await sleep(pollMs);
    }
  }

  private async queuesEmpty(): Promise<boolean> {
    const queued = zero();
    let empty = true;
    for (const stage of PIPELINE) {
      const q = this.queue(stage);
      const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
      let delayed = c.delayed ?? 0;
      if (stage === 'poll' && delayed > 0) {
        const jobs = await q.getDelayed(0, 999);
        delayed = jobs.filter((j) => !j.repeatJobKey && !j.data?.scheduled).length;
      }
      queued[stage] = (c.waiting ?? 0) + (c.prioritized ?? 0) + delayed;
      if (queued[stage] + (c.active ?? 0) + (c['waiting-children'] ?? 0) > 0) empty = false;
    }
    this.queued = queued;
    return empty;
  }

  private async applyBackpressure(bp: Backpressure): Promise<void> {
    if (this.stopping) return;
    try {
      const depth = new Map<StageName, number>();
      for (const stage of PIPELINE) {
        const c = await this.queue(stage).getJobCounts('waiting', 'prioritized');
        depth.set(stage, (c.waiting ?? 0) + (c.prioritized ?? 0));
      }
      for (const [stage, worker] of this.workers) {
        const below = downstreamOf(stage).reduce((n, s) => n + (depth.get(s) ?? 0), 0);
        if (!this.pausedForPressure.has(stage) && below > bp.high) {
          this.pausedForPressure.add(stage);
          // Jobs in progress finish; no new one starts until the queues below drain.
          void worker.pause(true);
          this.opts.log.info(`${stage} paused: ${below} jobs wait in the queues after it (over ${bp.high})`, { stage });
        } else if (this.pausedForPressure.has(stage) && below <= bp.low) {
          this.pausedForPressure.delete(stage);
          worker.resume();
          this.opts.log.info(`${stage} resumed: ${below} jobs wait after it`, { stage });
        }
      }
    } catch (e) {
      this.warnOnce('pressure', `backpressure check: ${(e as Error).message}`);
    }
  }

  /** Stages paused right now because the queues after them are too deep. */
  get pausedStages(): StageName[] {
    return [...this.pausedForPressure];
  }

  /**
   * Stops taking jobs and waits for the ones in progress to finish and hand on their
   * follow-ups. Queued jobs stay in Redis for the next consumer: nothing is dropped.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pressureTimer) clearInterval(this.pressureTimer);
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** stop(), then closes the queues and the Redis connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop();
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  stats(): RunnerStats {
    return { queued: { ...this.queued }, running: { ...this.running }, done: { ...this.done }, failed: { ...this.failed }, dropped: this.dropped };
  }

  private readonly warned = new Map<string, number>();
  // A Redis outage makes every client complain many times a second; once per 10 s is enough.
  private warnOnce(key: string, message: string): void {
    const now = Date.now();
    if ((this.warned.get(key) ?? 0) > now - 10_000) return;
    this.warned.set(key, now);
    this.opts.log.warn(message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
