// `mediamittari indicators …`: bring the weekly counts up to date, export the indicators for
// the relations mapping, list this week's alerts, print the indicator catalogue.
// Exit codes: 0 done, 2 a request that cannot work as given (bad week, unknown municipality,
// bad config), 3 could not run (no store, write failed).
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { AppConfig, Municipality } from '../config/load.ts';
import type { Logger } from '../log/logger.ts';
import type { Store } from '../store/store.ts';
import type { IndicatorValue } from './compute.ts';

const EXIT = { ok: 0, usage: 2, fatal: 3 } as const;

/** What the commands need from the program: config with the global options applied, logs, the exit code. */
export interface IndicatorCommandEnv {
  load(): AppConfig;
  logger(beforeWrite?: () => void): Logger;
  setExit(code: number): void;
}

export class UsageError extends Error {}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Municipalities by code or by Finnish or Swedish name, case-insensitively. */
export function resolveMunicipalities(config: AppConfig, wanted: readonly string[] | undefined): string[] | undefined {
  if (!wanted || wanted.length === 0) return undefined;
  return wanted.map((w) => {
    const key = w.trim().toLowerCase();
    const m = config.municipalities.find((x: Municipality) => x.code === key || x.nameFi.toLowerCase() === key || x.nameSv.toLowerCase() === key);
    if (!m) throw new UsageError(`unknown municipality "${w}"; configured: ${config.municipalities.map((x) => `${x.nameFi} (${x.code})`).join(', ')}`);
    return m.code;
  });
}

export async function parseWeekOption(value: string | undefined, name: string): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const { parseWeek, formatWeek } = await import('./week.ts');
  const w = parseWeek(value);
  if (!w) throw new UsageError(`${name}: "${value}" is not an ISO week; write it as 2026-W47`);
  return formatWeek(w);
}

/** Opens the configured store (it must exist) with the config's towns and feeds synced in. */
export async function openExistingStore(config: AppConfig): Promise<Store> {
  const path = config.settings.store.path;
  if (path !== ':memory:' && !existsSync(path)) {
    throw new StoreMissing(`no store at ${path}: collect articles first (mediamittari run --once, or mediamittari demo)`);
  }
  const { Store } = await import('../store/store.ts');
  const store = new Store(path);
  store.syncConfig(config);
  return store;
}

export class StoreMissing extends Error {}

/** Runs a command body and turns the expected failures into messages and exit codes. */
export async function runCommand(env: IndicatorCommandEnv, name: string, body: () => Promise<number>): Promise<void> {
  try {
    env.setExit(await body());
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      env.setExit(EXIT.usage);
    } else if (e instanceof StoreMissing) {
      process.stderr.write(`${name}: ${e.message}\n`);
      env.setExit(EXIT.fatal);
    } else {
      throw e;
    }
  }
}

function print(line: string): void {
  process.stdout.write(line + '\n');
}

export function registerIndicatorCommands(program: Command, env: IndicatorCommandEnv): void {
  const cmd = program
    .command('indicators')
    .description('weekly media indicators per municipality and population group: refresh, export, alerts, catalogue');

  cmd
    .command('refresh')
    .description('bring the weekly counts up to date (only the weeks touched since the last refresh, or all with --full)')
    .option('--full', 'recount every week from the articles')
    .option('--json', 'print the result as one JSON object')
    .action((opts: { full?: boolean; json?: boolean }) =>
      runCommand(env, 'indicators refresh', async () => {
        const config = env.load();
        const { refreshIndicators } = await import('./counts.ts');
        const store = await openExistingStore(config);
        try {
          const r = refreshIndicators(store, { full: opts.full });
          if (opts.json) print(JSON.stringify({ full: r.full, weeks: r.weeks, ms: Math.round(r.ms) }));
          else print(`${r.full ? 'recounted every week' : 'recounted'}: ${r.weeks.length} week(s)${r.weeks.length > 0 && r.weeks.length <= 8 ? ` (${r.weeks.join(', ')})` : ''} in ${Math.round(r.ms)} ms`);
          return EXIT.ok;
        } finally {
          store.close();
        }
      }),
    );

  cmd
    .command('export')
    .description(
      'indicators in long format for the relations mapping: municipality_code, municipality, week, group, indicator, domain, value, n, ci_low, ci_high, coverage_flag',
    )
    .option('--from <week>', 'first ISO week, e.g. 2026-W01 (default: the first counted week)')
    .option('--to <week>', 'last ISO week, included (default: the last complete week)')
    .addOption(new Option('--format <format>', 'csv or json (default: from the --out extension, else csv)').choices(['csv', 'json']))
    .option('--out <file>', 'write to this file (written whole or not at all) instead of standard output')
    .option('--municipality <name|code>', 'only these municipalities (repeat or comma-separate)', collect)
    .action((opts: IndicatorExportOptions) => exportIndicators(env, opts));

  cmd
    .command('alerts')
    .description('alerts of a week: negative coverage of a group far above the municipality’s own baseline, with the articles behind each')
    .option('--week <week>', 'ISO week (default: the last complete week)')
    .option('--municipality <name|code>', 'only these municipalities (repeat or comma-separate)', collect)
    .option('--json', 'one JSON object per alert')
    .action((opts: { week?: string; municipality?: string[]; json?: boolean }) => runCommand(env, 'indicators alerts', () => alertsCommand(env, opts)));

  cmd
    .command('list')
    .description('the indicator catalogue (config/indicators.yaml): id, names, domain, unit, interval, definition')
    .option('--json', 'one JSON object per indicator')
    .action((opts: { json?: boolean }) =>
      runCommand(env, 'indicators list', async () => {
        const config = env.load();
        const { loadIndicatorCatalogue, indicatorsFile } = await import('./definitions.ts');
        const catalogue = loadIndicatorCatalogue(indicatorsFile(config.dir));
        for (const d of catalogue.indicators) {
          if (opts.json) print(JSON.stringify(d));
          else print(`${d.id.padEnd(22)} ${d.domain.padEnd(16)} ${d.unit.padEnd(8)} ${d.nameEn} / ${d.nameFi}\n${' '.repeat(23)}${d.definition.numerator} ÷ ${d.definition.denominator}`);
        }
        return EXIT.ok;
      }),
    );
}

