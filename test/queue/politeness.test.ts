// Politeness across machines: two pacers on two connections stand for two worker machines
// fetching from one host; robots.txt cached in Redis serves both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, defaultHttpOptions } from '../../src/http/index.ts';
import { RedisHostPacer, RedisRobotsCache } from '../../src/queue/politeness.ts';
import { REDIS_URL, cleanup, describeRedis, testSettings } from './helpers.ts';

describeRedis('Redis host pacer and robots cache', () => {
  const settings = testSettings('polite');
  let a: Redis;
  let b: Redis;

  beforeAll(() => {
    a = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    b = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    a.disconnect();
    b.disconnect();
    await cleanup(settings);
  });

  it('two machines together keep one host within its concurrency and gap', async () => {
    const opts = { prefix: settings.prefix, minGapMs: 40, maxConcurrency: 2 };
    const pacers = [new RedisHostPacer(a, opts), new RedisHostPacer(b, opts)];
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const release = await pacers[i % 2]!.acquire('news.example:443');
        starts.push(Date.now());
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 60));
        inFlight--;
        release();
      }),
    );
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBe(2);
    starts.sort((x, y) => x - y);
    // The gap holds at Redis; we see each start when its reply arrives, so single gaps may
    // look shorter by the jitter of two replies, but 11 gaps of 40 ms cannot shrink.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(11 * 40 - 20);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!).sort((x, y) => x - y);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(38);
    // Other hosts are not held up by this one.
    const t0 = Date.now();
    (await pacers[0]!.acquire('other.example:443'))();
    expect(Date.now() - t0).toBeLessThan(30);
  });

  it("a killed holder's slot comes free when its lease runs out", async () => {
    const opts = { prefix: settings.prefix, minGapMs: 0, maxConcurrency: 1, leaseMs: 300 };
    const dying = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    await new RedisHostPacer(dying, opts).acquire('slow.example:80');
    // The process dies holding the slot: no release, no renewal.
    dying.disconnect();
    const t0 = Date.now();
    const release = await new RedisHostPacer(b, opts).acquire('slow.example:80');
    const waited = Date.now() - t0;
    release();
    expect(waited).toBeGreaterThan(150);
    expect(waited).toBeLessThan(2_000);
  });

  it('a held slot is renewed and not taken over while its holder works', async () => {
    const opts = { prefix: settings.prefix, minGapMs: 0, maxConcurrency: 1, leaseMs: 300 };
    const release = await new RedisHostPacer(a, opts).acquire('busy.example:80');
    const other = new AbortController();
    setTimeout(() => other.abort(new Error('gave up')), 900);
    await expect(new RedisHostPacer(b, opts).acquire('busy.example:80', other.signal)).rejects.toThrow('gave up');
    release();
    (await new RedisHostPacer(b, opts).acquire('busy.example:80'))();
  });

  it('a Crawl-delay raised on one machine paces the other', async () => {
    const one = new RedisHostPacer(a, { prefix: settings.prefix, minGapMs: 0, maxConcurrency: 4 });
    const two = new RedisHostPacer(b, { prefix: settings.prefix, minGapMs: 0, maxConcurrency: 4 });
    await one.raiseMinGap('delay.example:80', 250);
    (await two.acquire('delay.example:80'))();
    const t0 = Date.now();
    (await one.acquire('delay.example:80'))();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
  });

  describe('robots.txt', () => {
    let server: Server;
    let origin: string;
    let robotsHits = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/robots.txt') {
          robotsHits++;
          res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>ok</p></body></html>');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('is fetched once for all machines and obeyed by each', async () => {
      const client = (redis: Redis) =>
        new HttpClient(
          defaultHttpOptions({
            userAgent: 'Mediamittari/0.1 (mailto:test@localhost)',
            allowedOrigins: [origin],
            pacer: new RedisHostPacer(redis, { prefix: settings.prefix, minGapMs: 0, maxConcurrency: 4 }),
            robotsCache: new RedisRobotsCache(redis, settings.prefix),
          }),
        );
      const [c1, c2] = [client(a), client(b)];
      try {
        expect((await c1.fetch(`${origin}/news/1`)).status).toBe(200);
        expect((await c2.fetch(`${origin}/news/2`)).status).toBe(200);
        await expect(c2.fetch(`${origin}/private/x`)).rejects.toMatchObject({ code: 'robots_disallowed' });
        expect(robotsHits).toBe(1);
        const cached = await new RedisRobotsCache(b, settings.prefix).get(origin);
        expect(cached?.status).toBe(200);
        expect(cached?.body).toContain('Disallow: /private/');
      } finally {
        c1.close();
        c2.close();
      }
    });

    it('expires with the TTL it was given', async () => {
      const cache = new RedisRobotsCache(a, settings.prefix);
      await cache.set('http://ttl.example', { body: 'User-agent: *', status: 200, fetchedAt: 1 }, 150);
      expect(await cache.get('http://ttl.example')).toEqual({ body: 'User-agent: *', status: 200, fetchedAt: 1 });
      await new Promise((r) => setTimeout(r, 250));
      expect(await cache.get('http://ttl.example')).toBeUndefined();
    });
  });
});
