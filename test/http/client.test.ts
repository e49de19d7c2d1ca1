import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpError, defaultHttpOptions, type HttpClientOptions } from '../../src/http/index.ts';
import { recordConnects, sleep, startServer, TEST_USER_AGENT, type TestServer, failure } from './server.ts';

const connects = recordConnects();
let server: TestServer;
let other: TestServer; // a second private server that is never in allowedOrigins
let peer: TestServer; // a second allowed origin, for cross-origin redirects
const hits = new Map<string, number>();
const clients: HttpClient[] = [];

const TEXT = 'Tampereella järjestettiin monikulttuurinen juhla. Äänestys päättyi. '.repeat(50);

function client(partial: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient(
    defaultHttpOptions({
      userAgent: TEST_USER_AGENT,
      allowedOrigins: [server.origin, peer.origin],
      hostMinGapMs: 0,
      respectRobots: false,
      retryBaseMs: 20,
      ...partial,
    }),
  );
  clients.push(c);
  return c;
}

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  const redirect = (status: number, location: string): void => {
    res.writeHead(status, { location });
    res.end();
  };
  const many = /^\/many\/(\d+)$/.exec(path);
  if (many) return redirect(302, `/many/${Number(many[1]) + 1}`);
  switch (path) {
    case '/hello':
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', etag: '"v1"', 'X-Custom-Header': 'Kyllä' });
      return void res.end('hei maailma');
    case '/echo':
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(req.headers));
    case '/429-once':
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        return void res.end('slow down');
      }
      return void res.end('ok after 429');
    case '/429-always':
      res.writeHead(429, { 'retry-after': '1' });
      return void res.end();
    case '/429-long':
      res.writeHead(429, { 'retry-after': '3600' });
      return void res.end();
    case '/503-twice':
      if (n <= 2) {
        res.writeHead(503);
        return void res.end('busy');
      }
      return void res.end('ok after 503');
    case '/503-always':
      res.writeHead(503);
      return void res.end('busy');
    case '/reset-once':
      if (n === 1) return void req.socket.destroy();
      return void res.end('ok after reset');
    case '/404':
      res.writeHead(404);
      return void res.end('not here');
    case '/chain/1':
      return redirect(302, '2');
    case '/chain/2':
      return redirect(301, server.url('/chain/3'));
    case '/chain/3':
      return redirect(307, '/final#section');
    case '/final':
      return void res.end('done');
    case '/loop/a':
      return redirect(302, '/loop/b');
    case '/loop/b':
      return redirect(302, '/loop/a');
    case '/to-metadata':
      return redirect(302, 'http://169.254.169.254/latest/meta-data/');
    case '/to-other':
      return redirect(302, `http://localhost:${other.port}/secret`);
    case '/to-peer':
      return redirect(302, peer.url('/echo'));
    case '/to-file':
      return redirect(302, 'file:///etc/passwd');
    case '/no-location':
      res.writeHead(302);
      return void res.end();
    case '/gzip':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' });
      return void res.end(zlib.gzipSync(TEXT));
    case '/br':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'br' });
      return void res.end(zlib.brotliCompressSync(TEXT));
    case '/deflate':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'deflate' });
      return void res.end(zlib.deflateSync(TEXT));
    case '/deflate-raw':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'deflate' });
      return void res.end(zlib.deflateRawSync(TEXT));
    case '/gzip-then-br':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip, br' });
      return void res.end(zlib.brotliCompressSync(zlib.gzipSync(TEXT)));
    case '/bad-gzip':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      return void res.end(Buffer.from('this is not gzip at all, just text pretending'));
    case '/zstd':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'zstd' });
      return void res.end('x');
    case '/cp1252-header':
      res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
      return void res.end(Buffer.from([0x3c, 0x70, 0x3e, 0x48, 0xe4, 0x6d, 0xf6, 0x3c, 0x2f, 0x70, 0x3e])); // <p>Hämö</p>
    case '/cp1252-meta':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end(
        Buffer.concat([
          Buffer.from('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body>'),
          Buffer.from([0x48, 0xe4, 0x6d, 0xf6, 0x20, 0x96, 0x20, 0x93, 0x6f, 0x6b, 0x94]), // Hämö – “ok”
          Buffer.from('</body></html>'),
        ]),
      );
    case '/bom':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('äö', 'utf8')]));
    case '/xml-latin1':
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return void res.end(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Yl\xf6j\xe4rvi</title></channel></rss>', 'latin1'));
    case '/slow':
      setTimeout(() => res.end('late'), 2_000).unref();
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = await startServer(route);
  other = await startServer((_req, res) => res.end('secret'));
  peer = await startServer((req, res) => res.end(JSON.stringify(req.headers)));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await other.close();
  await peer.close();
  connects.restore();
  // Nothing but loopback was ever dialled; 'localhost' shows up because the guarded lookup
  // runs inside connect, and refuses before any TCP connection is made.
  for (const target of connects.targets) expect(target).toMatch(/^(127\.0\.0\.1|localhost):\d+$/);
  expect(other.connections).toBe(0);
});

