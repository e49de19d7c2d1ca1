// The streamed export over HTTP on a corpus too large to hold: 40,000 synthetic articles with
// their full text (about 58 MB of JSONL). The response must equal the file export byte for
// byte while the server's memory stays flat, a download that stops reading must stop the
// export rather than let it run ahead into memory, and a client that goes away must end it.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { exportToFile } from '../../src/export/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { Store } from '../../src/store/store.ts';
import { MAX_RUNNING_EXPORTS } from '../../src/web/api/export.ts';
import { startWebServer } from '../../src/web/server.ts';
import { generateSyntheticStore } from '../export/synthetic.ts';
import { PASSWORD } from './harness.ts';

const ARTICLES = 40_000;
const dir = mkdtempSync(join(tmpdir(), 'mm-api-export-'));
const storePath = join(dir, 'store.db');
const logs: { msg: string; [k: string]: unknown }[] = [];
let server: Awaited<ReturnType<typeof startWebServer>>;
let auth: { authorization: string };

beforeAll(async () => {
  generateSyntheticStore(storePath, { articles: ARTICLES });
  const configOptions = { overrides: { storePath } };
  const log = createLogger({ format: 'json', level: 'info', write: (line) => logs.push(JSON.parse(line) as (typeof logs)[number]) });
  server = await startWebServer({ config: loadConfig(configOptions), configOptions, log, port: 0 });
  await server.ctx.accounts.addUser('tutkija', 'viewer', PASSWORD);
  auth = { authorization: `Bearer ${server.ctx.accounts.createToken('tutkija', 'export test').token}` };
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Live memory, not garbage: a full collection before each reading.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const logged = (msg: string) => logs.filter((l) => l.msg === msg).length;

async function until(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a download and stops reading it after its first chunk. */
function stalledDownload(path: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(`${server.url}${path}`, { headers: auth }, (res) => {
      res.once('data', () => {
        res.pause();
        resolve({ req, res });
      });
    });
    req.on('error', (e) => {
      if (!req.destroyed) reject(e);
    });
  });
}

function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

describe('a large export over HTTP', () => {
  it('equals the file export byte for byte while the server’s memory stays flat', async () => {
    // A small export first, so that compiled code and connection set-up are not counted as growth.
    await (await fetch(`${server.url}/api/v1/export?format=jsonl&text=full&group=sami`, { headers: auth })).arrayBuffer();
    await until('the warm-up export to finish', () => logged('export streamed') === 1);
    const base = liveBytes();
    let peak = 0;
    let bytes = 0;
    let chunks = 0;
    const hash = createHash('sha256');
    const res = await fetch(`${server.url}/api/v1/export?format=jsonl&text=full`, { headers: auth });
    expect(res.status).toBe(200);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      if (++chunks % 64 === 0) peak = Math.max(peak, liveBytes() - base);
    }
    await until('the export to finish', () => logged('export streamed') === 2);

    const store = new Store(storePath);
    try {
      const out = join(dir, 'file.jsonl');
      await exportToFile(store, { format: 'jsonl', text: 'full', filters: {} }, out);
      expect(bytes).toBe(statSync(out).size);
      expect(hash.digest('hex')).toBe(await fileHash(out));
      rmSync(out);
    } finally {
      store.close();
    }
    expect(bytes).toBeGreaterThan(50_000_000);
    // Holding the response would keep all of it alive; streaming keeps a batch or two.
    console.info(`export over HTTP: ${ARTICLES} rows, ${(bytes / 1e6).toFixed(1)} MB, live memory grew by at most ${(peak / 1e6).toFixed(1)} MB`);
    expect(peak).toBeLessThan(16_000_000);
  }, 120_000);

  it('a download that stops reading holds its export back; too many at once are refused; leaving ends them', async () => {
    const finishedBefore = logged('export streamed');
    const stoppedBefore = logged('export stopped: the client went away');
    const stalled = [];
    for (let i = 0; i < MAX_RUNNING_EXPORTS; i++) stalled.push(await stalledDownload('/api/v1/export?format=csv&text=full'));

    const refused = await fetch(`${server.url}/api/v1/export?format=jsonl`, { headers: auth });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ status: 429 });

    // With the clients not reading, no export can get far: each waits on its socket.
    await new Promise((r) => setTimeout(r, 1500));
    expect(logged('export streamed')).toBe(finishedBefore);
    for (const s of stalled) expect(s.res.complete).toBe(false);

    for (const s of stalled) s.req.destroy();
    await until('the exports to stop', () => logged('export stopped: the client went away') === stoppedBefore + MAX_RUNNING_EXPORTS);
    expect(logged('export streamed')).toBe(finishedBefore);

    const again = await fetch(`${server.url}/api/v1/export?format=jsonl&group=sami&text=none`, { headers: auth });
    expect(again.status).toBe(200);
    const rows = (await again.text()).trim().split('\n');
    const sami = server.ctx.store.db.prepare(`SELECT COUNT(DISTINCT article_id) n FROM article_groups WHERE group_id = 'sami'`).get() as { n: number };
    expect(rows.length).toBe(sami.n);
  }, 120_000);
});
