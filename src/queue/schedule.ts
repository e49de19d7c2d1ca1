// Feed polls in the distributed mode: one BullMQ job scheduler per enabled feed, ticking at
// the feed's interval. Kept in step with the config: new and changed feeds are upserted,
// removed and disabled ones lose their scheduler.
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../config/load.ts';
import type { QueuedJob } from './jobs.ts';

const SCHEDULER = /^feed:(.+)$/;

export function schedulerId(feedId: string): string {
  return `feed:${feedId}`;
}

export interface ScheduleChange {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

export async function syncPollSchedulers(queue: Queue<QueuedJob>, feeds: FeedConfig[], jobOpts: { attempts: number; backoff: { type: string; delay: number } }): Promise<ScheduleChange> {
  const existing = new Map<string, number | undefined>();
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const m = SCHEDULER.exec(s.key);
    if (m) existing.set(m[1]!, s.every === undefined || s.every === null ? undefined : Number(s.every));
  }
  const change: ScheduleChange = { added: [], updated: [], removed: [], unchanged: 0 };
  const wanted = feeds.filter((f) => f.enabled);
  for (const f of wanted) {
    const had = existing.get(f.id);
    if (existing.has(f.id) && had === f.intervalMs) {
      change.unchanged++;
      continue;
    }
    await queue.upsertJobScheduler(
      schedulerId(f.id),
      { every: f.intervalMs },
      { name: 'poll', data: { payload: { feedId: f.id }, holds: [], scheduled: true }, opts: { ...jobOpts, removeOnComplete: true, removeOnFail: { count: 1_000 } } },
    );
    (existing.has(f.id) ? change.updated : change.added).push(f.id);
  }
  const keep = new Set(wanted.map((f) => f.id));
  for (const id of existing.keys()) {
    if (keep.has(id)) continue;
    await queue.removeJobScheduler(schedulerId(id));
    change.removed.push(id);
  }
  return change;
}
