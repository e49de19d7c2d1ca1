import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { ipLiteralOf, isBlockedAddress } from './address.ts';
import { decodeBody, detectCharset, mimeTypeOf } from './charset.ts';
import { HttpError } from './errors.ts';
import { HTTP_DEFAULTS, type HttpClientOptions } from './options.ts';
import { MemoryHostPacer, type HostPacer } from './pacer.ts';
import { backoffMs, parseRetryAfter, sleep } from './retry.ts';
import { MemoryRobotsCache, productTokenOf, robotsPolicy, type RobotsCache, type RobotsEntry, type RobotsPolicy } from './robots.ts';
import { requestOnce, type WireResponse } from './transport.ts';

export interface HttpRequest {
  url: string;
  /** Extra or overriding request headers, e.g. If-None-Match / If-Modified-Since for conditional GET. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Accept header; the default asks for HTML and XML. */
  accept?: string;
}

export interface HttpResponse {
  /** Final URL after redirects. */
  url: string;
  requestedUrl: string;
  /** Each hop's URL, in order. */
  redirects: string[];
  /** 2xx or 304; everything else is an HttpError. */
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Content-decoded bytes. */
  body: Buffer;
  /** Mime type without parameters, '' if none. */
  contentType: string;
  /** Normalised charset label the body is read with. */
  charset: string;
  text(): string;
  elapsedMs: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ROBOTS_ACCEPT = 'text/plain,*/*;q=0.5';
// A Crawl-delay beyond this is treated as this: a file asking for an hour between requests
// would otherwise stall every article of that publisher behind one queue.
const MAX_CRAWL_DELAY_MS = 60_000;
// Headers that carry the caller's credentials for one site and must not follow a redirect elsewhere.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function hostKey(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function assertWebScheme(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError('blocked_scheme', url.href, `scheme ${url.protocol} is not fetched (only http: and https:)`);
  }
}

function withoutHash(url: URL): URL {
  const u = new URL(url.href);
  u.hash = '';
  return u;
}

/**
 * The one HTTP client for feeds, article pages and robots.txt. Polite (robots.txt, per-host
 * pacing, Retry-After), bounded (timeouts, body and decoded-size caps) and safe against URLs
 * that point inwards (private addresses refused at connect time, on every redirect hop).
 */
export class HttpClient {
  private readonly opts: HttpClientOptions;
  private readonly retryBaseMs: number;
  private readonly robotsErrorTtlMs: number;
  private readonly pacer: HostPacer;
  private readonly robotsCache: RobotsCache;
  private readonly productToken: string;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly closing = new AbortController();
  private readonly robotsInFlight = new Map<string, Promise<RobotsPolicy>>();
  private readonly robotsParsed = new Map<string, { entry: RobotsEntry; policy: RobotsPolicy }>();

