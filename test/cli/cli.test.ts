// The command line as an operator uses it: a real process, real files, real exit codes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, REPO_ROOT } from '../../src/config/load.ts';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { encodeMarkup, renderArticle, renderFeed } from '../../src/demo/index.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean) };
}

const work = mkdtempSync(join(tmpdir(), 'mm-cli-'));
const corpus = loadDemoCorpus();
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('mediamittari CLI', () => {
  it('--help on every command, exit 0; usage errors exit 2', () => {
    const top = cli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['run', 'feeds', 'extract', 'status', 'demo']) expect(top.stdout).toContain(cmd);
    for (const sub of [['run'], ['feeds', 'check'], ['feeds', 'list'], ['extract'], ['status'], ['demo']]) {
      const r = cli([...sub, '--help']);
      expect(r.code, sub.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: mediamittari/);
    }
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['feeds', 'check']).code).toBe(2);
  });

  it('a config error names file, line and field, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-cli-config-'));
    copyFileSync(join(DEFAULT_CONFIG_DIR, 'municipalities.yaml'), join(dir, 'municipalities.yaml'));
    writeFileSync(join(dir, 'feeds.yaml'), 'feeds:\n  - id: x\n    url: https://example.org/rss\n    kind: local_paper\n    municipalities: [Espoo]\n');
    const r = cli(['--config', dir, 'feeds', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'feeds.yaml')}:5: feeds[0].municipalities[0]: unknown municipality "Espoo"`);
  });

  it('feeds list shows the shipped feeds', () => {
    const r = cli(['feeds', 'list', '--json']);
    expect(r.code).toBe(0);
    const feeds = r.lines.map((l) => JSON.parse(l));
    expect(feeds.find((f) => f.id === 'kaleva-oulun-seutu').municipalityNames).toEqual(['Oulu']);
  });

  it('feeds check: files and URLs, one JSON line each, problems named, exit 1 when one fails', () => {
    const feed = corpus.sources[0]!.feeds[0]!;
    const good = join(work, 'good.xml');
    writeFileSync(good, renderFeed(feed, corpus, 'https://lehti.example'));
    const bad = join(work, 'bad.xml');
    writeFileSync(bad, '<rss><channel><item><title>x</title></chan');
    // Loopback is refused for URLs unless config allows it: the refusal is the expected answer.
    const r = cli(['feeds', 'check', '--json', good, bad, `${server.url}${feed.path}`, join(work, 'missing.xml')]);
    expect(r.code).toBe(1);
    const out = r.lines.map((l) => JSON.parse(l));
    expect(out.map((o) => o.ok)).toEqual([true, false, false, false]);
    expect(out[0].items).toBe(corpus.articles.filter((a) => a.feeds.includes(feed.id)).length);
    expect(out[1].error).toMatch(/malformed feed XML/);
    expect(out[2].error).toMatch(/127\.0\.0\.1/);
    expect(out[2].error).toMatch(/private|loopback|refus|blocked/i);
    expect(out[3].error).toMatch(/no such file/);
  });

  it('extract prints the fields operators debug templates with', () => {
    const a = corpus.articles.find((x) => x.source === 'huittisten-sanomat')!;
    const page = join(work, 'page.html');
    // The classic site is windows-1252: the file holds those bytes, as the server sends them.
    writeFileSync(page, encodeMarkup(renderArticle(a, corpus, { baseUrl: 'https://huittistensanomat.example' }), 'windows-1252'));
    const r = cli(['extract', '--json', page]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.lines[0]!);
    for (const k of ['input', 'url', 'title', 'published', 'author', 'language', 'text', 'paywalled']) expect(o).toHaveProperty(k);
    expect(o.title).toBe(a.title);
    expect(o.language).toBe('fi');
    expect(o.text).toContain(a.paragraphs[1]!.slice(0, 50));
    const text = cli(['extract', page]);
    expect(text.stdout).toContain(`title:     ${a.title}`);
  });

  it('status --json reports articles and per-feed health', () => {
    const db = join(work, 'empty.db');
    const r = cli(['--db', db, 'status', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.articles).toBe(0);
    expect(s.feeds.length).toBeGreaterThanOrEqual(17);
    expect(s.feeds[0]).toHaveProperty('state', 'never_polled');
  });
});
