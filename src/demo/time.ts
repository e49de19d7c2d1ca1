// Calendar helpers for the demo corpus. The corpus is about Finnish towns, so every
// displayed date and every week number is in Europe/Helsinki time, not in the offset the
// article happens to be written with.

import { helsinkiOffsetMinutes, weekOf } from '../indicators/week.ts';

export interface LocalTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** minutes east of UTC in Helsinki at that instant (180 in summer, 120 in winter) */
  offsetMinutes: number;
}

export function helsinkiTime(instant: Date): LocalTime {
  const ts = Math.floor(instant.getTime() / 1000) * 1000;
  const offsetMinutes = helsinkiOffsetMinutes(ts);
  // The wall clock in Helsinki is UTC shifted by the offset in force at that instant.
  const local = new Date(ts + offsetMinutes * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    offsetMinutes,
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** ISO 8601 week of the Helsinki calendar day of the instant, e.g. "2026-W36". */
export function isoWeek(instant: Date): string {
  return weekOf(instant.getTime());
}

/** "2026-09-01T09:30:00+03:00" in Helsinki time. */
export function helsinkiIso(instant: Date): string {
  const t = helsinkiTime(instant);
  const sign = t.offsetMinutes >= 0 ? '+' : '-';
  const off = Math.abs(t.offsetMinutes);
  return (
    `${t.year}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}` +
    `${sign}${pad2(Math.floor(off / 60))}:${pad2(off % 60)}`
  );
}

/** Finnish newspaper style: "1.9.2026 klo 9.30". */
export function finnishDateTime(instant: Date): string {
  const t = helsinkiTime(instant);
  return `${t.day}.${t.month}.${t.year} klo ${t.hour}.${pad2(t.minute)}`;
}

/** "1.9.2026" */
export function finnishDate(instant: Date): string {
  const t = helsinkiTime(instant);
  return `${t.day}.${t.month}.${t.year}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * RFC 822 date as RSS 2.0 wants it. Feeds differ in practice: most write GMT, older
 * Finnish CMSs write the local offset ("+0300"), and readers must handle both.
 */
export function rfc822(instant: Date, zone: 'gmt' | 'helsinki'): string {
  if (zone === 'gmt') return instant.toUTCString();
  const t = helsinkiTime(instant);
  const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const off = Math.abs(t.offsetMinutes);
  const sign = t.offsetMinutes >= 0 ? '+' : '-';
  return (
    `${DAYS[weekday]}, ${pad2(t.day)} ${MONTHS[t.month - 1]} ${t.year} ` +
    `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)} ${sign}${pad2(Math.floor(off / 60))}${pad2(off % 60)}`
  );
}