  constructor(opts: HttpClientOptions) {
    this.opts = opts;
    this.retryBaseMs = opts.retryBaseMs ?? HTTP_DEFAULTS.retryBaseMs;
    this.robotsErrorTtlMs = opts.robotsErrorTtlMs ?? HTTP_DEFAULTS.robotsErrorTtlMs;
    this.pacer = opts.pacer ?? new MemoryHostPacer({ minGapMs: opts.hostMinGapMs, maxConcurrency: opts.hostMaxConcurrency });
    this.robotsCache = opts.robotsCache ?? new MemoryRobotsCache();
    this.productToken = productTokenOf(opts.userAgent);
    this.allowedOrigins = new Set(
      opts.allowedOrigins.map((o) => {
        try {
          return new URL(o).origin;
        } catch {
          return o;
        }
      }),
    );
    // Idle keep-alive sockets are dropped after 4 s, before most servers drop them, so that
    // a reused socket is rarely one the server has already closed.
    // robots.txt fetches of many origins at once listen on the close signal directly.
    setMaxListeners(0, this.closing.signal);
    const agentOpts = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const };
    this.httpAgent = new http.Agent(agentOpts);
    this.httpsAgent = new https.Agent(agentOpts);
  }

  async fetch(req: HttpRequest | string): Promise<HttpResponse> {
    const request: HttpRequest = typeof req === 'string' ? { url: req } : req;
    const started = performance.now();
    const requested = this.parseTarget(request.url);
    const { signal, dispose } = linkSignals(request.signal, this.closing.signal);
    try {
      if (signal.aborted) throw this.abortedError(requested.href);
      return await this.run(request, requested, signal, started);
    } finally {
      dispose();
    }
  }

  private async run(request: HttpRequest, requested: URL, signal: AbortSignal, started: number): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      accept: request.accept ?? DEFAULT_ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;

    const wire = await this.follow(requested, headers, signal, this.opts.respectRobots);
    const body = wire.response.body;
    const charset = detectCharset(body, wire.response.headers['content-type']);
    let text: string | undefined;
    return {
      url: wire.url.href,
      requestedUrl: requested.href,
      redirects: wire.redirects,
      status: wire.response.status,
      headers: wire.response.headers,
      body,
      contentType: mimeTypeOf(wire.response.headers['content-type']),
      charset,
      text: () => (text ??= decodeBody(body, charset)),
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  /** Whether robots.txt of the URL's origin lets our product token fetch it (fetches robots.txt if not cached). */
  async isAllowedByRobots(url: string): Promise<boolean> {
    const target = this.parseTarget(url);
    const policy = await this.policyFor(target.origin);
    return policy.isAllowed(target.href);
  }

  /** Ends keep-alive sockets and aborts requests in flight; the client cannot be used afterwards. */
  close(): void {
    this.closing.abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private parseTarget(input: string): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new HttpError('bad_url', input, 'not an absolute URL');
    }
    assertWebScheme(url);
    return url;
  }

  private abortedError(url: string): HttpError {
    return new HttpError('aborted', url, this.closing.signal.aborted ? 'client is closed' : 'aborted by caller');
  }

  /**
   * Decides before connecting whether a hop may be fetched. Returns whether the addresses DNS
   * gives for the hostname still have to be checked at connect time.
   */
  private admit(url: URL): boolean {
    assertWebScheme(url);
    if (this.opts.allowPrivateAddresses || this.allowedOrigins.has(url.origin)) return false;
    const literal = ipLiteralOf(url.hostname);
    if (literal === undefined) return true;
    if (isBlockedAddress(literal)) {
      throw new HttpError('blocked_address', url.href, `${literal} is a private or reserved address (refused unless http.allow_private_addresses or http.allowed_origins)`);
    }
    return false;
  }

  private async follow(
    requested: URL,
    initialHeaders: Record<string, string>,
    signal: AbortSignal,
    checkRobots: boolean,
  ): Promise<{ url: URL; redirects: string[]; response: WireResponse }> {
    let url = requested;
    let headers = initialHeaders;
    const redirects: string[] = [];
    const seen = new Set([withoutHash(url).href]);
    for (;;) {
      const checkResolvedAddress = this.admit(url);
      if (checkRobots) await this.assertRobotsAllow(url, signal);
      const response = await this.withRetries(url, headers, signal, checkResolvedAddress);
      if (!REDIRECT_STATUSES.has(response.status)) return { url, redirects, response };

      const location = response.headers['location'];
      if (!location) {
        throw new HttpError('http_status', url.href, `status ${response.status} without a Location header`, { status: response.status });
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new HttpError('bad_url', url.href, `redirect to unreadable Location '${location}'`, { status: response.status });
      }
      const chain = [requested.href, ...redirects, next.href].join(' -> ');
      if (seen.has(withoutHash(next).href)) {
        throw new HttpError('redirect_loop', requested.href, `redirect loop: ${chain}`, { status: response.status });
      }
      if (redirects.length >= this.opts.maxRedirects) {
        throw new HttpError(
          'too_many_redirects',
          requested.href,
          `more than ${this.opts.maxRedirects} redirects (cap http.max_redirects): ${chain}`,
          { status: response.status },
        );
      }
      if (next.origin !== url.origin) {
        headers = { ...headers };
        for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
      }
      seen.add(withoutHash(next).href);
      redirects.push(next.href);
      url = next;
    }
  }

  private async withRetries(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
    checkResolvedAddress: boolean,
  ): Promise<WireResponse> {
    const { retries, maxRetryWaitMs } = this.opts;
    for (let attempt = 0; ; attempt++) {
      let response: WireResponse;
      try {
        response = await this.paced(url, signal, () =>
          requestOnce({
            url: withoutHash(url),
            headers,
            agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
            checkResolvedAddress,
            signal,
            limits: this.opts,
            wantsBody: (status) => status >= 200 && status < 300,
          }),
        );
      } catch (err) {
        if (signal.aborted) throw this.abortedError(url.href);
        // GET is idempotent: a reset or refused connection is worth another try; a timeout
        // is not (it already took the whole allowance), nor is a refusal of ours.
        if (err instanceof HttpError && (err.code === 'network' || err.code === 'connect_timeout') && attempt < retries) {
          await sleep(backoffMs(attempt, this.retryBaseMs), signal, url.href);
          continue;
        }
        throw err;
      }

      const { status } = response;
      if (status === 429 || status === 503) {
        const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
        if (retryAfterMs !== undefined && retryAfterMs > maxRetryWaitMs) {
          throw new HttpError(
            'rate_limited',
            url.href,
            `status ${status} with Retry-After of ${retryAfterMs} ms, longer than ${maxRetryWaitMs} ms (cap http.max_retry_wait)`,
            { status, retryAfterMs },
          );
        }
        if (attempt < retries) {
          await sleep(retryAfterMs ?? backoffMs(attempt, this.retryBaseMs), signal, url.href);
          continue;
        }
        const details = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
        const problem = `status ${status} after ${attempt + 1} attempts (cap http.retries)`;
        throw status === 429 ? new HttpError('rate_limited', url.href, problem, details) : new HttpError('http_status', url.href, problem, details);
      }
      if ((status >= 200 && status < 300) || status === 304 || REDIRECT_STATUSES.has(status)) return response;
      throw new HttpError('http_status', url.href, `status ${status}`, { status });
    }
  }

  /** One attempt holds its host's slot from connect to the last body byte. */
  private async paced<T>(url: URL, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    let release: () => void;
    try {
      release = await this.pacer.acquire(hostKey(url), signal);
    } catch (err) {
      if (signal.aborted) throw this.abortedError(url.href);
      throw err;
    }
    try {
      return await work();
    } finally {
      release();
    }
  }

  private async assertRobotsAllow(url: URL, signal: AbortSignal): Promise<void> {
    const policy = await raceAbort(this.policyFor(url.origin), signal, () => this.abortedError(url.href));
    if (!policy.isAllowed(url.href)) {
      throw new HttpError('robots_disallowed', url.href, `disallowed by ${url.origin}/robots.txt for ${this.productToken}`);
    }
  }

  // Concurrent requests to one origin share one robots.txt fetch.
  private policyFor(origin: string): Promise<RobotsPolicy> {
    const pending = this.robotsInFlight.get(origin);
    if (pending) return pending;
    const loading = this.loadPolicy(origin).finally(() => this.robotsInFlight.delete(origin));
    this.robotsInFlight.set(origin, loading);
    return loading;
  }

  private async loadPolicy(origin: string): Promise<RobotsPolicy> {
    const entry = (await this.robotsCache.get(origin)) ?? (await this.fetchRobots(origin));
    const parsed = this.robotsParsed.get(origin);
    if (parsed && parsed.entry.fetchedAt === entry.fetchedAt && parsed.entry.status === entry.status) return parsed.policy;

    const policy = robotsPolicy(`${origin}/robots.txt`, entry, this.productToken);
    this.robotsParsed.delete(origin);
    this.robotsParsed.set(origin, { entry, policy });
    // Parsed files are small but origins are many over months of article links.
    if (this.robotsParsed.size > 2_000) {
      const oldest = this.robotsParsed.keys().next().value;
      if (oldest !== undefined) this.robotsParsed.delete(oldest);
    }
    if (policy.crawlDelayMs !== undefined && policy.crawlDelayMs > this.opts.hostMinGapMs && this.pacer.raiseMinGap) {
      await this.pacer.raiseMinGap(hostKey(new URL(origin)), Math.min(policy.crawlDelayMs, MAX_CRAWL_DELAY_MS));
    }
    return policy;
  }

  private async fetchRobots(origin: string): Promise<RobotsEntry> {
    const robotsUrl = new URL('/robots.txt', origin);
    const headers = { 'user-agent': this.opts.userAgent, accept: ROBOTS_ACCEPT, 'accept-encoding': 'gzip, deflate, br' };
    let entry: RobotsEntry;
    let ttlMs = this.opts.robotsTtlMs;
    try {
      // Not tied to any caller's signal: the answer is shared by everyone waiting for it.
      const { response } = await this.follow(robotsUrl, headers, this.closing.signal, false);
      const body = response.body;
      entry = { body: decodeBody(body, detectCharset(body, response.headers['content-type'])), status: response.status, fetchedAt: Date.now() };
      if (response.status < 200 || response.status >= 300) ttlMs = this.robotsErrorTtlMs;
    } catch (err) {
      if (!(err instanceof HttpError) || err.code === 'aborted') throw err;
      // The origin itself is refused: say so rather than blaming robots.txt.
      if ((err.code === 'blocked_address' || err.code === 'blocked_scheme') && new URL(err.url).origin === origin) throw err;
      // Only an HTTP answer about robots.txt itself counts as its status; a 200 cut off by a
      // size cap or a decode error is no answer (status 0, disallow for now).
      const answered = err.code === 'http_status' || err.code === 'rate_limited';
      const status = answered ? (err.status ?? 0) : 0;
      entry = { body: null, status, fetchedAt: Date.now() };
      if (!(err.code === 'http_status' && status >= 400 && status < 500)) ttlMs = this.robotsErrorTtlMs;
    }
    await this.robotsCache.set(origin, entry, ttlMs);
    return entry;
  }
}

// Callers share one signal across many requests (a whole polling round): each source signal
// gets a single listener that aborts every request linked to it, instead of one per request.
const linkedRequests = new WeakMap<AbortSignal, Set<AbortController>>();

function linkTo(source: AbortSignal, request: AbortController): () => void {
  let set = linkedRequests.get(source);
  if (!set) {
    const fresh = new Set<AbortController>();
    linkedRequests.set(source, fresh);
    source.addEventListener(
      'abort',
      () => {
        for (const c of fresh) c.abort(source.reason);
        fresh.clear();
      },
      { once: true },
    );
    set = fresh;
  }
  set.add(request);
  return () => set.delete(request);
}

/** A signal for one request that fires when the caller's or the client's does. */
function linkSignals(caller: AbortSignal | undefined, client: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  if (caller?.aborted || client.aborted) {
    ctl.abort();
    return { signal: ctl.signal, dispose: () => {} };
  }
  const unlinkClient = linkTo(client, ctl);
  const unlinkCaller = caller ? linkTo(caller, ctl) : () => {};
  return {
    signal: ctl.signal,
    dispose: () => {
      unlinkClient();
      unlinkCaller();
    },
  };
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal, aborted: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
