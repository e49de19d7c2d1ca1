// `mediamittari export` as a researcher runs it: a real process, real files, real exit codes,
// and no partial file left behind by a bad request, a failure or Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../src/config/load.ts';
import { Writable } from 'node:stream';
import { exportArticles, exportToFile, ExportAborted } from '../../src/export/index.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { generateSyntheticStore } from './synthetic.ts';

const CLI = ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts')];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI in this process: the same command path, without a process start per case. */
async function run(args: string[]) {
  const { main } = await import('../../src/cli.ts');
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'mediamittari', ...args]);
    return { code, stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
  fx.store.close();
});
afterAll(() => {
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

const files = (dir: string) => readdirSync(dir).sort();

describe('mediamittari export', () => {
  it('--indicators writes what `indicators export` writes; parquet is refused', async () => {
    const db = join(fx.dir, 'store.db');
    const a = join(fx.dir, 'ind-a.csv');
    const b = join(fx.dir, 'ind-b.csv');
    expect((await run(['--db', db, 'export', '--indicators', '--from', '2026-W40', '--to', '2026-W47', '--out', a])).code).toBe(0);
    expect((await run(['--db', db, 'indicators', 'export', '--from', '2026-W40', '--to', '2026-W47', '--out', b])).code).toBe(0);
    const text = readFileSync(a, 'utf8');
    expect(text.split('\r\n')[0]).toBe('municipality_code,municipality,week,group,indicator,domain,value,n,ci_low,ci_high,coverage_flag');
    expect(text).toBe(readFileSync(b, 'utf8'));
    const refused = await run(['--db', db, 'export', '--indicators', '--out', join(fx.dir, 'ind.parquet')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/csv or json, not parquet/);
  });

  it('writes the file and its datapackage, prints a JSON summary, exit 0', () => {
    const out = join(fx.dir, 'roma.csv');
    const r = cli(['--db', join(fx.dir, 'store.db'), 'export', '--out', out, '--group', 'roma', '--municipality', 'Tampere', '--json']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ out, datapackage: `${out}.datapackage.json`, format: 'csv', text: 'snippet', rows: 2 });
    expect(readFileSync(out, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('bad requests: a clear message, exit 2, no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-export-bad-'));
    const db = join(fx.dir, 'store.db');
    const bad = cli(['--db', db, 'export', '--out', join(dir, 'x.csv'), '--group', 'romanit', '--from', '2026-W46', '--to', '2026-W45', '--municipality', 'Espoo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--group romanit: unknown group; known: .*roma/);
    expect(bad.stderr).toMatch(/--from 2026-W46 is after --to 2026-W45/);
    expect(bad.stderr).toMatch(/--municipality Espoo: unknown municipality/);
    expect(files(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('unwritable path, unknown format, missing store: exit 2, no file (in process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-export-bad-'));
    const db = join(fx.dir, 'store.db');
    writeFileSync(join(dir, 'a-file'), '');
    const unwritable = await run(['--db', db, 'export', '--out', join(dir, 'a-file', 'x.jsonl')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/cannot write .*a-file\/x\.jsonl: .*is not a folder/);

    const format = await run(['--db', db, 'export', '--out', join(dir, 'x.xlsx')]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/cannot tell the format .*--format jsonl, csv or parquet/);
    expect((await run(['--db', db, 'export', '--out', join(dir, 'x.csv'), '--format', 'xlsx'])).code).toBe(2);

    const noStore = await run(['--db', join(dir, 'missing.db'), 'export', '--out', join(dir, 'x.csv')]);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/no store at/);
    expect(files(dir)).toEqual(['a-file']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an interrupted export leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-export-abort-'));
    const { Store } = await import('../../src/store/store.ts');
    const store = new Store(join(fx.dir, 'store.db'));
    const controller = new AbortController();
    await expect(
      exportToFile(store, { format: 'parquet', text: 'full', filters: {} }, join(dir, 'x.parquet'), {
        batchSize: 3,
        signal: controller.signal,
        onProgress: ({ rows }) => {
          if (rows >= 6) controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(ExportAborted);
    store.close();
    expect(files(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a consumer that goes away', () => {
  it('ends the export with its error (the JSON API: a client disconnects)', async () => {
    const { Store } = await import('../../src/store/store.ts');
    const store = new Store(join(fx.dir, 'store.db'));
    let received = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > 20_000) done(new Error('client went away'));
        else setTimeout(done, 5);
      },
    });
    await expect(exportArticles(store, { format: 'jsonl', text: 'full', filters: {} }, slow, { batchSize: 2 })).rejects.toThrow(/client went away/);
    store.close();
  });
});

describe('Ctrl-C', () => {
  const big = mkdtempSync(join(tmpdir(), 'mm-export-sigint-'));
  beforeAll(() => {
    generateSyntheticStore(join(big, 'store.db'), { articles: 40_000 });
  }, 120_000);
  afterAll(() => rmSync(big, { recursive: true, force: true }));

  it('stops the export, removes the partial file, exit 130', async () => {
    const outDir = join(big, 'out');
    mkdirSync(outDir);
    const child = spawn(process.execPath, [...CLI, '--db', join(big, 'store.db'), 'export', '--out', join(outDir, 'all.jsonl'), '--text', 'full'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the temporary file exists, i.e. while rows are being written.
    const started = Date.now();
    while (!files(outDir).some((f) => f.endsWith('.part'))) {
      if (Date.now() - started > 30_000) throw new Error(`the export did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGINT');
    const code = await exited;
    expect(stderr).toMatch(/interrupted; no file written/);
    expect(code).toBe(130);
    expect(files(outDir)).toEqual([]);
  }, 60_000);
});
