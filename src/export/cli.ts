// `mediamittari export`: a researcher's slice of the tagged corpus as JSONL, CSV or Parquet,
// with its datapackage.json. Exit codes: 0 written, 2 a request that cannot work as given
// (unknown group or town, empty period, unwritable path), 3 the export failed, 130 interrupted.
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { RawExportOptions } from './request.ts';
import type { AppConfig } from '../config/load.ts';
import type { Logger } from '../log/logger.ts';

const EXIT = { ok: 0, usage: 2, fatal: 3, interrupted: 130 } as const;

/** What the command needs from the program: config with the global options applied, logs, the exit code. */
export interface ExportCommandEnv {
  load(): AppConfig;
  logger(beforeWrite?: () => void): Logger;
  setExit(code: number): void;
}

/** The request's own fields as the command line gives them, and the command's extras. */
interface ExportCliOptions extends Omit<RawExportOptions, 'format' | 'text'> {
  format?: RawExportOptions['format'];
  out: string;
  text: 'full' | 'snippet' | 'none';
  lang: 'fi' | 'en';
  json?: boolean;
  indicators?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const FORMAT_BY_EXTENSION: Record<string, 'jsonl' | 'csv' | 'parquet'> = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv', '.parquet': 'parquet' };

export function registerExportCommands(program: Command, env: ExportCommandEnv): void {
  program
    .command('export')
    .description(
      'export tagged articles for research: a filtered slice as JSONL, CSV or Parquet, streamed, with <out>.datapackage.json describing every field, the filters and the analysis version',
    )
    .requiredOption('--out <file>', 'output file; written whole or not at all')
    .addOption(new Option('--format <format>', 'file format (default: from the --out extension)').choices(['jsonl', 'csv', 'parquet']))
    .option('--from <date|week>', 'first day (2026-11-02) or ISO week (2026-W45), Helsinki time')
    .option('--to <date|week>', 'last day or ISO week, included')
    .option('--municipality <name|code>', 'municipality the story is about, by name or code (repeat or comma-separate)', collect)
    .option('--group <id>', 'population group mentioned, e.g. roma (repeat or comma-separate)', collect)
    .option('--tone <tone>', 'neg, neu or pos: of the --group when given, else of the article (repeat or comma-separate)', collect)
    .option('--frame <frame>', 'frame: of the --group when given, else the main frame (repeat or comma-separate)', collect)
    .option('--language <lang>', 'fi, sv or en (repeat or comma-separate)', collect)
    .option('--source <feed>', 'feed id the article came through (repeat or comma-separate)', collect)
    .addOption(
      new Option('--text <policy>', 'article text: snippets around group mentions, the full text, or none (texts are the publishers’ work)')
        .choices(['snippet', 'full', 'none'])
        .default('snippet'),
    )
    .option('--originals', 'leave out near-copies of earlier stories (rows whose duplicate_of is set)')
    .option('--bom', 'CSV: start with a UTF-8 byte-order mark, for spreadsheet programs')
    .addOption(new Option('--lang <lang>', 'language of the data dictionary in datapackage.json').choices(['fi', 'en']).default('fi'))
    .option('--json', 'print the result as one JSON object')
    .option('--indicators', 'export the weekly indicators instead (the same as `indicators export`; --format csv or jsonl → JSON)')
    .action(async (opts: ExportCliOptions) => {
      if (opts.indicators) {
        if (opts.format === 'parquet' || /\.parquet$/i.test(opts.out)) {
          process.stderr.write('export --indicators: the indicators are exported as csv or json, not parquet\n');
          return env.setExit(EXIT.usage);
        }
        const { exportIndicators } = await import('../indicators/cli.ts');
        const format = opts.format === 'csv' || (!opts.format && /\.csv$/i.test(opts.out)) ? 'csv' : 'json';
        return exportIndicators(env, { from: opts.from, to: opts.to, municipality: opts.municipality, out: opts.out, format });
      }
      env.setExit(await exportCommand(env, opts));
    });
}

async function exportCommand(env: ExportCommandEnv, opts: ExportCliOptions): Promise<number> {
  const { createProgress } = await import('../log/progress.ts');
  const progress = createProgress();
  const log = env.logger(() => progress.clear());
  const fail = (code: number, message: string): number => {
    progress.clear();
    process.stderr.write(`export: ${message}\n`);
    return code;
  };

  const format = opts.format ?? FORMAT_BY_EXTENSION[/\.[a-z]+$/i.exec(opts.out)?.[0]?.toLowerCase() ?? ''];
  if (!format) return fail(EXIT.usage, `cannot tell the format from ${opts.out}: give --format jsonl, csv or parquet`);

  const config = env.load();
  const storePath = config.settings.store.path;
  if (!existsSync(storePath)) return fail(EXIT.usage, `no store at ${storePath}: collect first (mediamittari run) or give --db`);

  const { Store } = await import('../store/store.ts');
  const { exportToFile, checkOutputPath, ExportRequestError } = await import('./file.ts');
  const { loadCatalogue, resolveRequest } = await import('./request.ts');
  const { ExportAborted } = await import('./export.ts');

  let store;
  try {
    store = new Store(storePath);
  } catch (e) {
    return fail(EXIT.fatal, `cannot open the store ${storePath}: ${(e as Error).message}`);
  }
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    log.info(`${sig}: stopping the export and removing the partial file`);
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const request = resolveRequest({ ...opts, format }, loadCatalogue(config, store.db));
    checkOutputPath(opts.out);
    let lastLog = Date.now();
    const started = Date.now();
    const result = await exportToFile(store, request, opts.out, {
      lang: opts.lang,
      count: true,
      signal: abort.signal,
      onProgress: ({ rows, total }) => {
        progress.update({ rows, ...(total !== null ? { of: total } : {}) }, `export ${format}${total ? ` ${Math.floor((100 * rows) / total)}%` : ''}`);
        // Off a terminal the progress line is silent; a log line every few seconds says the same.
        if (!process.stderr.isTTY && Date.now() - lastLog >= 5000) {
          lastLog = Date.now();
          log.info('exporting', { rows, total, rows_per_s: Math.round(rows / ((Date.now() - started) / 1000)) });
        }
      },
    });
    progress.done();
    const s = result.summary;
    const seconds = (Date.now() - started) / 1000;
    log.info('export written', { out: result.out, rows: s.rows, bytes: s.bytes, seconds: Number(seconds.toFixed(2)) });
    if (opts.json) {
      process.stdout.write(
        JSON.stringify({
          out: result.out,
          datapackage: result.datapackage,
          format: s.format,
          text: s.text,
          rows: s.rows,
          unanalysed: s.unanalysed,
          bytes: s.bytes,
          sha256: s.sha256,
          analysis_versions: s.analysisVersions,
        }) + '\n',
      );
    } else {
      process.stdout.write(`${s.rows} articles → ${result.out}\ndata dictionary → ${result.datapackage}\n`);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExportRequestError) return fail(EXIT.usage, e.message);
    if (e instanceof ExportAborted) return fail(EXIT.interrupted, 'interrupted; no file written');
    return fail(EXIT.fatal, (e as Error).message);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
}
