import type http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient, MemoryRobotsCache, defaultHttpOptions, type HttpClientOptions } from '../../src/http/index.ts';
import { robotsPolicy } from '../../src/http/robots.ts';
import { recordConnects, sleep, startServer, TEST_USER_AGENT, type TestServer, failure } from './server.ts';

const connects = recordConnects();
let server: TestServer;
const clients: HttpClient[] = [];
/** What /robots.txt answers in the current test: a status and body, or 'reset' to drop the connection. */
let robots: { status: number; body: string } | 'reset' | { redirect: string } = { status: 404, body: '' };

const POLICY = ['User-agent: *', 'Disallow: /', '', 'User-agent: Mediamittari', 'Disallow: /private', 'Allow: /', ''].join('\n');

function client(partial: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient(
    defaultHttpOptions({ userAgent: TEST_USER_AGENT, allowedOrigins: [server.origin], hostMinGapMs: 0, respectRobots: true, retryBaseMs: 20, retries: 0, ...partial }),
  );
  clients.push(c);
  return c;
}

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '/';
  if (path === '/robots.txt') {
    if (robots === 'reset') return void req.socket.destroy();
    if ('redirect' in robots) {
      res.writeHead(301, { location: robots.redirect });
      return void res.end();
    }
    res.writeHead(robots.status, { 'content-type': 'text/plain' });
    return void res.end(robots.body);
  }
  if (path === '/moved-robots.txt') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('User-agent: Mediamittari\nDisallow: /secret\n');
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`page ${path}`);
}

const robotsHits = (): number => server.requests.filter((r) => r.path === '/robots.txt').length;
const pageHits = (path: string): number => server.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  server = await startServer(route);
});

beforeEach(() => {
  robots = { status: 404, body: '' };
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  connects.restore();
  for (const target of connects.targets) expect(target).toMatch(/^127\.0\.0\.1:\d+$/);
});

describe('robots.txt', () => {
  it('refuses a disallowed path for our product token without requesting it', async () => {
    robots = { status: 200, body: POLICY };
    const c = client();
    expect((await c.fetch(server.url('/public'))).text()).toBe('page /public');
    const err = await failure(c.fetch(server.url('/private/story')));
    expect(err.code).toBe('robots_disallowed');
    expect(err.message).toBe(`GET ${server.url('/private/story')}: disallowed by ${server.origin}/robots.txt for Mediamittari`);
    expect(pageHits('/private/story')).toBe(0);
  });

  it('fetches robots.txt once per origin for many requests, concurrent ones included', async () => {
    robots = { status: 200, body: POLICY };
    const c = client();
    const before = robotsHits();
    await Promise.all([c.fetch(server.url('/a')), c.fetch(server.url('/b')), c.fetch(server.url('/c'))]);
    await c.fetch(server.url('/d'));
    await failure(c.fetch(server.url('/private/1')));
    expect(await c.isAllowedByRobots(server.url('/e'))).toBe(true);
    expect(robotsHits() - before).toBe(1);
  });

  it('allows everything when robots.txt is 404', async () => {
    const c = client();
    const before = robotsHits();
    expect((await c.fetch(server.url('/private/x'))).status).toBe(200);
    expect((await c.fetch(server.url('/anything'))).status).toBe(200);
    expect(robotsHits() - before).toBe(1);
  });

  it('disallows everything while robots.txt answers 5xx, caches that briefly, then tries again', async () => {
    robots = { status: 500, body: 'oops' };
    const c = client({ robotsErrorTtlMs: 150 });
    const before = robotsHits();
    expect((await failure(c.fetch(server.url('/news/1')))).code).toBe('robots_disallowed');
    expect((await failure(c.fetch(server.url('/news/2')))).code).toBe('robots_disallowed');
    expect(robotsHits() - before).toBe(1);
    robots = { status: 404, body: '' };
    await sleep(200);
    expect((await c.fetch(server.url('/news/3'))).status).toBe(200);
    expect(robotsHits() - before).toBe(2);
  });

  it('disallows everything when robots.txt cannot be fetched at all', async () => {
    robots = 'reset';
    const err = await failure(client().fetch(server.url('/news/4')));
    expect(err.code).toBe('robots_disallowed');
    expect(pageHits('/news/4')).toBe(0);
  });

  it('refetches after robotsTtlMs', async () => {
    robots = { status: 200, body: POLICY };
    const c = client({ robotsTtlMs: 100 });
    const before = robotsHits();
    await c.fetch(server.url('/t1'));
    robots = { status: 200, body: 'User-agent: Mediamittari\nDisallow: /t\n' };
    await c.fetch(server.url('/t2')); // still the cached policy
    await sleep(150);
    expect((await failure(c.fetch(server.url('/t3')))).code).toBe('robots_disallowed');
    expect(robotsHits() - before).toBe(2);
  });

  it('shares a robots cache between clients', async () => {
    robots = { status: 200, body: POLICY };
    const cache = new MemoryRobotsCache();
    const before = robotsHits();
    await client({ robotsCache: cache }).fetch(server.url('/s1'));
    expect(await client({ robotsCache: cache }).isAllowedByRobots(server.url('/private/s2'))).toBe(false);
    expect(robotsHits() - before).toBe(1);
  });

  it('follows a redirect of robots.txt', async () => {
    robots = { redirect: '/moved-robots.txt' };
    const c = client();
    expect(await c.isAllowedByRobots(server.url('/secret/a'))).toBe(false);
    expect(await c.isAllowedByRobots(server.url('/open'))).toBe(true);
  });

  it('is skipped when respectRobots is off', async () => {
    robots = { status: 200, body: 'User-agent: *\nDisallow: /\n' };
    const before = robotsHits();
    expect((await client({ respectRobots: false }).fetch(server.url('/private/y'))).status).toBe(200);
    expect(robotsHits() - before).toBe(0);
  });

  it('raises the host gap to Crawl-delay', async () => {
    robots = { status: 200, body: 'User-agent: Mediamittari\nCrawl-delay: 0.3\nAllow: /\n' };
    const c = client();
    await c.fetch(server.url('/cd1'));
    await c.fetch(server.url('/cd2'));
    const [a, b] = [server.requests.find((r) => r.path === '/cd1')!, server.requests.find((r) => r.path === '/cd2')!];
    // 300 ms between starts; arrival on the server clock has some ms of jitter on a busy machine
    expect(b.at - a.at).toBeGreaterThanOrEqual(270);
  });
});

describe('robotsPolicy', () => {
  const url = 'https://lehti.example/robots.txt';
  it('matches the group of our product token over *', () => {
    const p = robotsPolicy(url, { status: 200, body: POLICY, fetchedAt: 0 }, 'Mediamittari');
    expect(p.isAllowed('https://lehti.example/uutiset/1')).toBe(true);
    expect(p.isAllowed('https://lehti.example/private/1')).toBe(false);
    const other = robotsPolicy(url, { status: 200, body: POLICY, fetchedAt: 0 }, 'OtherBot');
    expect(other.isAllowed('https://lehti.example/uutiset/1')).toBe(false);
  });
  it.each([
    [401, true],
    [403, true],
    [404, true],
    [410, true],
    [429, false],
    [500, false],
    [503, false],
    [0, false],
  ])('status %i → allowed %s', (status, allowed) => {
    expect(robotsPolicy(url, { status, body: null, fetchedAt: 0 }, 'Mediamittari').isAllowed('https://lehti.example/a')).toBe(allowed);
  });
});
