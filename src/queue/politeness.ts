// Politeness shared by every machine that fetches: per-host pacing and concurrency, and the
// robots.txt cache, held in Redis. Two workers on two machines then never exceed one host's
// limits together, and robots.txt is fetched once for all of them.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HostPacer, RobotsCache, RobotsEntry } from '../http/index.ts';

// One request start per call, atomically: drop expired leases, check the host's concurrency
// and gap, then take a lease. Leases expire, so a worker killed mid-request frees its slot
// when its lease runs out instead of holding it for ever. Times come from Redis's clock, the
// one clock all machines share.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now}
end
local gap = tonumber(ARGV[2])
local raised = tonumber(redis.call('GET', KEYS[3]) or '0')
if raised > gap then gap = raised end
local last = redis.call('GET', KEYS[2])
if last then
  local wait = tonumber(last) + gap - now
  if wait > 0 then return {-1, wait} end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
redis.call('SET', KEYS[2], now, 'PX', gap + 1000)
return {1, 0}
`;

// Extends a lease still held; a lease already expired (and maybe taken over) is not revived.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
`;

const RAISE_GAP = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

export interface RedisHostPacerOptions {
  prefix: string;
  minGapMs: number;
  maxConcurrency: number;
  /** How long a slot stays taken without renewal (a killed holder); renewed while held. Default 30 s. */
  leaseMs?: number;
  /** How long a raised gap (robots.txt Crawl-delay) is remembered. Default 24 h. */
  raisedGapTtlMs?: number;
}

type Reply = [number, number];

export class RedisHostPacer implements HostPacer {
  private readonly leaseMs: number;
  private readonly raisedGapTtlMs: number;

  constructor(private readonly redis: Redis, private readonly opts: RedisHostPacerOptions) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.raisedGapTtlMs = opts.raisedGapTtlMs ?? 24 * 3_600_000;
    redis.defineCommand('mmPaceAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand('mmPaceRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('mmPaceRaise', { numberOfKeys: 1, lua: RAISE_GAP });
  }

  private keys(host: string): [string, string, string] {
    const base = `${this.opts.prefix}:host:${host}`;
    return [`${base}:leases`, `${base}:last`, `${base}:gap`];
  }

  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    const [leases, last, gap] = this.keys(host);
    const token = randomUUID();
    const cmd = this.redis as unknown as {
      mmPaceAcquire(...args: (string | number)[]): Promise<Reply>;
      mmPaceRenew(...args: (string | number)[]): Promise<number>;
    };
    let busyWait = 10;
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const [ok, wait] = await cmd.mmPaceAcquire(leases, last, gap, token, this.opts.minGapMs, this.opts.maxConcurrency, this.leaseMs);
      if (ok === 1) break;
      if (ok === -1) {
        await sleep(wait, signal);
      } else {
        // All slots taken: a holder usually finishes long before its lease would run out,
        // so look again soon, backing off while the host stays busy.
        await sleep(Math.min(busyWait, Math.max(1, wait)), signal);
        busyWait = Math.min(busyWait * 2, 250);
      }
    }
    const renew = setInterval(() => {
      void cmd.mmPaceRenew(leases, token, this.leaseMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    renew.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      // If Redis is away the lease simply expires.
      void this.redis.zrem(leases, token).catch(() => undefined);
    };
  }

  async raiseMinGap(host: string, minGapMs: number): Promise<void> {
    if (minGapMs <= this.opts.minGapMs) return;
    const [, , gap] = this.keys(host);
    await (this.redis as unknown as { mmPaceRaise(...args: (string | number)[]): Promise<number> }).mmPaceRaise(gap, Math.round(minGapMs), this.raisedGapTtlMs);
  }
}

/**
 * robots.txt per origin in Redis, expiring with the TTL the HTTP client gives. Each process
 * also keeps what it read for a short while (every page fetch asks), so a busy worker does
 * not ask Redis for the same file many times a second.
 */
export class RedisRobotsCache implements RobotsCache {
  private readonly local = new Map<string, { entry: RobotsEntry; until: number }>();

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly localMs = 30_000) {}

  private key(origin: string): string {
    return `${this.prefix}:robots:${origin}`;
  }

  async get(origin: string): Promise<RobotsEntry | undefined> {
    const hit = this.local.get(origin);
    if (hit && hit.until > Date.now()) return hit.entry;
    this.local.delete(origin);
    const [[, raw], [, pttl]] = (await this.redis.multi().get(this.key(origin)).pttl(this.key(origin)).exec()) as [[unknown, string | null], [unknown, number]];
    if (raw === null) return undefined;
    let entry: RobotsEntry;
    try {
      entry = JSON.parse(raw) as RobotsEntry;
    } catch {
      return undefined;
    }
    if (typeof entry.status !== 'number' || typeof entry.fetchedAt !== 'number') return undefined;
    this.remember(origin, entry, pttl);
    return entry;
  }

  async set(origin: string, entry: RobotsEntry, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    await this.redis.set(this.key(origin), JSON.stringify(entry), 'PX', ttl);
    this.remember(origin, entry, ttl);
  }

  private remember(origin: string, entry: RobotsEntry, ttlMs: number): void {
    if (this.local.size > 1_000) this.local.delete(this.local.keys().next().value!);
    this.local.set(origin, { entry, until: Date.now() + Math.min(this.localMs, ttlMs > 0 ? ttlMs : 0) });
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(abortReason(signal!));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
