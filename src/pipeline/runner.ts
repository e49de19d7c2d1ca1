// How jobs travel between stages. The embedded runner below keeps them in memory with a
// concurrency limit per stage; the distributed mode implements the same interface on
// BullMQ queues. Stages never know which one they run under.
import type { Logger } from '../log/logger.ts';
import { STAGES, type Job, type StageContext, type StageName } from './stages.ts';

export interface RunnerStats {
  queued: Record<StageName, number>;
  running: Record<StageName, number>;
  done: Record<StageName, number>;
  failed: Record<StageName, number>;
  dropped: number;
}

export interface Runner {
  /** Adds jobs; a job whose id is already queued or in progress is dropped. */
  submit(jobs: Job[]): void;
  /** Resolves when every submitted job and all jobs they led to are finished. */
  idle(): Promise<void>;
  /** Stops starting jobs: queued ones are dropped (their items stay pending in the store and
   *  are offered again by the next poll), running ones finish with their follow-up jobs. */
  stop(): Promise<void>;
  stats(): RunnerStats;
}

export interface LocalRunnerOptions {
  concurrency: Record<StageName, number>;
  log: Logger;
}

interface Entry {
  job: Job;
  /** Dedup keys held until this job and everything it led to are done. */
  holds: string[];
}

const STAGE_NAMES: StageName[] = ['poll', 'fetch', 'analyse', 'persist'];
const zero = (): Record<StageName, number> => ({ poll: 0, fetch: 0, analyse: 0, persist: 0 });

export class LocalRunner implements Runner {
  private readonly queues: Record<StageName, Entry[]> = { poll: [], fetch: [], analyse: [], persist: [] };
  private readonly running = zero();
  private readonly done = zero();
  private readonly failed = zero();
  private dropped = 0;
  // A key stays held while any job descended from it is queued or running, so a page whose
  // fetch has finished but whose article is not yet written is not fetched a second time.
  private readonly held = new Map<string, number>();
  private draining = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly ctx: StageContext, private readonly opts: LocalRunnerOptions) {}

  submit(jobs: Job[]): void {
    for (const job of jobs) this.enqueue(job, []);
    this.pump();
  }

  private enqueue(job: Job, inherited: string[]): void {
    // While draining, running jobs may still hand their results to persist; nothing new starts.
    if (this.draining && job.stage !== 'persist') {
      this.dropped++;
      return;
    }
    if (this.held.has(job.id)) {
      this.dropped++;
      return;
    }
    const holds = [...inherited, job.id];
    for (const k of holds) this.held.set(k, (this.held.get(k) ?? 0) + 1);
    this.queues[job.stage].push({ job, holds });
  }

  private release(holds: string[]): void {
    for (const k of holds) {
      const n = (this.held.get(k) ?? 1) - 1;
      if (n <= 0) this.held.delete(k);
      else this.held.set(k, n);
    }
  }

  private pump(): void {
    // Later stages first: finishing work frees memory and makes results visible sooner.
    for (const stage of [...STAGE_NAMES].reverse()) {
      const q = this.queues[stage];
      while (q.length > 0 && this.running[stage] < this.opts.concurrency[stage]) {
        const entry = q.shift()!;
        this.running[stage]++;
        void this.execute(entry);
      }
    }
    if (this.isIdle()) {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
  }

  private async execute(entry: Entry): Promise<void> {
    const { job } = entry;
    try {
      const handler = STAGES[job.stage] as (payload: unknown, ctx: StageContext) => Promise<Job[]>;
      const next = await handler(job.payload, this.ctx);
      this.done[job.stage]++;
      for (const n of next) this.enqueue(n, entry.holds);
    } catch (e) {
      // An unexpected error in one job (a bug, a page that breaks a parser) is logged with
      // the job and the rest goes on; the item stays pending and is retried by a later poll.
      this.failed[job.stage]++;
      this.opts.log.error(`job failed: ${(e as Error).message}`, { stage: job.stage, job: job.id, payload: summarise(job), stack: (e as Error).stack?.split('\n').slice(1, 4).join(' | ') });
    } finally {
      this.running[job.stage]--;
      this.release(entry.holds);
      this.pump();
    }
  }

  private isIdle(): boolean {
    return STAGE_NAMES.every((s) => this.queues[s].length === 0 && this.running[s] === 0);
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.draining = true;
    for (const stage of STAGE_NAMES) {
      // Persist jobs carry finished work: write them rather than lose it.
      if (stage === 'persist') continue;
      const q = this.queues[stage];
      this.dropped += q.length;
      for (const e of q.splice(0)) this.release(e.holds);
    }
    this.pump();
    await this.idle();
  }

  stats(): RunnerStats {
    const queued = zero();
    for (const s of STAGE_NAMES) queued[s] = this.queues[s].length;
    return { queued, running: { ...this.running }, done: { ...this.done }, failed: { ...this.failed }, dropped: this.dropped };
  }
}

function summarise(job: Job): Record<string, unknown> {
  switch (job.stage) {
    case 'poll':
      return { feed: job.payload.feedId };
    case 'fetch':
      return { feed: job.payload.feedId, url: job.payload.url };
    case 'analyse':
      return { feed: job.payload.feedId, url: job.payload.article.url };
    case 'persist':
      return { feed: job.payload.feedId, url: job.payload.kind === 'article' ? job.payload.article.url : job.payload.url };
  }
}
