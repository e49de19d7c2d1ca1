#!/usr/bin/env node
// mediamittari: the command line. Exit codes: 0 done, 1 some inputs failed (a feed, a page),
// 2 usage or config error, 3 could not run at all (store, server).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, REPO_ROOT, type AppConfig, type LoadConfigOptions } from './config/load.ts';
import { ConfigError } from './config/yamlFile.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { createProgress } from './log/progress.ts';
import type { HttpClient } from './http/index.ts';
import type { PipelineEvents } from './pipeline/stages.ts';
import { registerAnalysisCommands } from './pipeline/analysisCommands.ts';
import { queueStatus, registerQueueCommands, runIfDistributed } from './queue/commands.ts';
import { registerExportCommands } from './export/cli.ts';
import { registerIndicatorCommands } from './indicators/cli.ts';
import { registerReportCommands } from './report/cli.ts';
import { registerEvalCommands } from './eval/cli.ts';
import { registerWebCommands, serveOptions, type ServeFlags } from './web/cli.ts';

// Commands import what they need when they run: `--help` and `feeds list` stay instant
// instead of loading the extractor's language models and the store.

export const EXIT = { ok: 0, inputsFailed: 1, usage: 2, fatal: 3 } as const;

interface GlobalOptions {
  config?: string;
  feeds?: string;
  db?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  logFormat?: 'json' | 'text';
}

function configOptions(g: GlobalOptions): LoadConfigOptions {
  return { dir: g.config, feedsFile: g.feeds, overrides: g.db ? { storePath: resolve(g.db) } : undefined };
}

function load(g: GlobalOptions, extra: Partial<LoadConfigOptions> = {}): AppConfig {
  const base = configOptions(g);
  return loadConfig({ ...base, ...extra, overrides: { ...base.overrides, ...extra.overrides } });
}

function loggerFor(g: GlobalOptions, beforeWrite?: () => void): Logger {
  return createLogger({ level: g.logLevel, format: g.logFormat, beforeWrite });
}

function print(line: string): void {
  process.stdout.write(line + '\n');
}

/** Progress in a terminal, periodic JSON log lines elsewhere. */
function progressEvents(label: string) {
  const progress = createProgress();
  const counts = { feeds: 0, 'feed errors': 0, pages: 0, 'page errors': 0, 'new articles': 0 };
  const events: PipelineEvents = {
    polled(_feed, outcome) {
      counts.feeds++;
      if (outcome === 'error' || outcome === 'gone') counts['feed errors']++;
      progress.update(counts, label);
    },
    fetched(_url, ok) {
      if (ok) counts.pages++;
      else counts['page errors']++;
      progress.update(counts, label);
    },
    stored(_url, created) {
      if (created) counts['new articles']++;
      progress.update(counts, label);
    },
  };
  return { events, progress, counts };
}

function onSignals(handler: (signal: string) => void): () => void {
  const h = (sig: NodeJS.Signals) => handler(sig);
  process.once('SIGINT', h);
  process.once('SIGTERM', h);
  return () => {
    process.off('SIGINT', h);
    process.off('SIGTERM', h);
  };
}

type RunFlags = { once?: boolean; all?: boolean; redis?: string; prefix?: string; withWorkers?: boolean; web?: boolean } & ServeFlags;

/** `run --web`: the dashboard beside the monitor, closed when the monitor stops. */
async function runCommand(g: GlobalOptions, opts: RunFlags): Promise<number> {
  if (!opts.web) return runMonitor(g, opts);
  const { startDashboard, WebFatalError, WebUsageError } = await import('./web/cli.ts');
  let web: Awaited<ReturnType<typeof startDashboard>>;
  try {
    web = await startDashboard(webEnv(g), load(g), loggerFor(g), opts);
  } catch (e) {
    if (!(e instanceof WebFatalError || e instanceof WebUsageError)) throw e;
    process.stderr.write(`run --web: ${e.message}\n`);
    return e instanceof WebUsageError ? EXIT.usage : EXIT.fatal;
  }
  try {
    return await runMonitor(g, opts);
  } finally {
    await web.close();
  }
}

function webEnv(g: GlobalOptions) {
  return { load: () => load(g), configOptions: () => configOptions(g), logger: (bw?: () => void) => loggerFor(g, bw), setExit };
}

