import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Transform } from 'node:stream';
import { isBlockedAddress } from './address.ts';
import { decoderChain, parseContentEncoding, type ContentCoding } from './decode.ts';
import { HttpError } from './errors.ts';

/** One exchange on the wire: status and headers always, the body only when it is wanted. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** Decoded body; empty when the status does not carry a page (redirects, errors). */
  body: Buffer;
}

export interface AttemptLimits {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxDecodedBytes: number;
}

export interface Attempt {
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  /** Check the addresses DNS gives for the hostname; off for IP literals (checked before) and allowed origins. */
  checkResolvedAddress: boolean;
  limits: AttemptLimits;
  signal: AbortSignal | undefined;
  /** Only these statuses have their body read; for the rest the connection is dropped at once. */
  wantsBody: (status: number) => boolean;
}

/**
 * DNS resolution that refuses private addresses. Passed to the socket itself, so the address
 * checked is the address connected to: a second resolution cannot swap it (no TOCTOU, no DNS
 * rebinding). Private answers are dropped; if nothing public is left the connect fails.
 */
export function guardedLookup(onBlocked: (err: HttpError) => void, url: string): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const allowed = addresses.filter((a) => !isBlockedAddress(a.address));
      if (allowed.length === 0) {
        const blocked = new HttpError(
          'blocked_address',
          url,
          `${hostname} resolves to ${addresses.map((a) => a.address).join(', ') || 'nothing'}, a private or reserved address (refused unless http.allow_private_addresses or http.allowed_origins)`,
        );
        onBlocked(blocked);
        return callback(blocked, '', 0);
      }
      if (options.all) {
        (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      } else {
        callback(null, allowed[0]!.address, allowed[0]!.family);
      }
    });
  };
}

function flattenHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);

function wireError(err: unknown, url: string): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (DNS_CODES.has(code)) return new HttpError('dns', url, `cannot resolve host (${code})`, { cause: err });
  return new HttpError('network', url, `${code ? code + ' ' : ''}${e?.message ?? String(err)}`.trim(), { cause: err });
}

/**
 * One GET on one connection. Every way out destroys the request (and with it the socket and
 * any decoder), so failures leak neither sockets nor timers.
 */
export function requestOnce(a: Attempt): Promise<WireResponse> {
  const href = a.url.href;
  const { limits } = a;
  return new Promise<WireResponse>((resolve, reject) => {
    let settled = false;
    let blockedByLookup: HttpError | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    let decoders: Transform[] = [];
    let res: http.IncomingMessage | undefined;
    let req: http.ClientRequest | undefined;
    let totalTimer: NodeJS.Timeout | undefined;

    const cleanup = (): void => {
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      a.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: HttpError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      for (const d of decoders) d.destroy();
      res?.destroy();
      req?.destroy();
      reject(err);
    };
    const succeed = (value: WireResponse): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(value);
    };
    const onAbort = (): void => fail(new HttpError('aborted', href, 'aborted by caller'));

    if (a.signal?.aborted) {
      onAbort();
      return;
    }
    totalTimer = setTimeout(
      () => fail(new HttpError('timeout', href, `no complete response within ${limits.totalTimeoutMs} ms (cap http.total_timeout)`)),
      limits.totalTimeoutMs,
    );
    a.signal?.addEventListener('abort', onAbort, { once: true });

    const lookup = a.checkResolvedAddress
      ? guardedLookup((e) => {
          blockedByLookup = e;
        }, href)
      : undefined;
    const options: https.RequestOptions = {
      method: 'GET',
      headers: a.headers,
      agent: a.agent,
      ...(lookup ? { lookup } : {}),
    };
    const mod = a.url.protocol === 'https:' ? https : http;
    req = mod.request(a.url, options);

    req.on('socket', (socket) => {
      if (!socket.connecting) return; // reused keep-alive connection
      connectTimer = setTimeout(
        () => fail(new HttpError('connect_timeout', href, `no connection within ${limits.connectTimeoutMs} ms (cap http.connect_timeout)`)),
        limits.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (err) => fail(blockedByLookup ?? wireError(err, href)));

    req.on('response', (response) => {
      res = response;
      const status = response.statusCode ?? 0;
      const headers = flattenHeaders(response.headers);
      if (!a.wantsBody(status)) {
        // Nothing to read: drop the connection instead of draining a body of unknown size.
        succeed({ status, headers, body: Buffer.alloc(0) });
        response.destroy();
        return;
      }
      readBody(response, status, headers);
    });
    req.end();

    function readBody(response: http.IncomingMessage, status: number, headers: Record<string, string>): void {
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
        fail(
          new HttpError('body_too_large', href, `body of ${declared} bytes (Content-Length) exceeds ${limits.maxBodyBytes} bytes (cap http.max_body)`, {
            status,
          }),
        );
        return;
      }
      let codings: ContentCoding[];
      try {
        codings = parseContentEncoding(headers['content-encoding']);
      } catch (err) {
        fail(new HttpError('decode_failed', href, (err as Error).message, { status }));
        return;
      }

      const chunks: Buffer[] = [];
      let rawBytes = 0;
      let decodedBytes = 0;
      const onDecoded = (d: Buffer): void => {
        decodedBytes += d.length;
        if (decodedBytes > limits.maxDecodedBytes) {
          fail(
            new HttpError(
              'decoded_too_large',
              href,
              `decoded body exceeds ${limits.maxDecodedBytes} bytes after ${rawBytes} bytes of ${codings.join(', ')} (cap http.max_decoded)`,
              { status },
            ),
          );
          return;
        }
        chunks.push(d);
      };
      const done = (): void => succeed({ status, headers, body: Buffer.concat(chunks, decodedBytes) });

      decoders = decoderChain(codings);
      const first = decoders[0];
      const last = decoders[decoders.length - 1];
      for (let i = 0; i + 1 < decoders.length; i++) decoders[i]!.pipe(decoders[i + 1]!);
      for (const d of decoders) {
        d.on('error', (err) =>
          fail(new HttpError('decode_failed', href, `cannot decode ${codings.join(', ')} body: ${err.message}`, { status, cause: err })),
        );
      }
      if (last) {
        last.on('data', onDecoded);
        last.on('end', done);
      }

      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        rawBytes += chunk.length;
        if (rawBytes > limits.maxBodyBytes) {
          fail(new HttpError('body_too_large', href, `body exceeds ${limits.maxBodyBytes} bytes (cap http.max_body)`, { status }));
          return;
        }
        if (!first) {
          onDecoded(chunk);
          return;
        }
        if (!first.write(chunk)) {
          response.pause();
          first.once('drain', () => response.resume());
        }
      });
      response.on('end', () => {
        if (settled) return;
        if (!first) done();
        else if (rawBytes === 0) {
          // an empty body (HEAD-like answers, 204) carries no coding to decode
          for (const d of decoders) d.destroy();
          done();
        } else first.end();
      });
      response.on('error', (err) => fail(wireError(err, href)));
      response.on('close', () => {
        if (!response.complete) fail(new HttpError('network', href, `connection closed after ${rawBytes} bytes of body`, { status }));
      });
    }
  });
}
