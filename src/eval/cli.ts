// `mediamittari eval …`: how well the analysis holds up against people.
//   eval agreement   Krippendorff's alpha between the analysis and the analysts' judgements per
//                    ISO week (see src/indicators/agreement.ts)
// Exit codes as elsewhere: 0 done, 2 a bad request (week, span), 3 no store.
import type { Command } from 'commander';
import { openExistingStore, parseWeekOption, runCommand, UsageError, type IndicatorCommandEnv } from '../indicators/cli.ts';

const EXIT = { ok: 0 } as const;

function print(line: string): void {
  process.stdout.write(line + '\n');
}

export function registerEvalCommands(program: Command, env: IndicatorCommandEnv): void {
  const cmd = program.command('eval').description('how the analysis agrees with people');
  cmd
    .command('agreement')
    .description("Krippendorff's alpha between the analysis and the analysts' checks per ISO week: tone (nominal and ordinal), frame, presence, voice")
    .option('--from <week>', 'first ISO week of the articles’ publication, e.g. 2026-W01')
    .option('--to <week>', 'last ISO week, included')
    .option('--json', 'one JSON object: weeks, total, disagreements')
    .action((opts: { from?: string; to?: string; json?: boolean }) => runCommand(env, 'eval agreement', () => agreementCommand(env, opts)));
}

async function agreementCommand(env: IndicatorCommandEnv, opts: { from?: string; to?: string; json?: boolean }): Promise<number> {
  const from = await parseWeekOption(opts.from, '--from');
  const to = await parseWeekOption(opts.to, '--to');
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const config = env.load();
  const { machineAnalystAgreement, AGREEMENT_MEASURES } = await import('../indicators/agreement.ts');
  const store = await openExistingStore(config);
  try {
    const report = machineAnalystAgreement(store, { from, to });
    if (opts.json) {
      print(
        JSON.stringify({
          from: report.from,
          to: report.to,
          items: report.items,
          weeks: report.weeks.map((w) => ({ week: w.week, ...w.measures })),
          total: report.total.measures,
          disagreements: report.disagreements.map((d) => ({
            week: d.week, article: d.articleId, title: d.title, group: d.group, field: d.field, machine: d.machine, analyst: d.analyst,
            by: d.username, at: new Date(d.judgedAt).toISOString(),
          })),
        }),
      );
      return EXIT.ok;
    }
    if (report.items === 0) {
      print(`no judgements by analysts${from || to ? ` in ${from ?? '…'} – ${to ?? '…'}` : ''}`);
      return EXIT.ok;
    }
    const { table } = await import('../cli.ts');
    const fmt = (m: { n: number; alpha: number | null }) => (m.n === 0 ? '–' : `${m.alpha === null ? 'undef.' : m.alpha.toFixed(3)} (n=${m.n})`);
    const rows = [...report.weeks, report.total].map((w) => [w.week ?? 'all', ...AGREEMENT_MEASURES.map((m) => fmt(w.measures[m.id]))]);
    print(`Krippendorff's alpha, analysis vs analysts (latest judgement per article, group and field)`);
    print(table(['week', 'tone', 'tone (ordinal)', 'frame', 'presence', 'voice'], rows));
    print(`undef.: no variation among the values (alpha undefined); n: items judged; disagreements: ${report.disagreements.length}`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
