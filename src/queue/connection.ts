// Where the queues live: a Redis URL and a key prefix. Every key this mode writes (BullMQ's
// queues, host pacing, robots.txt) starts with the prefix, so several deployments (or test
// runs) can share one Redis without seeing each other's work.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

export interface QueueSettings {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  prefix: string;
}

export const DEFAULT_PREFIX = 'mm';
const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;

export class QueueSettingsError extends Error {}

/**
 * The distributed mode's settings from command-line flags and the environment (REDIS_URL,
 * MEDIAMITTARI_REDIS_PREFIX); null when no Redis is configured, i.e. the embedded mode.
 */
export function queueSettings(flags: { redis?: string; prefix?: string }, env: NodeJS.ProcessEnv = process.env): QueueSettings | null {
  const url = flags.redis ?? env.REDIS_URL;
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueSettingsError(`Redis URL '${url}' is not a URL (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueSettingsError(`Redis URL '${url}' must start with redis:// or rediss://`);
  }
  const prefix = flags.prefix ?? env.MEDIAMITTARI_REDIS_PREFIX ?? DEFAULT_PREFIX;
  if (!PREFIX.test(prefix)) throw new QueueSettingsError(`key prefix '${prefix}' may only hold letters, digits, '_', '.' and '-' (at most 64)`);
  return { url, prefix };
}

/** The URL without its password, for logs and status output. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}

/**
 * A Redis connection for this mode. BullMQ needs `maxRetriesPerRequest: null`: a command
 * waits for a dropped connection to come back instead of failing, which is what lets a run
 * ride out a Redis restart. The name lets operators (and tests) find our clients in CLIENT LIST.
 */
export function openRedis(settings: QueueSettings, role: string): Redis {
  return new Redis(settings.url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `${settings.prefix}:mm:${role}:${hostname()}:${process.pid}`,
    // Reconnect quickly at first, then every 2 s at most.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  });
}

/** Resolves when the connection is ready; rejects (and disconnects) if it is not within timeoutMs. */
export async function whenReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms (${lastError ?? 'no answer'})`));
    }, timeoutMs);
    let lastError: string | undefined;
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (e: Error) => {
      lastError = e.message;
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}
