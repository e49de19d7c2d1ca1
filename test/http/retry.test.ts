import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../src/http/retry.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles per attempt with jitter between half and all of the ceiling', () => {
    expect(backoffMs(0, 1000, () => 0)).toBe(500);
    expect(backoffMs(0, 1000, () => 1)).toBe(1000);
    expect(backoffMs(2, 1000, () => 0)).toBe(2000);
    expect(backoffMs(2, 1000, () => 1)).toBe(4000);
  });
});