async function runMonitor(g: GlobalOptions, opts: RunFlags): Promise<number> {
  // With --redis or REDIS_URL this process is the writer of the distributed mode.
  const distributed = await runIfDistributed({ load: () => load(g), configOptions: () => configOptions(g), logger: (bw) => loggerFor(g, bw), setExit }, opts);
  if (distributed !== null) return distributed;
  const config = load(g);
  let progressRef: ReturnType<typeof createProgress> | undefined;
  const log = loggerFor(g, () => progressRef?.clear());
  if (!process.env.REDIS_URL) {
    log.info('notice: REDIS_URL not set — running embedded in this one process (no queue workers on other machines); fine for one machine');
  }
  const { collectForever, collectOnce, openCollector } = await import('./pipeline/collector.ts');
  const { events, progress, counts } = progressEvents(opts.once ? 'collecting' : 'monitoring');
  progressRef = progress;
  const c = openCollector(config, { log, events });
  let stopping = false;
  const abort = new AbortController();
  const off = onSignals((sig) => {
    if (stopping) {
      log.warn(`${sig} again: exiting now; unfinished pages stay pending and are fetched next time`);
      process.exit(130);
    }
    stopping = true;
    log.info(`${sig}: finishing work in progress (again to exit at once)`);
    abort.abort();
    void c.runner.stop();
  });
  try {
    if (opts.once) {
      const s = await collectOnce(c, { all: opts.all });
      progress.done();
      log.info('collection pass done', {
        feeds_polled: s.feedsPolled,
        feed_errors: counts['feed errors'],
        pages_fetched: counts.pages,
        page_errors: counts['page errors'],
        new_articles: s.articlesAfter - s.articlesBefore,
        articles_total: s.articlesAfter,
        interrupted: stopping || undefined,
      });
      return counts['feed errors'] > 0 || counts['page errors'] > 0 ? EXIT.inputsFailed : EXIT.ok;
    }
    log.info('monitoring feeds; Ctrl-C to stop', { feeds: config.feeds.filter((f) => f.enabled).length, store: config.settings.store.path });
    await collectForever(c, abort.signal, { configOptions: configOptions(g) });
    progress.done();
    return EXIT.ok;
  } finally {
    off();
    await c.close();
  }
}

/** A URL to fetch rather than a file to read. */
function isRemote(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input) && !input.startsWith('file:');
}

async function readInput(input: string, http: HttpClient, accept: string): Promise<{ url: string; text: string }> {
  const { decodeBody, detectCharset } = await import('./http/index.ts');
  if (isRemote(input)) {
    const res = await http.fetch({ url: input, accept });
    return { url: res.url, text: res.text() };
  }
  const path = resolve(input.startsWith('file:') ? new URL(input).pathname : input);
  const bytes = readFileSync(path);
  const type = /\.(xml|rss|atom|rdf)$/i.test(path) ? 'application/xml' : 'text/html';
  return { url: `file://${path}`, text: decodeBody(bytes, detectCharset(bytes, type)) };
}

function describeError(e: unknown): string {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return `no such file: ${(e as NodeJS.ErrnoException).path}`;
  return (e as Error).message;
}

async function feedsCheck(g: GlobalOptions, inputs: string[], opts: { json?: boolean; items?: string }): Promise<number> {
  const config = load(g);
  const { httpClientFor } = await import('./pipeline/collector.ts');
  const { checkFeed, checkFeedText, FEED_ACCEPT } = await import('./feeds/check.ts');
  const http = httpClientFor(config);
  const show = Number(opts.items ?? 5);
  let failed = 0;
  try {
    for (const input of inputs) {
      try {
        const feed = isRemote(input)
          ? await checkFeed(http, input)
          : await readInput(input, http, FEED_ACCEPT).then((r) => checkFeedText(r.text, r.url));
        if (opts.json) {
          print(JSON.stringify({ input, ok: true, url: feed.url, title: feed.title, items: feed.items.length, problems: feed.problems, entries: feed.items.slice(0, show) }));
        } else {
          print(`✔ ${input}\n  ${feed.title ?? '(no title)'} — ${feed.items.length} items`);
          for (const it of feed.items.slice(0, show)) print(`  · ${it.publishedAt?.slice(0, 16) ?? '????-??-??'}  ${it.title ?? '(no title)'}\n      ${it.url}`);
          for (const p of feed.problems) print(`  ! ${p}`);
        }
      } catch (e) {
        failed++;
        if (opts.json) print(JSON.stringify({ input, ok: false, items: 0, error: describeError(e) }));
        else print(`✘ ${input}\n  ${describeError(e)}`);
      }
    }
  } finally {
    http.close();
  }
  return failed > 0 ? EXIT.inputsFailed : EXIT.ok;
}

