// `mediamittari report` and `mediamittari indicators export` as an analyst runs them: a real
// process on a real store file, real output files and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config/load.ts';
import type { FixtureStore } from '../indicators/helpers.ts';
import { parseCsv, tempDir } from '../indicators/helpers.ts';
import { seedFromDemoCorpus } from './seed.ts';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let fx: FixtureStore;
let db: string;
const out = tempDir('mm-report-cli-');

beforeAll(() => {
  fx = seedFromDemoCorpus();
  db = fx.path;
  fx.close();
});
afterAll(() => fx?.close());

describe('report and indicator export commands', () => {
  it('report writes the HTML and Markdown files of the week and names the alert', () => {
    const r = cli(['--db', db, 'report', '--week', '2026-W45', '--municipality', 'tampere', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { html: string; markdown: string; alerts: { municipality: string; group: string }[]; coverage: { flag: string }[] };
    expect(res.html).toBe(join(out, 'mediamittari-2026-W45-tampere.html'));
    expect(readFileSync(res.html, 'utf8')).toContain('<html lang="fi">');
    expect(readFileSync(res.markdown, 'utf8')).toContain('# Mediamittari – viikkokatsaus 2026-W45 – Tampere');
    expect(res.alerts).toEqual([expect.objectContaining({ municipality: 'Tampere', group: 'roma' })]);
  });

  it('usage mistakes exit 2, a missing store exits 3', () => {
    const badWeek = cli(['--db', db, 'report', '--week', '2026-47', '--out', out]);
    expect(badWeek.code).toBe(2);
    expect(badWeek.stderr).toContain('not an ISO week');
    const badTown = cli(['--db', db, 'indicators', 'export', '--municipality', 'Helsinki']);
    expect(badTown.code).toBe(2);
    expect(badTown.stderr).toContain('unknown municipality "Helsinki"');
    const noStore = cli(['--db', join(out, 'missing.db'), 'report', '--out', out]);
    expect(noStore.code).toBe(3);
    expect(existsSync(join(out, 'missing.db'))).toBe(false);
  });

  it('indicators export writes the long-format CSV; the planted weeks show in it', () => {
    const file = join(out, 'indicators.csv');
    const r = cli(['--db', db, 'indicators', 'export', '--from', '2026-W36', '--to', '2026-W47', '--out', file]);
    expect(r.code).toBe(0);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(Object.keys(rows[0]!)).toEqual(['municipality_code', 'municipality', 'week', 'group', 'indicator', 'domain', 'value', 'n', 'ci_low', 'ci_high', 'coverage_flag']);
    const alerts = rows.filter((x) => x.indicator === 'alert' && x.value === '1');
    expect(alerts.map((x) => `${x.municipality} ${x.week} ${x.group}`)).toEqual(['Tampere 2026-W45 roma']);
    const lieksa = rows.filter((x) => x.municipality === 'Lieksa' && x.week === '2026-W42');
    expect(new Set(lieksa.map((x) => x.coverage_flag))).toEqual(new Set(['low']));
    expect(rows.find((x) => x.municipality === 'Lieksa' && x.week === '2026-W42' && x.indicator === 'local_articles')!.value).toBe('1');
  });
});