describe('HttpClient: plain requests', () => {
  it('fetches a 200 with lower-cased headers, mime type and charset', async () => {
    const res = await client().fetch(server.url('/hello'));
    expect(res.status).toBe(200);
    expect(res.text()).toBe('hei maailma');
    expect(res.headers['x-custom-header']).toBe('Kyllä');
    expect(res.headers['etag']).toBe('"v1"');
    expect(res.contentType).toBe('text/plain');
    expect(res.charset).toBe('utf-8');
    expect(res.url).toBe(server.url('/hello'));
    expect(res.requestedUrl).toBe(server.url('/hello'));
    expect(res.redirects).toEqual([]);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('sends User-Agent, Accept-Encoding and Accept, and lets the caller override Accept', async () => {
    const c = client();
    const sent = JSON.parse((await c.fetch(server.url('/echo'))).text()) as Record<string, string>;
    expect(sent['user-agent']).toBe(TEST_USER_AGENT);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent['accept']).toContain('text/html');
    const feed = JSON.parse((await c.fetch({ url: server.url('/echo'), accept: 'application/rss+xml', headers: { 'X-Trace': 'a1' } })).text()) as Record<string, string>;
    expect(feed['accept']).toBe('application/rss+xml');
    expect(feed['x-trace']).toBe('a1');
  });

  it('returns 304 with an empty body for a conditional GET', async () => {
    const res = await client().fetch({ url: server.url('/hello'), headers: { 'If-None-Match': '"v1"' } });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers['etag']).toBe('"v1"');
  });

  it('reports 404 as http_status without retrying', async () => {
    const before = hits.get('/404') ?? 0;
    const err = await failure(client().fetch(server.url('/404')));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(404);
    expect(err.message).toBe(`GET ${server.url('/404')}: status 404`);
    expect(hits.get('/404')! - before).toBe(1);
  });

  it('rejects URLs it cannot parse', async () => {
    expect((await failure(client().fetch('not a url'))).code).toBe('bad_url');
  });

  it('aborts on the caller signal', async () => {
    const ctl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctl.abort(), 100);
    const err = await failure(client().fetch({ url: server.url('/slow'), signal: ctl.signal }));
    expect(err.code).toBe('aborted');
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('runs many concurrent requests with signals without listener leaks or warnings', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const c = client({ hostMaxConcurrency: 8 });
      const ctl = new AbortController();
      const all = await Promise.all(Array.from({ length: 40 }, (_, i) => c.fetch({ url: server.url(`/hello?i=${i}`), signal: ctl.signal })));
      expect(all.every((r) => r.status === 200)).toBe(true);
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it('ends its keep-alive sockets on close() and refuses work afterwards', async () => {
    const own = await startServer((_req, res) => res.end('x'));
    const c = new HttpClient(defaultHttpOptions({ userAgent: TEST_USER_AGENT, allowedOrigins: [own.origin], hostMinGapMs: 0, respectRobots: false }));
    await c.fetch(own.url('/'));
    await c.fetch(own.url('/'));
    expect(own.connections).toBe(1); // the second request reused the kept-alive socket
    expect(own.openConnections).toBe(1);
    c.close();
    for (let i = 0; i < 50 && own.openConnections > 0; i++) await sleep(10);
    expect(own.openConnections).toBe(0);
    expect((await failure(c.fetch(own.url('/')))).code).toBe('aborted');
    await own.close();
  });
});

describe('HttpClient: retries', () => {
  it('waits for Retry-After: 1 on 429 and then succeeds', async () => {
    const t0 = performance.now();
    const res = await client().fetch(server.url('/429-once'));
    const elapsed = performance.now() - t0;
    expect(res.text()).toBe('ok after 429');
    expect(hits.get('/429-once')).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('does not wait for a Retry-After beyond maxRetryWaitMs: rate_limited with retryAfterMs', async () => {
    const t0 = performance.now();
    const err = await failure(client().fetch(server.url('/429-long')));
    expect(err.code).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.message).toContain('http.max_retry_wait');
    expect(hits.get('/429-long')).toBe(1);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t0 = performance.now();
    const err = await failure(client().fetch({ url: server.url('/429-always'), signal: ctl.signal }));
    expect(err.code).toBe('aborted');
    expect(performance.now() - t0).toBeLessThan(600);
    expect(hits.get('/429-always')).toBe(1);
  });

  it('retries 503 with backoff and succeeds on the third attempt', async () => {
    const res = await client().fetch(server.url('/503-twice'));
    expect(res.text()).toBe('ok after 503');
    expect(hits.get('/503-twice')).toBe(3);
  });

  it('gives up after `retries` retries of 503', async () => {
    const err = await failure(client({ retries: 1 }).fetch(server.url('/503-always')));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(503);
    expect(hits.get('/503-always')).toBe(2);
  });

  it('retries a connection reset by the server', async () => {
    const res = await client().fetch(server.url('/reset-once'));
    expect(res.text()).toBe('ok after reset');
    expect(hits.get('/reset-once')).toBe(2);
  });
});

describe('HttpClient: redirects', () => {
  it('follows a chain of relative and absolute Locations', async () => {
    const res = await client().fetch(server.url('/chain/1'));
    expect(res.text()).toBe('done');
    expect(res.redirects).toEqual([server.url('/chain/2'), server.url('/chain/3'), server.url('/final#section')]);
    expect(res.url).toBe(server.url('/final#section'));
    expect(res.requestedUrl).toBe(server.url('/chain/1'));
  });

  it('detects a loop', async () => {
    const err = await failure(client().fetch(server.url('/loop/a')));
    expect(err.code).toBe('redirect_loop');
    expect(err.message).toContain(`${server.url('/loop/a')} -> ${server.url('/loop/b')} -> ${server.url('/loop/a')}`);
  });

  it('stops after maxRedirects', async () => {
    const before = [...hits.keys()].filter((k) => k.startsWith('/many/')).length;
    const err = await failure(client({ maxRedirects: 3 }).fetch(server.url('/many/0')));
    expect(err.code).toBe('too_many_redirects');
    expect(err.message).toContain('more than 3 redirects');
    expect([...hits.keys()].filter((k) => k.startsWith('/many/')).length - before).toBe(4);
  });

  it('does not carry credentials to another origin', async () => {
    const res = await client().fetch({ url: server.url('/to-peer'), headers: { Authorization: 'Bearer t', Cookie: 'a=1', 'X-Trace': 'kept' } });
    const sent = JSON.parse(res.text()) as Record<string, string>;
    expect(sent['x-trace']).toBe('kept');
    expect(sent['authorization']).toBeUndefined();
    expect(sent['cookie']).toBeUndefined();
  });

  it('treats a redirect without Location as an error', async () => {
    const err = await failure(client().fetch(server.url('/no-location')));
    expect(err.code).toBe('http_status');
    expect(err.status).toBe(302);
  });
});

describe('HttpClient: content decoding', () => {
  it.each(['/gzip', '/br', '/deflate', '/deflate-raw', '/gzip-then-br'])('decodes %s', async (path) => {
    const res = await client().fetch(server.url(path));
    expect(res.text()).toBe(TEXT);
  });

  it('fails a corrupt gzip body with decode_failed', async () => {
    const err = await failure(client().fetch(server.url('/bad-gzip')));
    expect(err.code).toBe('decode_failed');
    expect(err.message).toContain('gzip');
  });

  it('fails an unsupported coding with decode_failed', async () => {
    const err = await failure(client().fetch(server.url('/zstd')));
    expect(err.code).toBe('decode_failed');
    expect(err.message).toContain("'zstd'");
  });
});

describe('HttpClient: charsets', () => {
  it('decodes windows-1252 declared in the header', async () => {
    const res = await client().fetch(server.url('/cp1252-header'));
    expect(res.charset).toBe('windows-1252');
    expect(res.text()).toBe('<p>Hämö</p>');
  });

  it('decodes windows-1252 declared by <meta http-equiv>', async () => {
    const res = await client().fetch(server.url('/cp1252-meta'));
    expect(res.charset).toBe('windows-1252');
    expect(res.text()).toContain('Hämö – “ok”');
  });

  it('honours a UTF-8 BOM and strips it from text()', async () => {
    const res = await client().fetch(server.url('/bom'));
    expect(res.charset).toBe('utf-8');
    expect(res.text()).toBe('äö');
  });

  it('reads the encoding of an XML declaration', async () => {
    const res = await client().fetch(server.url('/xml-latin1'));
    expect(res.charset).toBe('iso-8859-1');
    expect(res.text()).toContain('<title>Ylöjärvi</title>');
  });
});

describe('HttpClient: refused targets', () => {
  // Each refusal must happen before any socket is opened to the target.
  async function refusedWithoutConnecting(url: string, c: HttpClient = client()): Promise<HttpError> {
    const before = connects.targets.length;
    const err = await failure(c.fetch(url));
    expect(connects.targets.slice(before)).toEqual([]);
    return err;
  }

  it('refuses 127.0.0.1 when its origin is not allowed', async () => {
    const before = server.connections;
    const c = client({ allowedOrigins: [] });
    const err = await refusedWithoutConnecting(server.url('/hello'), c);
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('127.0.0.1 is a private or reserved address');
    expect(server.connections).toBe(before);
  });

  it('allows only exactly the listed origin', async () => {
    const err = await refusedWithoutConnecting(`http://127.0.0.1:${other.port}/`);
    expect(err.code).toBe('blocked_address');
  });

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.1/'])(
    'refuses %s',
    async (url) => {
      const err = await refusedWithoutConnecting(url);
      expect(err.code).toBe('blocked_address');
    },
  );

  it.each(['file:///etc/passwd', 'ftp://example.org/x', 'data:text/plain,hi', 'javascript:alert(1)', 'gopher://example.org/'])('refuses the scheme of %s', async (url) => {
    const err = await refusedWithoutConnecting(url);
    expect(err.code).toBe('blocked_scheme');
  });

  it('refuses a hostname that resolves to loopback, checked at connect time', async () => {
    const before = connects.targets.length;
    const err = await failure(client().fetch(`http://localhost:${other.port}/secret`));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    // the socket was created (the lookup runs inside it) but never reached the server
    expect(connects.targets.slice(before)).toEqual([`localhost:${other.port}`]);
    expect(other.connections).toBe(0);
  });

  it('re-checks every redirect hop', async () => {
    const meta = await failure(client().fetch(server.url('/to-metadata')));
    expect(meta.code).toBe('blocked_address');
    expect(meta.url).toBe('http://169.254.169.254/latest/meta-data/');
    const local = await failure(client().fetch(server.url('/to-other')));
    expect(local.code).toBe('blocked_address');
    expect(other.connections).toBe(0);
    const file = await failure(client().fetch(server.url('/to-file')));
    expect(file.code).toBe('blocked_scheme');
  });

  it('connects anywhere when private addresses are allowed', async () => {
    const res = await client({ allowPrivateAddresses: true, allowedOrigins: [] }).fetch(server.url('/hello'));
    expect(res.status).toBe(200);
  });
});
