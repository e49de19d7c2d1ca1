// The distributed mode's command line as operators use it: real processes, exit codes,
// JSON output, and a graceful stop on SIGTERM with a job in progress.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { syntheticCorpus, writeSyntheticConfig } from '../../src/demo/synthetic.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { startQueueProcess } from '../../src/queue/processes.ts';
import { cleanup, describeRedis, startCli, testSettings, waitForOutput, waitUntil } from './helpers.ts';

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const p = startCli(args, env);
  const code = await p.exited;
  return { code, out: p.output() };
}

describeRedis('mediamittari workers, jobs, status --redis', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let configDir: string;
  const settings = testSettings('cli');
  const redis = ['--redis', settings.url, '--prefix', settings.prefix];

  beforeAll(async () => {
    // One slow page: a job that is still running when the worker is told to stop.
    server = createServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html lang="fi"><head><title>Hidas sivu</title></head><body><article><h1>Hidas sivu</h1>
<p>Kaupunginvaltuusto käsitteli maanantaina talousarviota pitkään, ja kokous venyi myöhään iltaan asti.</p>
<p>Päätös syntyi lopulta äänestyksen jälkeen, ja osa valtuutetuista jätti eriävän mielipiteen.</p></article></body></html>`);
      }, 1_500);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'mm-queue-cli-'));
    configDir = writeSyntheticConfig(join(dir, 'config'), { baseUrl: base, corpus: syntheticCorpus({ articles: 2, seed: 1 }), storePath: join(dir, 'store.db') });
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
    await cleanup(settings);
  });

  it('says what is wrong with exit 2 (usage) or 3 (Redis unreachable)', async () => {
    const [noRedis, badUrl, badStage, badGrace, unreachable, runBadUrl] = await Promise.all([
      cli(['--config', configDir, 'workers']),
      cli(['--config', configDir, 'workers', '--redis', 'http://127.0.0.1:6379']),
      cli(['jobs', 'retry-failed', '--stage', 'extract', ...redis]),
      cli(['jobs', 'clean', '--grace', 'soon', ...redis]),
      cli(['jobs', 'status', '--redis', 'redis://127.0.0.1:1', '--prefix', settings.prefix]),
      cli(['--config', configDir, 'run', '--once', '--redis', 'not a url']),
    ]);
    expect(noRedis.code).toBe(2);
    expect(noRedis.out).toMatch(/no Redis configured: set REDIS_URL or pass --redis/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.out).toMatch(/must start with redis:\/\//);
    expect(badStage.code).toBe(2);
    expect(badStage.out).toMatch(/unknown stage 'extract'/);
    expect(badGrace.code).toBe(2);
    expect(badGrace.out).toMatch(/--grace: expected a duration/);
    expect(unreachable.code).toBe(3);
    expect(unreachable.out).toMatch(/Redis not reachable/);
    expect(runBadUrl.code).toBe(2);
  }, 60_000);

  it('SIGTERM: the worker takes no new job, finishes the one in progress, hands on its result and exits 0', async () => {
    const worker = startCli(['--config', configDir, '--log-format', 'json', 'workers', '--only', 'fetch', '--concurrency', '1', ...redis]);
    const producer = await startQueueProcess({ config: loadConfig({ dir: configDir }), settings, log: silentLogger, stages: [] });
    try {
      await waitForOutput(worker, /workers started/);
      const job = (n: number) => ({ stage: 'fetch' as const, id: `fetch:slow-${n}`, payload: { url: `${base}/slow/${n}`, feedId: 'lehti-001', hints: {} } });
      await producer.runner.submitAndWait([job(1), job(2)]);
      const fetchQueue = producer.runner.queues.get('fetch')!;
      await waitUntil('the first job to start', async () => (await fetchQueue.getActiveCount()) === 1);
      worker.child.kill('SIGTERM');
      expect(await worker.exited, worker.output()).toBe(0);
      // The job in progress finished and its result went on to the next stage; the other
      // one was not started and waits for the next worker.
      const analyse = producer.runner.queues.get('analyse')!;
      expect(await analyse.getWaitingCount()).toBe(1);
      expect(await fetchQueue.getActiveCount()).toBe(0);
      expect(await fetchQueue.getWaitingCount()).toBe(1);

      const status = await cli(['--config', configDir, 'status', '--json', ...redis]);
      expect(status.code).toBe(0);
      const json = JSON.parse(status.out) as { queues: { prefix: string; stages: { stage: string; waiting: number }[]; workers: unknown[] } };
      expect(json.queues.prefix).toBe(settings.prefix);
      expect(json.queues.stages.map((s) => [s.stage, s.waiting])).toEqual([['poll', 0], ['fetch', 1], ['analyse', 1], ['persist', 0]]);

      const text = await cli(['jobs', 'status', ...redis]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/stage\s+waiting\s+active\s+delayed\s+failed/);
      expect(text.out).toMatch(/workers alive: none/);
    } finally {
      worker.child.kill('SIGKILL');
      await producer.close();
    }
  }, 60_000);
});
