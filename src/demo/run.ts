// `npm run demo`: serve the offline corpus on loopback, collect it with the same pipeline
// as `run --once`, and print what was stored per municipality and feed.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, REPO_ROOT, type AppConfig } from '../config/load.ts';
import { createLogger } from '../log/logger.ts';
import { createProgress } from '../log/progress.ts';
import { collectOnce, openCollector } from '../pipeline/collector.ts';
import { startDemoServer } from './server.ts';

export const DEMO_FEEDS = join(REPO_ROOT, 'data/demo/feeds.yaml');
export const DEMO_DB = join(REPO_ROOT, 'data/demo.db');
/** A fixed port keeps article URLs the same from run to run, so a second run adds nothing. */
export const DEMO_PORT = 47_800;

export interface DemoOptions {
  port: number;
  fresh: boolean;
  serveOnly: boolean;
  db?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  logFormat?: 'json' | 'text';
}

/** Config for collecting from a demo server at `baseUrl`: loopback allowed for that origin only. */
export function demoConfig(baseUrl: string, storePath: string): AppConfig {
  return loadConfig({
    feedsFile: DEMO_FEEDS,
    baseUrl,
    overrides: {
      storePath,
      // Everything is on one loopback host: pacing meant for publishers would only slow it.
      http: { allowedOrigins: [new URL(baseUrl).origin], hostMinGapMs: 0, hostMaxConcurrency: 16, retries: 1 },
    },
  });
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  const log = createLogger({ level: opts.logLevel ?? 'warn', format: opts.logFormat });
  const server = await startDemoServer({ port: opts.port || DEMO_PORT }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new Error(`port ${opts.port || DEMO_PORT} is in use: pass --port with a free one`);
    throw e;
  });
  const out = (s: string) => process.stdout.write(s + '\n');
  try {
    if (opts.serveOnly) {
      out(`demo corpus served at ${server.url} (feeds listed in ${DEMO_FEEDS}); Ctrl-C to stop`);
      await new Promise<void>((r) => {
        process.once('SIGINT', r);
        process.once('SIGTERM', r);
      });
      return 0;
    }
    const dbPath = resolve(opts.db ?? DEMO_DB);
    if (opts.fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    const config = demoConfig(server.url, dbPath);
    const progress = createProgress();
    let pages = 0;
    const c = openCollector(config, {
      log,
      events: {
        fetched: () => {
          pages++;
          progress.update({ pages }, 'demo');
        },
      },
    });
    try {
      const pass = await collectOnce(c, { all: true });
      progress.done();
      const added = pass.articlesAfter - pass.articlesBefore;
      out(`Demo corpus at ${server.url}, store ${dbPath}`);
      out(`Polled ${pass.feedsPolled} feeds, fetched ${pages} pages; ${added} new articles stored, ${pass.articlesAfter} in the store.\n`);
      const perFeed = c.store.articlesPerFeed();
      const perMuni = c.store.articlesPerMunicipality();
      const counts = c.store.counts();
      const width = Math.max(...perFeed.map((f) => f.feed_id.length), 12);
      out(`${'feed'.padEnd(width)}  articles  failed  refused`);
      for (const f of perFeed) out(`${f.feed_id.padEnd(width)}  ${String(f.articles).padStart(8)}  ${String(f.failed).padStart(6)}  ${String(f.refused).padStart(7)}`);
      out(`\n${'municipality'.padEnd(14)}  articles (via the feeds that cover it)`);
      for (const m of perMuni) out(`${`${m.name} ${m.code}`.padEnd(14)}  ${String(m.articles).padStart(8)}`);
      out(`\n${counts.articles} articles: ${counts.originals} originals, ${counts.nearDuplicates} syndicated near-copies, ${counts.paywalled} paywalled; ${counts.sources} feed links.`);
      // maxRSS is in kilobytes: the peak of this process, demo server included.
      out(`Peak memory (RSS) of this run: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB.`);
      return counts.feedItems.failed + counts.feedItems.refused > 0 ? 1 : 0;
    } finally {
      await c.close();
    }
  } finally {
    await server.close();
  }
}
