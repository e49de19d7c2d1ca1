// Time in exports is Helsinki time: a researcher asking for 2026-W45 gets the same week the
// indicators count (Monday 00:00 to Monday 00:00 in Europe/Helsinki), and every timestamp is
// written with the offset that was in force, so local time can be read off directly.
import { helsinkiOffsetMinutes, parseWeek, weekEnd, weekStart } from '../indicators/week.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One end of a requested period, as given and as the instant it resolves to. */
export interface PeriodBound {
  input: string;
  /** Epoch ms. For `from` the first instant included, for `to` the first instant excluded. */
  at: number;
}

export class PeriodError extends Error {}

/** 00:00 Helsinki time on a calendar day. Clocks change at 03:00/04:00, never at midnight. */
function helsinkiMidnight(year: number, month: number, day: number): number {
  const utc = Date.UTC(year, month - 1, day);
  return utc - helsinkiOffsetMinutes(utc - 2 * HOUR_MS) * 60_000;
}

function parseDay(input: string): [number, number, number] | null {
  const m = DATE_PATTERN.exec(input);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/**
 * `--from` / `--to` values: a calendar day (2026-11-02) or an ISO week (2026-W45), both in
 * Helsinki time. Both ends are inclusive as the user writes them: `--to 2026-W45` ends when
 * week 46 starts.
 */
export function parsePeriodBound(input: string, end: 'from' | 'to'): PeriodBound {
  const text = input.trim();
  const day = parseDay(text);
  if (day) {
    const start = helsinkiMidnight(...day);
    if (end === 'from') return { input: text, at: start };
    const next = new Date(Date.UTC(day[0], day[1] - 1, day[2]) + DAY_MS);
    return { input: text, at: helsinkiMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
  }
  if (/^\d{4}-W\d{2}$/.test(text)) {
    if (!parseWeek(text)) throw new PeriodError(`--${end} ${input}: no such ISO week (weeks run from W01 to W52 or W53)`);
    return { input: text, at: end === 'from' ? weekStart(text) : weekEnd(text) };
  }
  throw new PeriodError(`--${end} ${input}: expected a date (2026-11-02) or an ISO week (2026-W45), Helsinki time`);
}

// Offsets change only on whole UTC hours, and on two days a year at most: one lookup per UTC
// day (and per hour on a day of change) serves every article of that day.
const DAY_SAME = new Map<number, number | null>();
const BY_HOUR = new Map<number, number>();

function offsetAt(ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  let same = DAY_SAME.get(day);
  if (same === undefined) {
    const a = helsinkiOffsetMinutes(day * DAY_MS);
    const b = helsinkiOffsetMinutes(day * DAY_MS + DAY_MS - HOUR_MS);
    same = a === b ? a : null;
    if (DAY_SAME.size > 50_000) DAY_SAME.clear();
    DAY_SAME.set(day, same);
  }
  if (same !== null) return same;
  const hour = Math.floor(ts / HOUR_MS);
  let off = BY_HOUR.get(hour);
  if (off === undefined) BY_HOUR.set(hour, (off = helsinkiOffsetMinutes(hour * HOUR_MS)));
  return off;
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const LOCAL_DATES = new Map<number, string>();

/** "2026-11-05" of a day counted from the epoch (local days are UTC days shifted by the offset). */
function dateOf(day: number): string {
  let s = LOCAL_DATES.get(day);
  if (s === undefined) {
    const d = new Date(day * DAY_MS);
    s = `${String(d.getUTCFullYear()).padStart(4, '0')}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]}`;
    if (LOCAL_DATES.size > 50_000) LOCAL_DATES.clear();
    LOCAL_DATES.set(day, s);
  }
  return s;
}

/** "2026-11-05T14:30:00+02:00": the instant in Helsinki local time with its offset. */
export function helsinkiIso(ts: number): string {
  const off = offsetAt(ts);
  const local = ts + off * 60_000;
  const day = Math.floor(local / DAY_MS);
  let rest = local - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  const a = Math.abs(off);
  return (
    `${dateOf(day)}T${TWO[hour]}:${TWO[min]}:${TWO[sec]}` +
    (ms ? `.${String(ms).padStart(3, '0')}` : '') +
    `${off < 0 ? '-' : '+'}${TWO[Math.floor(a / 60)]}:${TWO[a % 60]}`
  );
}
