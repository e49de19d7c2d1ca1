export type HttpErrorCode =
  | 'bad_url'
  | 'blocked_scheme'
  | 'blocked_address'
  | 'dns'
  | 'connect_timeout'
  | 'timeout'
  | 'network'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'body_too_large'
  | 'decoded_too_large'
  | 'decode_failed'
  | 'http_status'
  | 'rate_limited'
  | 'robots_disallowed'
  | 'aborted';

export interface HttpErrorDetails {
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of the client is one of these, so that callers (feed polling, article
 * fetching) can decide on backoff and health from `code` alone. `url` is the URL of the
 * hop that failed, which after redirects is not necessarily the one requested.
 */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly url: string;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(code: HttpErrorCode, url: string, problem: string, details: HttpErrorDetails = {}) {
    super(`GET ${url}: ${problem}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HttpError';
    this.code = code;
    this.url = url;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

export function isHttpError(err: unknown): err is HttpError {
  return err instanceof HttpError;
}
