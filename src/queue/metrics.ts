// Prometheus metrics of a worker process: jobs done and failed per stage, job durations,
// and the depth of every stage queue (read from Redis when scraped).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StageName } from '../pipeline/stages.ts';
import type { QueuedJob } from './jobs.ts';
import type { JobObserver } from './runner.ts';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export interface WorkerMetrics extends JobObserver {
  registry: Registry;
}

export function createWorkerMetrics(queues: () => ReadonlyMap<StageName, Queue<QueuedJob>>): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mediamittari_' });
  const processed = new Counter({ name: 'mediamittari_jobs_processed_total', help: 'Jobs finished by this process, per stage', labelNames: ['stage'], registers: [registry] });
  const failed = new Counter({
    name: 'mediamittari_jobs_failed_total',
    help: "Failed job attempts in this process, per stage; final='true' when no attempt is left",
    labelNames: ['stage', 'final'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mediamittari_job_duration_seconds',
    help: 'Time one job attempt took in this process, per stage',
    labelNames: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'mediamittari_queue_jobs',
    help: 'Jobs in each stage queue by state (read from Redis at scrape time)',
    labelNames: ['stage', 'state'],
    registers: [registry],
    async collect() {
      for (const [stage, q] of queues()) {
        const c = await q.getJobCounts(...STATES);
        for (const state of STATES) this.set({ stage, state }, c[state] ?? 0);
      }
    },
  });
  return {
    registry,
    finished(stage, outcome, seconds) {
      duration.observe({ stage }, seconds);
      if (outcome === 'completed') processed.inc({ stage });
      else failed.inc({ stage, final: outcome === 'failed' ? 'true' : 'false' });
    },
  };
}

/** Serves /metrics on 127.0.0.1 only: metrics are for the local scraper, not the world. */
export async function serveMetrics(registry: Registry, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
      .catch((e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${e.message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
