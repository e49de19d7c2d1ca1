// ISO weeks in Helsinki time: the boundary is Monday 00:00 local, which moves between 22:00
// and 21:00 UTC with summer time.
import { describe, expect, it } from 'vitest';
import { isoWeek } from '../../src/demo/time.ts';
import { addWeeks, lastCompleteWeek, parseWeek, weekDays, weekEnd, weekOf, weekRange, weekStart, weeksInYear } from '../../src/indicators/week.ts';

const at = (iso: string) => Date.parse(iso);

describe('Helsinki ISO weeks', () => {
  it('a Sunday 23:30 UTC article is Monday in Helsinki', () => {
    expect(weekOf(at('2026-11-22T23:30:00Z'))).toBe('2026-W48'); // Mon 01:30 +02:00
    expect(weekOf(at('2026-11-22T21:59:59Z'))).toBe('2026-W47'); // Sun 23:59:59 +02:00
    expect(weekOf(at('2026-11-22T22:00:00Z'))).toBe('2026-W48'); // Mon 00:00 +02:00
  });

  it('moves the boundary an hour in summer time', () => {
    expect(weekOf(at('2026-08-30T20:59:59Z'))).toBe('2026-W35'); // Sun 23:59:59 +03:00
    expect(weekOf(at('2026-08-30T21:00:00Z'))).toBe('2026-W36'); // Mon 00:00 +03:00
    // The Sunday clocks go forward (29 March 2026) and back (25 October 2026).
    expect(weekOf(at('2026-03-29T21:00:00Z'))).toBe('2026-W14');
    expect(weekOf(at('2026-03-29T20:59:59Z'))).toBe('2026-W13');
    expect(weekOf(at('2026-10-25T21:59:59Z'))).toBe('2026-W43');
    expect(weekOf(at('2026-10-25T22:00:00Z'))).toBe('2026-W44');
  });

  it('week-years: 2026 has 53 weeks, 2025 has 52; late December can be next year’s week 1', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(weekOf(at('2026-12-31T12:00:00+02:00'))).toBe('2026-W53');
    expect(weekOf(at('2027-01-03T12:00:00+02:00'))).toBe('2026-W53');
    expect(weekOf(at('2027-01-04T00:30:00+02:00'))).toBe('2027-W01');
    expect(weekOf(at('2024-12-30T00:00:00+02:00'))).toBe('2025-W01');
    expect(parseWeek('2025-W53')).toBeNull();
    expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseWeek('2026-W54')).toBeNull();
    expect(parseWeek('2026-47')).toBeNull();
  });

  it('week bounds are Monday 00:00 local', () => {
    expect(new Date(weekStart('2026-W47')).toISOString()).toBe('2026-11-15T22:00:00.000Z');
    expect(new Date(weekEnd('2026-W47')).toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(new Date(weekStart('2026-W36')).toISOString()).toBe('2026-08-30T21:00:00.000Z');
    // The week summer time ends in is an hour longer.
    expect(weekEnd('2026-W43') - weekStart('2026-W43')).toBe(7 * 86_400_000 + 3_600_000);
    expect(weekDays('2026-W47')).toEqual({ monday: [2026, 11, 16], sunday: [2026, 11, 22] });
  });

  it('counts weeks across year ends', () => {
    expect(addWeeks('2026-W52', 1)).toBe('2026-W53');
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(addWeeks('2025-W01', -1)).toBe('2024-W52');
    expect(addWeeks('2026-W10', -12)).toBe('2025-W50');
    expect(weekRange('2026-W52', '2027-W02')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(weekRange('2026-W05', '2026-W04')).toEqual([]);
    expect(lastCompleteWeek(at('2026-11-28T12:00:00Z'))).toBe('2026-W47');
  });

  it('agrees with the demo corpus calendar on random instants over a decade', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = at('2020-01-01T00:00:00Z');
    const span = at('2031-01-01T00:00:00Z') - from;
    for (let i = 0; i < 3000; i++) {
      const ts = from + Math.floor(rand() * span);
      expect(weekOf(ts), new Date(ts).toISOString()).toBe(isoWeek(new Date(ts)));
    }
  });
});
