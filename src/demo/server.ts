// The demo fixture server: serves the offline corpus on loopback the way the real sites
// would, so that the whole pipeline (conditional GET, robots, encodings, gzip, redirects,
// extraction) runs against it unchanged. Tests add fault routes through extraRoutes.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { loadDemoCorpus, DEFAULT_CORPUS_DIR, type DemoCorpus, type DemoFeed } from './corpus.ts';
import { renderArticle, renderFrontPage, escapeHtml } from './templates.ts';
import { renderFeed, feedLastModified } from './feeds.ts';
import { encodeMarkup } from './encoding.ts';

export interface DemoServerOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  corpusDir?: string;
  /** runs before the corpus routes; return true when it has answered the request */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface DemoRequest {
  method: string;
  /** request target as sent, query string included */
  path: string;
  status: number;
}

export interface DemoServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  /** every answered request, in completion order */
  requests: DemoRequest[];
}

export const ROBOTS_TXT = 'User-agent: *\nDisallow: /admin/\n';

interface Resource {
  contentType: string;
  lastModified: Date;
  maxAge: number;
  render: () => string | Buffer;
}

interface Representation {
  body: Buffer;
  gzipped?: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  maxAge: number;
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const corpus = loadDemoCorpus(opts.corpusDir ?? DEFAULT_CORPUS_DIR);
  const requests: DemoRequest[] = [];
  let baseUrl = '';
  let resources = new Map<string, Resource>();
  const rendered = new Map<string, Representation>();

  const server = createServer((req, res) => {
    res.on('finish', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode });
    });
    try {
      if (opts.extraRoutes?.(req, res)) return;
      handle(req, res);
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      res.end(`demo server error: ${(err as Error).message}\n`);
    }
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    // Query strings (tracking parameters above all) do not change what a page is.
    const rawPath = new URL(req.url ?? '/', 'http://demo').pathname;
    let pathname = rawPath;
    try {
      pathname = decodeURI(rawPath);
    } catch {
      // a malformed escape cannot name a corpus path; it falls through to 404
    }
    const resource = resources.get(pathname);
    if (!resource) {
      const withSlash = `${pathname}/`;
      if (!pathname.endsWith('/') && resources.has(withSlash)) {
        res.writeHead(301, { Location: withSlash, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`moved to ${withSlash}\n`);
        return;
      }
      const body = Buffer.from(notFoundPage(pathname), 'utf8');
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    let rep = rendered.get(pathname);
    if (!rep) {
      const out = resource.render();
      const body = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
      rep = {
        body,
        // Weak: the gzip and identity representations share it, as their content is the same.
        etag: `W/"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`,
        lastModified: resource.lastModified,
        contentType: resource.contentType,
        maxAge: resource.maxAge,
      };
      rendered.set(pathname, rep);
    }
    const headers: Record<string, string | number> = {
      'Content-Type': rep.contentType,
      ETag: rep.etag,
      'Last-Modified': rep.lastModified.toUTCString(),
      'Cache-Control': `public, max-age=${rep.maxAge}`,
      Vary: 'Accept-Encoding',
    };
    if (notModified(req, rep)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = rep.body;
    if (acceptsGzip(req.headers['accept-encoding'])) {
      rep.gzipped ??= gzipSync(rep.body);
      body = rep.gzipped;
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
  };

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  resources = buildResources(corpus, baseUrl);

  return {
    url: baseUrl,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((err) => (err ? rejectClose(err) : resolveClose()));
        // Keep-alive clients would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

function buildResources(corpus: DemoCorpus, baseUrl: string): Map<string, Resource> {
  const map = new Map<string, Resource>();
  const encodingOf = new Map(corpus.sources.map((s) => [s.id, s.encoding]));
  const newest = corpus.articles.reduce((m, a) => Math.max(m, Date.parse(a.modified ?? a.published)), 0);

  map.set('/robots.txt', {
    contentType: 'text/plain; charset=utf-8',
    lastModified: new Date('2026-08-01T00:00:00Z'),
    maxAge: 3600,
    render: () => ROBOTS_TXT,
  });
  map.set('/', {
    contentType: 'text/html; charset=utf-8',
    lastModified: new Date(newest),
    maxAge: 60,
    render: () => indexPage(corpus),
  });

  for (const source of corpus.sources) {
    const legacy = source.encoding === 'windows-1252';
    const htmlType = `text/html; charset=${source.encoding}`;
    const encode = (html: string): string | Buffer => (legacy ? encodeMarkup(html, 'windows-1252') : html);
    const own = corpus.articles.filter((a) => a.source === source.id);
    map.set(`/${source.id}/`, {
      contentType: htmlType,
      lastModified: new Date(own.reduce((m, a) => Math.max(m, Date.parse(a.modified ?? a.published)), 0)),
      maxAge: 60,
      render: () => encode(renderFrontPage(source, corpus)),
    });
    for (const feed of source.feeds) map.set(feed.path, feedResource(feed, corpus, baseUrl));
  }
  for (const article of corpus.articles) {
    const legacy = encodingOf.get(article.source) === 'windows-1252';
    map.set(article.url, {
      contentType: `text/html; charset=${legacy ? 'windows-1252' : 'utf-8'}`,
      lastModified: new Date(article.modified ?? article.published),
      maxAge: 60,
      render: () => {
        const html = renderArticle(article, corpus, { baseUrl });
        return legacy ? encodeMarkup(html, 'windows-1252') : html;
      },
    });
  }
  return map;
}

function feedResource(feed: DemoFeed, corpus: DemoCorpus, baseUrl: string): Resource {
  const mime = feed.format === 'atom' ? 'application/atom+xml' : feed.format === 'rss1' ? 'application/rdf+xml' : 'application/rss+xml';
  const charset = feed.encoding === 'utf-8' ? 'utf-8' : 'ISO-8859-1';
  return {
    contentType: `${mime}; charset=${charset}`,
    lastModified: feedLastModified(feed, corpus),
    maxAge: 300,
    render: () => {
      const xml = renderFeed(feed, corpus, baseUrl);
      return feed.encoding === 'utf-8' ? xml : encodeMarkup(xml, 'iso-8859-1');
    },
  };
}

function notModified(req: IncomingMessage, rep: Representation): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
    const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
    const mine = opaque(rep.etag);
    return inm.split(',').some((t) => t.trim() === '*' || opaque(t) === mine);
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(rep.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip' && coding?.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function notFoundPage(path: string): string {
  return `<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Sivua ei löytynyt</title></head>
<body><h1>Sivua ei löytynyt</h1><p>Osoitetta ${escapeHtml(path)} ei ole. Se on ehkä poistettu tai siirretty.</p></body></html>
`;
}

function indexPage(corpus: DemoCorpus): string {
  const rows = corpus.sources.map((s) => {
    const count = corpus.articles.filter((a) => a.source === s.id).length;
    const feeds = s.feeds.map((f) => `<a href="${escapeHtml(f.path)}">${escapeHtml(f.id)}</a> (${f.format})`).join(', ');
    return `<tr><td><a href="/${s.id}/">${escapeHtml(s.name)}</a></td><td>${s.template}</td><td>${count}</td><td>${feeds}</td></tr>`;
  });
  return `<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Mediamittari – demoaineisto</title></head>
<body>
<h1>Demoaineiston lähteet</h1>
<table>
<tr><th>Lähde</th><th>Sivupohja</th><th>Juttuja</th><th>Syötteet</th></tr>
${rows.join('\n')}
</table>
</body></html>
`;
}
