// The distributed mode on the dashboard: queue depths, failed jobs with their reasons and
// retrying them, and Bull Board at /queues/board — only for operators, working offline.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { QueuedJob } from '../../src/queue/jobs.ts';
import { cleanup, describeRedis, testSettings, waitUntil } from '../queue/helpers.ts';
import { ARTIFACTS, csrfOf, describeBrowser, launchChromium, startWebFixture, type WebFixture } from './harness.ts';

describeRedis('queues on the dashboard', () => {
  const settings = testSettings('web');
  let fx: WebFixture;
  let redis: Redis;
  const queues: Queue<QueuedJob>[] = [];

  beforeAll(async () => {
    fx = await startWebFixture({ queue: settings });
    redis = new Redis(settings.url, { maxRetriesPerRequest: null });
    const queue = (name: string) => {
      const q = new Queue<QueuedJob>(name, { connection: redis, prefix: settings.prefix });
      queues.push(q);
      return q;
    };
    // Three pages wait for a fetch worker; one analysis failed.
    const fetchQ = queue('fetch');
    for (const n of [1, 2, 3]) await fetchQ.add('fetch', { payload: { url: `https://lehti.example/juttu-${n}`, feedId: 'forssan-seutu' }, holds: [] });
    const analyseQ = queue('analyse');
    await analyseQ.add('analyse', { payload: { article: { url: 'https://lehti.example/rikki' } }, holds: [] }, { attempts: 1 });
    const worker = new Worker<QueuedJob>(
      'analyse',
      async () => {
        throw new Error('lexicon groups.yaml could not be read');
      },
      { connection: new Redis(settings.url, { maxRetriesPerRequest: null }), prefix: settings.prefix },
    );
    await waitUntil('the analysis job to fail', async () => (await analyseQ.getFailedCount()) === 1, 30_000);
    await worker.close();
  }, 300_000);

  afterAll(async () => {
    await fx?.close();
    await Promise.all(queues.map((q) => q.close()));
    redis?.disconnect();
    await cleanup(settings);
  });

  async function get(path: string, cookie?: string) {
    const res = await fetch(`${fx.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text: await res.text() };
  }

  function cell(page: string, stage: string, col: string): number {
    const d = new JSDOM(page).window.document;
    return Number(d.querySelector(`tr[data-stage="${stage}"] td[data-col="${col}"]`)!.textContent);
  }

  it('shows depths per stage, failed jobs with their reasons, and workers', async () => {
    const cookie = await fx.login('operator');
    const page = await get('/queues', cookie);
    expect(page.status).toBe(200);
    expect(cell(page.text, 'fetch', 'waiting')).toBe(3);
    expect(cell(page.text, 'analyse', 'failed')).toBe(1);
    expect(cell(page.text, 'poll', 'waiting')).toBe(0);
    expect(page.text).toContain('lexicon groups.yaml could not be read');
    expect(page.text).toContain('https://lehti.example/rikki');
    expect(page.text).toContain(settings.prefix);
    expect(page.text).toContain('Yhtään työprosessia ei ole käynnissä.');
    expect(page.text).toContain('href="/queues/board/"');
    // The navigation offers the queues in this mode.
    expect(page.text).toMatch(/<a href="\/queues" aria-current="page">Jonot<\/a>/);
  });

  it('retries failed jobs on a form with the check, for operators only', async () => {
    const analyst = await fx.login('analyst');
    const operator = await fx.login('operator');
    const form = async (cookie: string, fields: Record<string, string>) => {
      const res = await fetch(`${fx.url}/queues/retry`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
      await res.arrayBuffer();
      return res;
    };
    expect((await form(analyst, { _csrf: csrfOf(fx, analyst), stage: 'analyse' })).status).toBe(403);
    expect((await form(operator, { stage: 'analyse' })).status).toBe(403);
    expect((await form(operator, { _csrf: csrfOf(fx, operator), stage: 'extract' })).status).toBe(400);
    expect(cell((await get('/queues', operator)).text, 'analyse', 'failed')).toBe(1);

    const res = await form(operator, { _csrf: csrfOf(fx, operator), stage: 'analyse' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/queues?retried=1');
    const after = await get('/queues?retried=1', operator);
    expect(after.text).toContain('1 epäonnistunutta työtä palautettiin jonoon.');
    expect(cell(after.text, 'analyse', 'failed')).toBe(0);
    expect(cell(after.text, 'analyse', 'waiting')).toBe(1);
  });

  it('is refused to viewers and analysts, and sends anonymous visitors to log in', async () => {
    for (const path of ['/queues', '/queues/board/', '/queues/board/api/queues']) {
      for (const role of ['viewer', 'analyst'] as const) expect((await get(path, await fx.login(role))).status, `${role} ${path}`).toBe(403);
      const anon = await get(path);
      expect(anon.status).toBe(303);
      expect(anon.location).toMatch(/^\/login\?next=/);
    }
  });

  it('mounts Bull Board for operators with its own files, and its actions pass the CSRF check', async () => {
    const cookie = await fx.login('operator');
    const page = await get('/queues/board', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<base href="/queues/board/" />');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const xsrf = page.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))!;
    expect(xsrf).toContain(`XSRF-TOKEN=${csrfOf(fx, cookie)}`);
    expect(xsrf).toMatch(/Path=\/queues\/board/);
    const assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => a.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    for (const a of assets) {
      const res = await fetch(`${fx.url}/queues/board/${a}`, { headers: { cookie } });
      expect(res.status, a).toBe(200);
      expect((await res.arrayBuffer()).byteLength, a).toBeGreaterThan(0);
    }
    const api = await fetch(`${fx.url}/queues/board/api/queues`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['analyse', 'fetch', 'persist', 'poll']);
    expect(body.queues.find((q) => q.name === 'fetch')!.counts.waiting).toBe(3);

    const put = async (headers: Record<string, string>) => {
      const res = await fetch(`${fx.url}/queues/board/api/queues/fetch/pause`, { method: 'PUT', headers: { cookie, ...headers } });
      await res.arrayBuffer();
      return res;
    };
    expect((await put({})).status).toBe(403);
    expect((await put({ 'x-xsrf-token': 'väärä' })).status).toBe(403);
    expect((await put({ 'x-xsrf-token': csrfOf(fx, cookie) })).status).toBe(200);
    expect(await queues[0]!.isPaused()).toBe(true);
    await queues[0]!.resume();
  });

  describeBrowser('in a browser', () => {
    it('Bull Board loads from this server alone and shows the four queues', async () => {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext();
        const [name, value] = (await fx.login('operator')).split('=') as [string, string];
        await context.addCookies([{ name, value, url: fx.url }]);
        const page = await context.newPage();
        const elsewhere: string[] = [];
        // Failed requests with the reason, e.g. '<url> csp' for one the policy stopped.
        const failed: string[] = [];
        const cspErrors: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(fx.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
        });
        page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
        page.on('console', (m) => {
          if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
        });
        await page.goto(`${fx.url}/queues/board/`);
        for (const q of ['poll', 'fetch', 'analyse', 'persist']) await page.getByText(q, { exact: true }).first().waitFor({ timeout: 30_000 });
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'operator-bull-board.png'), fullPage: true });
        // Its fonts stylesheet on Google's servers is refused by the policy, and nothing else leaves.
        expect(failed.filter((u) => u.startsWith(fx.url))).toEqual([]);
        for (const u of elsewhere) expect(failed, u).toContain(`${u} csp`);
        expect(cspErrors.filter((e) => !/fonts\.googleapis\.com/.test(e))).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90_000);
  });
});
