import { mkdtempSync, mkdirSync, copyFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CORPUS_DIR } from '../../src/demo/index.ts';

const FIXTURE_ARTICLES = fileURLToPath(new URL('./fixtures/articles', import.meta.url));

const created: string[] = [];

/** Removes the directories fixtureCorpusDir made in this test file. */
export function removeFixtureDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A corpus directory with the real sources.yaml and the small fixture articles, so the
 * server tests do not depend on the full corpus (which is edited by hand).
 */
export function fixtureCorpusDir(extraFiles: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-corpus-'));
  created.push(dir);
  mkdirSync(join(dir, 'articles'));
  copyFileSync(join(DEFAULT_CORPUS_DIR, 'sources.yaml'), join(dir, 'sources.yaml'));
  for (const f of readdirSync(FIXTURE_ARTICLES)) copyFileSync(join(FIXTURE_ARTICLES, f), join(dir, 'articles', f));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, 'articles', name), text);
  return dir;
}

/** GET with node:http so that the raw bytes and headers are seen exactly as sent. */
export async function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
