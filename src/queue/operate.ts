// What operators see and do in the distributed mode: queue depths, rates, failed jobs with
// their reasons, live workers; retrying failed jobs and cleaning old ones.
import { Queue, type Metrics } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StageName } from '../pipeline/stages.ts';
import { openRedis, redactedUrl, whenReady, type QueueSettings } from './connection.ts';
import { describePayload, type QueuedJob } from './jobs.ts';
import { PIPELINE, queueName } from './topology.ts';

export interface StageOverview {
  stage: StageName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Jobs completed per minute, averaged over the last 5 minutes (from BullMQ's metrics). */
  perMinute: number;
  failedPerMinute: number;
  workers: number;
}

export interface FailedJob {
  stage: StageName;
  id: string;
  reason: string;
  attempts: number;
  failedAt: string | null;
  feed?: string;
  url?: string;
}

export interface WorkerInfo {
  name: string;
  stages: StageName[];
  addr: string;
  /** Seconds since the connection was made. */
  age: number;
}

export interface QueueOverview {
  redis: string;
  prefix: string;
  stages: StageOverview[];
  workers: WorkerInfo[];
  failed: FailedJob[];
  schedulers: number;
}

/** Runs fn with one Queue handle per stage on a connection of its own, then closes them. */
export async function withQueues<T>(settings: QueueSettings, fn: (queues: Map<StageName, Queue<QueuedJob>>, redis: Redis) => Promise<T>): Promise<T> {
  const redis = openRedis(settings, 'admin');
  redis.on('error', () => undefined); // whenReady reports it
  const queues = new Map<StageName, Queue<QueuedJob>>();
  try {
    await whenReady(redis);
    for (const stage of PIPELINE) queues.set(stage, new Queue<QueuedJob>(queueName(stage), { connection: redis, prefix: settings.prefix }));
    return await fn(queues, redis);
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
    redis.disconnect();
  }
}

/**
 * Jobs per minute over the last five minutes from BullMQ's metrics. The minute of the last
 * finished job is still open (count − prevCount); `data` holds the minutes before it, newest
 * first, and is only pushed when a job finishes in a later minute.
 */
export function perMinuteOver5(m: Metrics, now: number): number {
  const age = Math.floor(now / 60_000) - Math.floor(Number(m.meta.prevTS || 0) / 60_000);
  if (!m.meta.prevTS || age > 4) return 0;
  const open = Number(m.meta.count ?? 0) - Number(m.meta.prevCount ?? 0);
  const before = m.data.slice(0, 4 - age).reduce((a, b) => a + (Number(b) || 0), 0);
  return (open + before) / 5;
}

/** The worker name BullMQ put in the client name ('<prefix>:<queue>:w:<name>'). */
function workerNameOf(rawname: string | undefined): string {
  const i = rawname?.indexOf(':w:') ?? -1;
  return i >= 0 ? rawname!.slice(i + 3) : (rawname ?? '?');
}

export async function queueOverview(settings: QueueSettings, opts: { failedLimit?: number } = {}): Promise<QueueOverview> {
  const failedLimit = opts.failedLimit ?? 10;
  return withQueues(settings, async (queues) => {
    const stages: StageOverview[] = [];
    const failed: FailedJob[] = [];
    const workers = new Map<string, WorkerInfo>();
    for (const [stage, q] of queues) {
      const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
      const [done, broken] = await Promise.all([q.getMetrics('completed', 0, 4), q.getMetrics('failed', 0, 4)]);
      const now = Date.now();
      const live = await q.getWorkers();
      for (const w of live) {
        const name = workerNameOf(w.rawname);
        const info = workers.get(name) ?? { name, stages: [], addr: (w.addr ?? '?').replace(/:\d+$/, ''), age: Number(w.age ?? 0) };
        if (!info.stages.includes(stage)) info.stages.push(stage);
        workers.set(name, info);
      }
      stages.push({
        stage,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        perMinute: perMinuteOver5(done, now),
        failedPerMinute: perMinuteOver5(broken, now),
        workers: live.length,
      });
      for (const j of await q.getFailed(0, failedLimit - 1)) {
        if (!j) continue;
        failed.push({
          stage,
          id: j.id ?? '?',
          reason: j.failedReason ?? '',
          attempts: j.attemptsMade,
          failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
          ...describePayload(j.data?.payload),
        });
      }
    }
    failed.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
    const schedulers = await queues.get('poll')!.getJobSchedulersCount();
    return { redis: redactedUrl(settings.url), prefix: settings.prefix, stages, workers: [...workers.values()], failed: failed.slice(0, failedLimit), schedulers };
  });
}

/** Moves failed jobs back to waiting; returns how many per stage. */
export async function retryFailed(settings: QueueSettings, stages: StageName[] = [...PIPELINE]): Promise<Partial<Record<StageName, number>>> {
  return withQueues(settings, async (queues) => {
    const out: Partial<Record<StageName, number>> = {};
    for (const stage of stages) {
      const q = queues.get(stage)!;
      const n = await q.getFailedCount();
      if (n > 0) await q.retryJobs({ state: 'failed', count: 1_000 });
      out[stage] = n;
    }
    return out;
  });
}

/** Removes completed and failed jobs older than graceMs; returns how many per stage. */
export async function cleanJobs(settings: QueueSettings, graceMs: number, stages: StageName[] = [...PIPELINE]): Promise<Partial<Record<StageName, { completed: number; failed: number }>>> {
  return withQueues(settings, async (queues) => {
    const out: Partial<Record<StageName, { completed: number; failed: number }>> = {};
    for (const stage of stages) {
      const q = queues.get(stage)!;
      const completed = (await q.clean(graceMs, 0, 'completed')).length;
      const failed = (await q.clean(graceMs, 0, 'failed')).length;
      out[stage] = { completed, failed };
    }
    return out;
  });
}

/** Removes every queue, job and scheduler under the prefix (tests, and tearing a deployment down). */
export async function obliterateQueues(settings: QueueSettings): Promise<void> {
  await withQueues(settings, async (queues, redis) => {
    for (const q of queues.values()) await q.obliterate({ force: true });
    // Pacing and robots.txt entries are ours too.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${settings.prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  });
}

export function renderOverview(o: QueueOverview): string {
  const lines: string[] = [];
  lines.push(`queues: ${o.redis} (prefix ${o.prefix}), ${o.schedulers} feed schedules`);
  const header = ['stage', 'waiting', 'active', 'delayed', 'failed', 'completed', 'done/min', 'failed/min', 'workers'];
  const rows = o.stages.map((s) => [s.stage, s.waiting, s.active, s.delayed, s.failed, s.completed, s.perMinute.toFixed(1), s.failedPerMinute.toFixed(1), s.workers].map(String));
  lines.push(table(header, rows));
  lines.push('');
  if (o.workers.length === 0) lines.push('workers alive: none');
  else {
    lines.push(`workers alive: ${o.workers.length}`);
    for (const w of o.workers) lines.push(`  ${w.name.padEnd(28)} ${w.stages.join(',').padEnd(22)} ${w.addr}  up ${formatAge(w.age)}`);
  }
  if (o.failed.length > 0) {
    lines.push('');
    lines.push('failed jobs (newest first; `mediamittari jobs retry-failed` to try again):');
    for (const f of o.failed) {
      lines.push(`  ${f.stage.padEnd(8)} ${f.id}  ${f.attempts} attempts  ${f.failedAt?.slice(0, 19).replace('T', ' ') ?? ''}`);
      if (f.url ?? f.feed) lines.push(`           ${f.url ?? `feed ${f.feed}`}`);
      lines.push(`           ${f.reason.slice(0, 200)}`);
    }
  }
  return lines.join('\n');
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