async function extractCommand(g: GlobalOptions, inputs: string[], opts: { json?: boolean }): Promise<number> {
  const config = load(g);
  const { httpClientFor } = await import('./pipeline/collector.ts');
  const { extractArticle } = await import('./extract/index.ts');
  const http = httpClientFor(config);
  let failed = 0;
  try {
    for (const input of inputs) {
      try {
        const { url, text } = await readInput(input, http, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5');
        const a = extractArticle(text, url);
        if (opts.json) {
          print(JSON.stringify({ input, ...a }));
        } else {
          print(`── ${input}`);
          print(`title:     ${a.title ?? '—'}`);
          print(`published: ${a.published ?? '—'}${a.modified ? `  (modified ${a.modified})` : ''}`);
          print(`author:    ${a.author ?? '—'}`);
          print(`section:   ${a.section ?? '—'}    language: ${a.language ?? '—'}    paywalled: ${a.paywalled ? 'yes' : 'no'}`);
          print(`canonical: ${a.canonicalUrl ?? '—'}`);
          print(`lead:      ${a.lead ?? '—'}`);
          print(`text:      ${a.wordCount} words in ${a.paragraphs.length} paragraphs\n`);
          for (const p of a.paragraphs) print(`  ${p}\n`);
        }
      } catch (e) {
        failed++;
        if (opts.json) print(JSON.stringify({ input, url: null, title: null, published: null, author: null, language: null, text: null, paywalled: null, error: describeError(e) }));
        else print(`✘ ${input}\n  ${describeError(e)}`);
      }
    }
  } finally {
    http.close();
  }
  return failed > 0 ? EXIT.inputsFailed : EXIT.ok;
}

async function statusCommand(g: GlobalOptions, opts: { json?: boolean; redis?: string; prefix?: string }): Promise<number> {
  const config = load(g);
  // In the distributed mode: queue depths, rates, failed jobs, workers alive (null without Redis).
  const queues = await queueStatus(opts);
  const { Store } = await import('./store/store.ts');
  const { feedHealthReport } = await import('./feeds/health.ts');
  const store = new Store(config.settings.store.path);
  try {
    store.syncConfig(config);
    const counts = store.counts();
    const feeds = feedHealthReport(store, config.settings.polling);
    const perFeed = new Map(store.articlesPerFeed().map((r) => [r.feed_id, r]));
    if (opts.json) {
      print(
        JSON.stringify({
          store: config.settings.store.path,
          articles: counts.articles,
          counts,
          municipalities: store.articlesPerMunicipality(),
          feeds: feeds.map((f) => ({ ...f, articles: perFeed.get(f.id)?.articles ?? 0, failedItems: perFeed.get(f.id)?.failed ?? 0, refusedItems: perFeed.get(f.id)?.refused ?? 0 })),
          problems: store.itemProblems(),
          ...(queues ? { queues: 'json' in queues ? queues.json : { error: queues.error } } : {}),
        }),
      );
      return queues && 'error' in queues ? EXIT.inputsFailed : EXIT.ok;
    }
    print(`store: ${config.settings.store.path}`);
    print(`articles: ${counts.articles} (${counts.nearDuplicates} near-copies, ${counts.paywalled} paywalled), sources ${counts.sources}, polls ${counts.polls}`);
    print(`feed items: ${counts.feedItems.stored} stored, ${counts.feedItems.pending} pending, ${counts.feedItems.failed} failed, ${counts.feedItems.refused} refused\n`);
    print(table(['feed', 'state', 'articles', 'last success', 'failures', 'next poll', 'last error'], feeds.map((f) => [
      f.id,
      f.state + (f.disabledReason ? ` (${f.disabledReason.slice(0, 30)})` : ''),
      String(perFeed.get(f.id)?.articles ?? 0),
      f.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? '—',
      String(f.consecutiveFailures),
      f.nextPollAt?.slice(0, 16).replace('T', ' ') ?? '—',
      (f.lastError ?? '').slice(0, 60),
    ])));
    print('');
    print(table(['code', 'municipality', 'articles'], store.articlesPerMunicipality().map((m) => [m.code, m.name, String(m.articles)])));
    const problems = store.itemProblems(10);
    if (problems.length > 0) {
      print('\nrecent page problems:');
      for (const p of problems) print(`  ${p.status.padEnd(8)} ${p.feed_id}: ${p.url}\n           ${p.code}: ${p.error}`);
    }
    if (queues) print(`\n${'text' in queues ? queues.text : queues.error}`);
    return queues && 'error' in queues ? EXIT.inputsFailed : EXIT.ok;
  } finally {
    store.close();
  }
}

function feedsList(g: GlobalOptions, opts: { json?: boolean }): number {
  const config = load(g);
  const names = new Map(config.municipalities.map((m) => [m.code, m.nameFi]));
  if (opts.json) {
    for (const f of config.feeds) print(JSON.stringify({ ...f, municipalityNames: f.municipalities.map((c) => names.get(c)) }));
    return EXIT.ok;
  }
  print(table(['id', 'kind', 'covers', 'interval', 'enabled', 'url'], config.feeds.map((f) => [
    f.id,
    f.kind,
    f.municipalities.map((c) => names.get(c) ?? c).join(', '),
    `${Math.round(f.intervalMs / 60_000)} min`,
    f.enabled ? 'yes' : 'no',
    f.url,
  ])));
  return EXIT.ok;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

async function demoCommand(g: GlobalOptions, opts: { port?: string; fresh?: boolean; serveOnly?: boolean }): Promise<number> {
  const { runDemo } = await import('./demo/run.ts');
  return runDemo({ port: opts.port ? Number(opts.port) : 0, fresh: Boolean(opts.fresh), serveOnly: Boolean(opts.serveOnly), db: g.db, logLevel: g.logLevel, logFormat: g.logFormat });
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mediamittari')
    .description('Local news monitoring for Finnish municipalities: collects local news and measures how population groups are covered.')
    .option('-c, --config <dir>', 'config folder (municipalities.yaml, feeds.yaml, settings.yaml)', resolve(REPO_ROOT, 'config'))
    .option('--feeds <file>', 'feeds file instead of <config>/feeds.yaml')
    .option('--db <file>', 'SQLite store instead of the one in settings.yaml')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']))
    .addOption(new Option('--log-format <format>', 'log format (default: text in a terminal, json otherwise)').choices(['json', 'text']))
    .showHelpAfterError()
    .exitOverride();

  const run = program
    .command('run')
    .description('monitor the configured feeds: poll on schedule, fetch and extract new articles, store them')
    .option('--once', 'one pass over the feeds that are due, then exit')
    .option('--all', 'with --once: poll every enabled feed, due or not')
    .option('--redis <url>', 'distributed mode: stage queues in this Redis (default: $REDIS_URL; without it everything runs in this process)')
    .option('--prefix <prefix>', 'distributed mode: key prefix in Redis (default: $MEDIAMITTARI_REDIS_PREFIX or mm)')
    .option('--with-workers', 'distributed mode: also fetch and analyse in this process, besides polling and storing')
    .option('--web', 'also serve the dashboard (see serve --help); npm start does this');
  serveOptions(run).action(async (opts: RunFlags) => setExit(await runCommand(program.opts(), opts)));

  const feeds = program.command('feeds').description('configured feeds');
  feeds
    .command('list')
    .description('list configured feeds')
    .option('--json', 'one JSON object per feed')
    .action((opts) => setExit(feedsList(program.opts(), opts)));
  feeds
    .command('check')
    .description('fetch and parse feeds (URLs or files), show their items and problems; stores nothing')
    .argument('<url-or-file...>')
    .option('--json', 'one JSON object per input: input, ok, items, error')
    .option('--items <n>', 'items to show per feed', '5')
    .action(async (inputs: string[], opts) => setExit(await feedsCheck(program.opts(), inputs, opts)));

  program
    .command('extract')
    .description("show what the extractor gets from pages (URLs or files): for debugging a site's template")
    .argument('<url-or-file...>')
    .option('--json', 'one JSON object per input: input, url, title, published, author, language, text, paywalled, error')
    .action(async (inputs: string[], opts) => setExit(await extractCommand(program.opts(), inputs, opts)));

  program
    .command('status')
    .description('store counts and feed health; with Redis also queue depths, rates, failed jobs and workers alive')
    .option('--json', 'one JSON object')
    .option('--redis <url>', 'show the queues of this Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'key prefix in Redis (default: $MEDIAMITTARI_REDIS_PREFIX or mm)')
    .action(async (opts) => setExit(await statusCommand(program.opts(), opts)));

  registerAnalysisCommands(program, { load: () => load(program.opts()), logger: (beforeWrite) => loggerFor(program.opts(), beforeWrite), setExit });
  registerQueueCommands(program, { load: () => load(program.opts()), configOptions: () => configOptions(program.opts()), logger: (beforeWrite) => loggerFor(program.opts(), beforeWrite), setExit });
  registerExportCommands(program, { load: () => load(program.opts()), logger: (beforeWrite) => loggerFor(program.opts(), beforeWrite), setExit });
  registerWebCommands(program, { load: () => load(program.opts()), configOptions: () => configOptions(program.opts()), logger: (bw) => loggerFor(program.opts(), bw), setExit });
  for (const register of [registerIndicatorCommands, registerReportCommands, registerEvalCommands]) register(program, { load: () => load(program.opts()), logger: (beforeWrite) => loggerFor(program.opts(), beforeWrite), setExit });

  program
    .command('demo')
    .description('serve the offline demo corpus on loopback, collect it, print what was stored')
    .option('--port <port>', 'port for the demo server (default: any free port)')
    .option('--fresh', 'start from an empty demo store')
    .option('--serve-only', 'only serve the demo corpus until Ctrl-C')
    .action(async (opts) => setExit(await demoCommand(program.opts(), opts)));

  return program;
}

let exitCode: number = EXIT.ok;
function setExit(code: number): void {
  exitCode = code;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes with 2.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`config error:\n${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.fatal;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
