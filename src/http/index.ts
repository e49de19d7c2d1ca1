// The one HTTP client of Mediamittari: feeds, article pages and robots.txt all go through
// HttpClient, so politeness (robots.txt, per-host pacing, Retry-After) and safety (private
// addresses, size caps, timeouts) hold everywhere. HostPacer and RobotsCache are interfaces so
// that the distributed mode can share them between machines.
export { HttpClient, type HttpRequest, type HttpResponse } from './client.ts';
export { HttpError, isHttpError, type HttpErrorCode } from './errors.ts';
export { defaultHttpOptions, HTTP_DEFAULTS, type HttpClientOptions } from './options.ts';
export { MemoryHostPacer, type HostPacer } from './pacer.ts';
export { MemoryRobotsCache, type RobotsCache, type RobotsEntry } from './robots.ts';
export { isBlockedAddress } from './address.ts';
export { detectCharset, decodeBody, normaliseCharset } from './charset.ts';
