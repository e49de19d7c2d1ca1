import { describe, expect, it } from 'vitest';
import { defaultHttpOptions } from '../../src/http/index.ts';

describe('defaultHttpOptions', () => {
  it('fills the documented defaults', () => {
    const o = defaultHttpOptions({ userAgent: 'Mediamittari/0.1' });
    expect(o).toMatchObject({
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
      robotsTtlMs: 86_400_000,
    });
  });

  it('keeps caller values, ignores undefined ones and normalises origins', () => {
    const o = defaultHttpOptions({ userAgent: 'X/1', retries: 0, totalTimeoutMs: undefined, allowedOrigins: ['http://127.0.0.1:8080/some/path'] });
    expect(o.retries).toBe(0);
    expect(o.totalTimeoutMs).toBe(30_000);
    expect(o.allowedOrigins).toEqual(['http://127.0.0.1:8080']);
  });

  it('refuses values the client cannot work with', () => {
    expect(() => defaultHttpOptions({ userAgent: ' ' })).toThrow(/userAgent/);
    expect(() => defaultHttpOptions({ userAgent: 'X/1', maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => defaultHttpOptions({ userAgent: 'X/1', hostMaxConcurrency: 0 })).toThrow(/hostMaxConcurrency/);
    expect(() => defaultHttpOptions({ userAgent: 'X/1', totalTimeoutMs: 0 })).toThrow(/timeouts/);
    expect(() => defaultHttpOptions({ userAgent: 'X/1', allowedOrigins: ['not a url'] })).toThrow(/allowedOrigins/);
  });
});
