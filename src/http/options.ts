import type { HostPacer } from './pacer.ts';
import type { RobotsCache } from './robots.ts';

export interface HttpClientOptions {
  /** Built by the caller from config, e.g. 'Mediamittari/0.1 (+https://example.org; mailto:ops@example.org)'. */
  userAgent: string;
  /** Socket connect (including DNS). */
  connectTimeoutMs: number;
  /** One attempt as a whole, including the body; every retry and redirect hop gets its own. */
  totalTimeoutMs: number;
  /** Raw (possibly compressed) bytes on the wire. */
  maxBodyBytes: number;
  /** After gzip/deflate/br decoding: the gzip bomb defence. */
  maxDecodedBytes: number;
  maxRedirects: number;
  /** Retries on 429/503, and on network errors (GET is idempotent). */
  retries: number;
  /** Base of the exponential backoff when the server gives no Retry-After (default 1000). */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the request fails with 'rate_limited'. */
  maxRetryWaitMs: number;
  respectRobots: boolean;
  /** Off by default: loopback, private, link-local, ... addresses are refused. */
  allowPrivateAddresses: boolean;
  /** Origins (e.g. 'http://127.0.0.1:41234') allowed even though their address is private. */
  allowedOrigins: string[];
  /** Per host: minimum gap between request starts. */
  hostMinGapMs: number;
  /** Per host: maximum requests in flight. */
  hostMaxConcurrency: number;
  robotsTtlMs: number;
  /** How long an unreachable robots.txt (5xx, network error) blocks the origin before it is tried again (default 10 min). */
  robotsErrorTtlMs?: number;
  pacer?: HostPacer;
  robotsCache?: RobotsCache;
}

type Tunables = Required<Omit<HttpClientOptions, 'userAgent' | 'pacer' | 'robotsCache'>>;

export const HTTP_DEFAULTS: Readonly<Tunables> = {
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxDecodedBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryBaseMs: 1_000,
  maxRetryWaitMs: 60_000,
  respectRobots: true,
  allowPrivateAddresses: false,
  allowedOrigins: [],
  hostMinGapMs: 1_000,
  hostMaxConcurrency: 2,
  robotsTtlMs: 24 * 60 * 60 * 1000,
  robotsErrorTtlMs: 10 * 60 * 1000,
};

const NON_NEGATIVE: ReadonlyArray<keyof Tunables> = [
  'connectTimeoutMs',
  'totalTimeoutMs',
  'maxBodyBytes',
  'maxDecodedBytes',
  'maxRedirects',
  'retries',
  'retryBaseMs',
  'maxRetryWaitMs',
  'hostMinGapMs',
  'robotsTtlMs',
  'robotsErrorTtlMs',
];

/** Complete options from the caller's choices; throws on values the client cannot work with. */
export function defaultHttpOptions(partial: Partial<HttpClientOptions> & { userAgent: string }): HttpClientOptions {
  const opts: HttpClientOptions = { ...HTTP_DEFAULTS, ...stripUndefined(partial) } as HttpClientOptions;
  if (!opts.userAgent.trim()) throw new Error('http options: userAgent is empty');
  for (const key of NON_NEGATIVE) {
    const v = opts[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`http options: ${key} must be a non-negative number, got ${String(v)}`);
    }
  }
  if (!Number.isInteger(opts.hostMaxConcurrency) || opts.hostMaxConcurrency < 1) {
    throw new Error(`http options: hostMaxConcurrency must be an integer >= 1, got ${String(opts.hostMaxConcurrency)}`);
  }
  if (opts.totalTimeoutMs === 0 || opts.connectTimeoutMs === 0) {
    throw new Error('http options: timeouts must be greater than 0');
  }
  opts.allowedOrigins = opts.allowedOrigins.map((o) => {
    let origin: string;
    try {
      origin = new URL(o).origin;
    } catch {
      throw new Error(`http options: allowedOrigins entry '${o}' is not a URL origin`);
    }
    if (origin === 'null') throw new Error(`http options: allowedOrigins entry '${o}' has no origin`);
    return origin;
  });
  return opts;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
