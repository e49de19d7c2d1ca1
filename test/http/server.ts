import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { HttpError } from '../../src/http/index.ts';

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** performance.now() when the request head arrived. */
  at: number;
}

export interface TestServer {
  origin: string;
  port: number;
  url(path: string): string;
  /** TCP connections accepted since start. */
  readonly connections: number;
  /** TCP connections currently open. */
  readonly openConnections: number;
  requests: SeenRequest[];
  /** Requests whose response has not finished, and the most seen at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void;

/** A real HTTP server on 127.0.0.1, port chosen by the OS. */
export async function startServer(handler: Handler): Promise<TestServer> {
  let connections = 0;
  let open = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen: SeenRequest = { path: req.url ?? '', headers: req.headers, at: performance.now() };
    requests.push(seen);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handler(req, res, seen);
  });
  server.on('connection', (socket) => {
    connections++;
    open++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => origin + path,
    get connections() {
      return connections;
    },
    get openConnections() {
      return open;
    },
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `total` bytes of `fill`, produced chunk by chunk as the consumer reads: never allocated at once. */
export function streamOf(total: number, fill = 0, chunkSize = 64 * 1024): Readable {
  const chunk = Buffer.alloc(chunkSize, fill);
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, chunkSize);
      left -= n;
      this.push(n === chunkSize ? chunk : chunk.subarray(0, n));
    },
  });
}

/**
 * Records the target of every outgoing socket connect in this process, so a test can assert
 * that nothing but 127.0.0.1 was ever contacted and that refused URLs never got a socket.
 */
export function recordConnects(): { targets: string[]; restore(): void } {
  const targets: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const opts = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; port?: number } | number;
    if (typeof opts === 'object' && opts !== null) targets.push(opts.path ?? `${opts.host ?? 'localhost'}:${opts.port}`);
    else targets.push(String(args[1] ?? 'localhost') + ':' + String(opts));
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    targets,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const TEST_USER_AGENT = 'Mediamittari/0.1 (+https://example.org; mailto:ops@example.org)';

/** The HttpError a request fails with; anything else (or success) fails the test. */
export async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}
