// `mediamittari report`: the weekly summary for analysts as one self-contained HTML file and a
// Markdown version. Exit codes: 0 written, 2 a request that cannot work as given (bad week,
// unknown municipality), 3 could not run (no store, unwritable folder).
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { openWeek, runCommand, type IndicatorCommandEnv } from '../indicators/cli.ts';

interface ReportCliOptions {
  week?: string;
  municipality?: string[];
  lang: 'fi' | 'en';
  out: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerReportCommands(program: Command, env: IndicatorCommandEnv): void {
  program
    .command('report')
    .description('weekly summary for analysts: headline figures, alerts, charts, notable articles, distinctive terms, coverage; HTML and Markdown')
    .option('--week <week>', 'ISO week, e.g. 2026-W47 (default: the last complete week)')
    .option('--municipality <name|code>', 'only these municipalities (repeat or comma-separate; default: all)', collect)
    .addOption(new Option('--lang <lang>', 'language of the summary').choices(['fi', 'en']).default('fi'))
    .option('--out <dir>', 'folder for the .html and .md files', '.')
    .option('--json', 'print the written files and the week’s alerts as one JSON object')
    .action((opts: ReportCliOptions) => runCommand(env, 'report', () => reportCommand(env, opts)));
}

async function reportCommand(env: IndicatorCommandEnv, opts: ReportCliOptions): Promise<number> {
  const R = await import('./index.ts');
  const { config, week, municipalities, catalogue, store } = await openWeek(env, opts);
  try {
    const report = R.buildWeeklyReport(store, catalogue, { week, municipalities, lang: opts.lang, configDir: config.dir });
    let written;
    try {
      written = R.writeWeeklyReport(report, resolve(opts.out));
    } catch (e) {
      process.stderr.write(`report: cannot write to ${opts.out}: ${(e as Error).message}\n`);
      return 3;
    }
    const alerts = report.sections.flatMap((s) => s.alerts.map((a) => ({ municipality: s.municipality.nameFi, group: a.alert.group, observed: a.alert.test.observed, p: a.alert.test.p })));
    if (opts.json) {
      process.stdout.write(JSON.stringify({ week, html: written.html, markdown: written.markdown, alerts, coverage: report.sections.map((s) => ({ municipality: s.municipality.nameFi, flag: s.coverage?.flag ?? 'unknown' })) }) + '\n');
    } else {
      process.stdout.write(`${written.html}\n${written.markdown}\n`);
      for (const a of alerts) process.stdout.write(`alert: ${a.municipality} ${a.group} (${a.observed} negative stories)\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