export interface IndicatorExportOptions {
  from?: string;
  to?: string;
  format?: 'csv' | 'json';
  out?: string;
  municipality?: string[];
}

/** `indicators export`, also reached as `export --indicators`. */
export function exportIndicators(env: IndicatorCommandEnv, opts: IndicatorExportOptions): Promise<void> {
  return runCommand(env, 'indicators export', () => exportCommand(env, opts));
}

async function exportCommand(env: IndicatorCommandEnv, opts: IndicatorExportOptions): Promise<number> {
  const config = env.load();
  const log = env.logger();
  let from = await parseWeekOption(opts.from, '--from');
  let to = await parseWeekOption(opts.to, '--to');
  const format = opts.format ?? (opts.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const municipalities = resolveMunicipalities(config, opts.municipality);
  const I = await import('./index.ts');
  const catalogue = I.loadIndicatorCatalogue(I.indicatorsFile(config.dir));
  const store = await openExistingStore(config);
  try {
    I.refreshIndicators(store);
    const counted = I.countedWeeks(store);
    from ??= counted?.first;
    to ??= I.lastCompleteWeek(Date.now());
    if (!from) {
      log.warn('no articles counted yet: the export is empty');
      from = to;
    }
    if (I.compareWeeks(from, to) > 0) throw new UsageError(`--from ${from} is after --to ${to}`);
    const set = I.computeIndicatorSet(store, catalogue, { from, to, municipalities });
    const values = (visit: (v: IndicatorValue) => void) => I.forEachIndicatorValue(set, catalogue, visit);
    if (!opts.out) {
      const rows = I.writeIndicatorExport(values, format, (chunk) => process.stdout.write(chunk));
      log.info('indicators exported', { rows, from, to, format });
      return EXIT.ok;
    }
    const { openSync, writeSync, closeSync, renameSync, rmSync } = await import('node:fs');
    const tmp = `${opts.out}.${process.pid}.tmp`;
    let fd: number;
    try {
      fd = openSync(tmp, 'w');
    } catch (e) {
      throw new UsageError(`cannot write ${opts.out}: ${(e as Error).message}`);
    }
    try {
      const rows = I.writeIndicatorExport(values, format, (chunk) => writeSync(fd, chunk));
      closeSync(fd);
      renameSync(tmp, opts.out);
      log.info('indicators exported', { rows, from, to, format, file: opts.out });
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

/**
 * What a command about one week needs: the week (default the last complete one), the chosen
 * municipalities, the catalogue, and the store with its counts brought up to date. The
 * caller closes the store.
 */
export async function openWeek(env: IndicatorCommandEnv, opts: { week?: string; municipality?: string[] }) {
  const config = env.load();
  const I = await import('./index.ts');
  const week = (await parseWeekOption(opts.week, '--week')) ?? I.lastCompleteWeek(Date.now());
  const municipalities = resolveMunicipalities(config, opts.municipality);
  const catalogue = I.loadIndicatorCatalogue(I.indicatorsFile(config.dir));
  const store = await openExistingStore(config);
  try {
    I.refreshIndicators(store);
  } catch (e) {
    store.close();
    throw e;
  }
  return { config, I, week, municipalities, catalogue, store };
}

async function alertsCommand(env: IndicatorCommandEnv, opts: { week?: string; municipality?: string[]; json?: boolean }): Promise<number> {
  const { I, week, municipalities, catalogue, store } = await openWeek(env, opts);
  try {
    const set = I.computeIndicatorSet(store, catalogue, { from: week, to: week, municipalities });
    const alerts = I.firedAlerts(set);
    for (const a of alerts) {
      const m = set.municipalities.find((x) => x.code === a.municipalityCode);
      const ev = I.alertEvidence(store, a, { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: m ? [m.nameFi, m.nameSv] : [] });
      if (opts.json) {
        print(JSON.stringify({
          week: a.week, municipality_code: a.municipalityCode, municipality: a.municipality, group: a.group,
          observed: a.test.observed, expected: a.test.expected, p: a.test.p, baseline_weeks: a.test.baselineWeeks,
          coverage_flag: a.coverage?.flag ?? 'unknown',
          articles: ev.articles.map((x) => ({ id: x.id, title: x.title, url: x.url })), terms: ev.terms.map((t) => t.term),
        }));
      } else {
        print(`${a.week} ${a.municipality} (${a.municipalityCode}) ${a.group}: ${a.test.observed} negative stories, ${a.test.expected.toFixed(2)} expected, p = ${a.test.p?.toExponential(2)}${a.coverage?.flag === 'low' ? ' [low coverage]' : ''}`);
        for (const x of ev.articles) print(`  · ${x.title ?? '(no title)'}\n      ${x.url}`);
        print(`  terms: ${ev.terms.map((t) => t.term).join(', ') || '—'}`);
      }
    }
    if (!opts.json && alerts.length === 0) print(`no alerts in ${week}`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
