// ISO weeks of the Helsinki calendar. An indicator week is Monday 00:00 to Monday 00:00 in
// Europe/Helsinki, whatever offset an article's date was written with: a story published on
// Sunday 23:30 UTC is Monday morning in Finland and belongs to the next week.
//
// Week starts are found once per year through Intl and cached, so mapping an instant to its
// week is a binary search: cheap enough to run as an SQL function over a million rows.

const TIME_ZONE = 'Europe/Helsinki';
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Minutes east of UTC in Helsinki at the instant (120 in winter, 180 in summer). */
export function helsinkiOffsetMinutes(ts: number): number {
  const p: Record<string, number> = {};
  for (const part of offsetFormat.formatToParts(new Date(ts))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((asUtc - Math.floor(ts / 1000) * 1000) / 60_000);
}

/** The instant of 00:00 Helsinki time on a calendar day (month 1–12). */
function helsinkiMidnight(year: number, month: number, day: number): number {
  const utcMidnight = Date.UTC(year, month - 1, day);
  // Finland changes its clocks on Sunday at 03:00/04:00, never at midnight, so the offset two
  // hours before UTC midnight is the offset at local midnight.
  return utcMidnight - helsinkiOffsetMinutes(utcMidnight - 2 * 3_600_000) * 60_000;
}

/** Monday (as a UTC calendar date) of ISO week 1 of an ISO week-year. */
function isoWeekOneMonday(weekYear: number): number {
  const jan4 = Date.UTC(weekYear, 0, 4);
  const weekday = new Date(jan4).getUTCDay() || 7;
  return jan4 - (weekday - 1) * DAY_MS;
}

/** ISO weeks in a week-year: 53 when it starts on a Thursday, or a Wednesday in a leap year. */
export function weeksInYear(weekYear: number): number {
  return Math.round((isoWeekOneMonday(weekYear + 1) - isoWeekOneMonday(weekYear)) / WEEK_MS);
}

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  year: number;
  week: number;
}

export function parseWeek(label: string): IsoWeek | null {
  const m = WEEK_PATTERN.exec(label.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1971 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function isWeek(label: string): boolean {
  return parseWeek(label) !== null;
}

export function formatWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

// Per week-year: the Helsinki instant each of its weeks starts, plus the start of the next
// year's first week as the end of the last.
const yearStarts = new Map<number, number[]>();

function startsOfYear(weekYear: number): number[] {
  let starts = yearStarts.get(weekYear);
  if (!starts) {
    const monday = isoWeekOneMonday(weekYear);
    const n = weeksInYear(weekYear);
    starts = [];
    for (let i = 0; i <= n; i++) {
      const d = new Date(monday + i * WEEK_MS);
      starts.push(helsinkiMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
    }
    yearStarts.set(weekYear, starts);
  }
  return starts;
}

/** The instant a week starts (Monday 00:00 Helsinki), epoch ms. */
export function weekStart(label: string): number {
  const w = parseWeek(label);
  if (!w) throw new RangeError(`not an ISO week: "${label}" (expected e.g. 2026-W47)`);
  return startsOfYear(w.year)[w.week - 1]!;
}

/** The instant the week ends (the next Monday 00:00 Helsinki), exclusive. */
export function weekEnd(label: string): number {
  const w = parseWeek(label);
  if (!w) throw new RangeError(`not an ISO week: "${label}" (expected e.g. 2026-W47)`);
  return startsOfYear(w.year)[w.week]!;
}

/** ISO week label of an instant in Helsinki time. */
export function weekOf(ts: number): string {
  // The instant's UTC year, or the one next to it, is the week-year.
  const y = new Date(ts).getUTCFullYear();
  for (const year of [y, y + 1, y - 1]) {
    const starts = startsOfYear(year);
    if (ts < starts[0]! || ts >= starts[starts.length - 1]!) continue;
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ts) lo = mid;
      else hi = mid - 1;
    }
    return formatWeek({ year, week: lo + 1 });
  }
  throw new RangeError(`no ISO week for ${ts}`);
}

/** The week `n` weeks after (negative: before) the given one. */
export function addWeeks(label: string, n: number): string {
  const w = parseWeek(label);
  if (!w) throw new RangeError(`not an ISO week: "${label}"`);
  let { year, week } = w;
  week += n;
  while (week < 1) {
    year--;
    week += weeksInYear(year);
  }
  while (week > weeksInYear(year)) {
    week -= weeksInYear(year);
    year++;
  }
  return formatWeek({ year, week });
}

/** Weeks from `from` to `to`, both included, in order; empty when `to` is before `from`. */
export function weekRange(from: string, to: string): string[] {
  const out: string[] = [];
  if (compareWeeks(from, to) > 0) return out;
  for (let w = from; ; w = addWeeks(w, 1)) {
    out.push(w);
    if (w === to) return out;
  }
}

/** Labels compare as strings because years and weeks are zero-padded to a fixed width. */
export function compareWeeks(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calendar days (Helsinki) a week covers: Monday and Sunday as [year, month, day]. */
export function weekDays(label: string): { monday: [number, number, number]; sunday: [number, number, number] } {
  const w = parseWeek(label);
  if (!w) throw new RangeError(`not an ISO week: "${label}"`);
  const monday = new Date(isoWeekOneMonday(w.year) + (w.week - 1) * WEEK_MS);
  const sunday = new Date(monday.getTime() + 6 * DAY_MS);
  const ymd = (d: Date): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return { monday: ymd(monday), sunday: ymd(sunday) };
}

/** The last week that has ended by the instant: what a weekly summary run on Monday reports. */
export function lastCompleteWeek(now: number): string {
  return addWeeks(weekOf(now), -1);
}
