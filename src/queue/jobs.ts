// What a pipeline job looks like in Redis, and how long it stays there.
import type { JobsOptions } from 'bullmq';
import type { StageName } from '../pipeline/stages.ts';
import { PIPELINE } from './topology.ts';

/** An earlier job of the same chain (fetch → analyse → persist) whose id is still held. */
export interface Hold {
  stage: StageName;
  /** BullMQ job id. */
  id: string;
}

/** BullMQ job data: the stage payload plus what the queue layer needs to know about it. */
export interface QueuedJob {
  payload: unknown;
  /**
   * The chain's finished head, kept in Redis so that its id keeps blocking a second
   * submission while its result is still on its way to the store (an item stays pending
   * until then, and a poll in between would offer it again). Released when the chain ends;
   * empty for the head itself.
   */
  holds: Hold[];
  /** Made by a feed's job scheduler rather than submitted for a pass. */
  scheduled?: boolean;
}

export interface RetryPolicy {
  /** Tries per job, the first included. */
  attempts: number;
  /** Wait before the second try; doubles with each further try. */
  backoffMs: number;
  /** Cap on one wait. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 2_000, maxBackoffMs: 5 * 60_000 };

/** The name of the custom backoff strategy the workers register. */
export const JITTER_BACKOFF = 'exponential-jitter';

/**
 * Exponential backoff with jitter: the n-th retry waits base·2^(n-1), capped, scaled by a
 * random factor in [0.5, 1), so that jobs failing together (a host going down) do not come
 * back together.
 */
export function jitteredBackoff(attemptsMade: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(exp, policy.maxBackoffMs);
  return Math.round(capped * (0.5 + random() / 2));
}

export interface RetentionPolicy {
  /** How long a finished job (not the last of its chain) blocks its id, at most. */
  keepCompletedMs: number;
  /** Failed jobs kept (newest) per queue, with their reason, for operators to see and retry. */
  keepFailed: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepCompletedMs: 3_600_000, keepFailed: 10_000 };

/**
 * Options of a job of `stage`; `chainHead` when it starts a chain (a page's fetch, as a poll
 * submits it). Only a chain's head is held when done: a poll offers a page again until its
 * article is stored, and the held id turns that away. The jobs after it are only ever
 * submitted by the job before them, and a page that reaches the store twice is recognised
 * there, so they (and polls) are removed when done. Failed jobs stay, newest first, up to
 * keepFailed.
 */
export function jobOptions(stage: StageName, retry: RetryPolicy, retention: RetentionPolicy, chainHead: boolean): JobsOptions {
  const last = PIPELINE[PIPELINE.length - 1];
  return {
    attempts: retry.attempts,
    backoff: { type: JITTER_BACKOFF, delay: retry.backoffMs },
    removeOnComplete: stage === 'poll' || stage === last || !chainHead ? true : { age: Math.ceil(retention.keepCompletedMs / 1000) },
    removeOnFail: { count: retention.keepFailed },
  };
}

/** A few fields of a payload that tell an operator which feed or page a job is about. */
export function describePayload(payload: unknown): { feed?: string; url?: string } {
  if (typeof payload !== 'object' || payload === null) return {};
  const p = payload as { feedId?: unknown; url?: unknown; article?: { url?: unknown } };
  const url = typeof p.url === 'string' ? p.url : typeof p.article?.url === 'string' ? p.article.url : undefined;
  return { feed: typeof p.feedId === 'string' ? p.feedId : undefined, url };
}
