/**
 * Date reading for article pages. Every date leaves here as ISO 8601 with an explicit offset.
 * A value without an offset is read as Finnish local time (Europe/Helsinki): the monitored
 * media are Finnish, and keeping the wall-clock time keeps the calendar day the page shows.
 */

export interface DateBounds {
  /** Latest acceptable instant (ms since epoch). */
  notAfter: number;
  /** Earliest acceptable instant (ms since epoch). */
  notBefore: number;
}

const DAY_MS = 86_400_000;
const EARLIEST = Date.UTC(1990, 0, 1);

export function dateBounds(now: Date = new Date()): DateBounds {
  return { notAfter: now.getTime() + DAY_MS, notBefore: EARLIEST };
}

interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC; null when the source gave none. */
  offset: number | null;
}

// --- Europe/Helsinki offset (EU summer time; the September end applied until 1995) ---

function lastSundayOneUtc(year: number, month0: number): number {
  const last = new Date(Date.UTC(year, month0 + 1, 0));
  return Date.UTC(year, month0, last.getUTCDate() - last.getUTCDay(), 1, 0, 0);
}

function helsinkiOffsetAt(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const start = lastSundayOneUtc(year, 2);
  const end = lastSundayOneUtc(year, year < 1996 ? 8 : 9);
  return utcMs >= start && utcMs < end ? 180 : 120;
}

function helsinkiOffsetForLocal(localAsUtc: number): number {
  const first = helsinkiOffsetAt(localAsUtc - 120 * 60_000);
  return helsinkiOffsetAt(localAsUtc - first * 60_000);
}

// --- formatting ---

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function validParts(p: DateParts): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 23 || p.minute > 59 || p.second > 60) return false;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.day <= daysInMonth;
}

function toResult(p: DateParts, bounds: DateBounds): string | null {
  if (!validParts(p)) return null;
  const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, Math.min(p.second, 59));
  const offset = p.offset ?? helsinkiOffsetForLocal(localAsUtc);
  const instant = localAsUtc - offset * 60_000;
  if (instant > bounds.notAfter || instant < bounds.notBefore) return null;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(Math.min(p.second, 59))}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function parseOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  const z = zone.trim().toUpperCase();
  if (z === 'Z' || z === 'GMT' || z === 'UTC' || z === 'UT') return 0;
  const named = NAMED_ZONES[z];
  if (named !== undefined) return named;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

const NAMED_ZONES: Record<string, number> = {
  EET: 120, EEST: 180, CET: 60, CEST: 120, WET: 0, WEST: 60, BST: 60,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

// --- month names (English, Finnish partitive/nominative, Swedish) ---

const MONTHS: Record<string, number> = {};
function addMonths(names: string[]): void {
  names.forEach((name, i) => {
    for (const n of name.split('|')) MONTHS[n] = i + 1;
  });
}
addMonths([
  'january|jan', 'february|feb', 'march|mar', 'april|apr', 'may', 'june|jun', 'july|jul',
  'august|aug', 'september|sep|sept', 'october|oct', 'november|nov', 'december|dec',
]);
addMonths([
  'tammikuuta|tammikuu|tammik', 'helmikuuta|helmikuu|helmik', 'maaliskuuta|maaliskuu|maalisk',
  'huhtikuuta|huhtikuu|huhtik', 'toukokuuta|toukokuu|toukok', 'kesäkuuta|kesäkuu|kesäk',
  'heinäkuuta|heinäkuu|heinäk', 'elokuuta|elokuu|elok', 'syyskuuta|syyskuu|syysk',
  'lokakuuta|lokakuu|lokak', 'marraskuuta|marraskuu|marrask', 'joulukuuta|joulukuu|jouluk',
]);
addMonths([
  'januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september',
  'oktober', 'november', 'december',
]);

const MONTH_NAME = '([a-zäö]{3,12})\\.?';
const TIME = '(?:,?\\s*(?:klo\\.?|kl\\.?|at|um|à)?\\s*(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2}))?\\s*([ap]\\.?m\\.?)?)?';
const ZONE = '(?:\\s*(Z|[+-]\\d{2}:?\\d{2}|(?:GMT|UTC)(?:[+-]\\d{1,2}(?::?\\d{2})?)?|[ECMP][SD]T|EES?T|CES?T|BST)\\b)?';

const ISO_RE =
  /(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|GMT|UTC)?(?![\d])/i;
const COMPACT_ISO_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMERIC_DMY_RE = new RegExp(`\\b(\\d{1,2})\\.\\s?(\\d{1,2})\\.\\s?((?:19|20)\\d{2})\\b${TIME}`, 'i');
const SLASH_YMD_RE = /\b((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})\b/;
const DAY_MONTH_YEAR_RE = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s+(?:of\\s+)?${MONTH_NAME},?\\s+((?:19|20)\\d{2})\\b${TIME}${ZONE}`,
  'i',
);
const MONTH_DAY_YEAR_RE = new RegExp(
  `\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})\\b${TIME}${ZONE}`,
  'i',
);

function hour12(hour: number, ampm: string | undefined): number {
  if (!ampm) return hour;
  const pm = ampm.toLowerCase().startsWith('p');
  if (hour === 12) return pm ? 12 : 0;
  return pm ? hour + 12 : hour;
}

function num(s: string | undefined): number {
  return s === undefined ? 0 : Number(s);
}

/** Parse a machine-readable or human-written date into ISO 8601 with offset, within bounds. */
export function parseDate(value: string, bounds: DateBounds): string | null {
  const v = value.trim();
  if (v.length === 0 || v.length > 400) return null;

  // Epoch seconds or milliseconds.
  if (/^\d{10}(\d{3})?$/.test(v)) {
    const ms = v.length === 10 ? Number(v) * 1000 : Number(v);
    const d = new Date(ms);
    return toResult(
      {
        year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
        hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), offset: 0,
      },
      bounds,
    );
  }

  let m = COMPACT_ISO_RE.exec(v);
  if (m) {
    return toResult(
      {
        year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]),
        second: num(m[6]), offset: parseOffset(m[7]),
      },
      bounds,
    );
  }

  m = ISO_RE.exec(v);
  if (m) {
    return toResult(
      {
        year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]),
        second: num(m[6]), offset: parseOffset(m[7]),
      },
      bounds,
    );
  }
  return parseHumanDate(v, bounds);
}

/** Dates as people write them: 17.5.2024 klo 12.30, 17. toukokuuta 2024, May 17, 2024, 17 maj 2024. */
export function parseHumanDate(text: string, bounds: DateBounds): string | null {
  let m = NUMERIC_DMY_RE.exec(text);
  if (m) {
    const r = toResult(
      {
        year: num(m[3]), month: num(m[2]), day: num(m[1]),
        hour: hour12(num(m[4]), m[7]), minute: num(m[5]), second: num(m[6]), offset: null,
      },
      bounds,
    );
    if (r) return r;
  }
  m = DAY_MONTH_YEAR_RE.exec(text);
  if (m) {
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    if (month) {
      const r = toResult(
        {
          year: num(m[3]), month, day: num(m[1]), hour: hour12(num(m[4]), m[7]), minute: num(m[5]),
          second: num(m[6]), offset: parseOffset(m[8]),
        },
        bounds,
      );
      if (r) return r;
    }
  }
  m = MONTH_DAY_YEAR_RE.exec(text);
  if (m) {
    const month = MONTHS[(m[1] ?? '').toLowerCase()];
    if (month) {
      const r = toResult(
        {
          year: num(m[3]), month, day: num(m[2]), hour: hour12(num(m[4]), m[7]), minute: num(m[5]),
          second: num(m[6]), offset: parseOffset(m[8]),
        },
        bounds,
      );
      if (r) return r;
    }
  }
  m = SLASH_YMD_RE.exec(text);
  if (m) {
    return toResult(
      { year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: 0, minute: 0, second: 0, offset: null },
      bounds,
    );
  }
  return null;
}

const URL_YMD_RE = /\/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)/;
const URL_COMPACT_RE = /[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)/;

/** A date in the URL path: /2024/05/17/, /2019-11-19/, /20240517/. */
export function dateFromUrl(url: string, bounds: DateBounds): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = URL_YMD_RE.exec(path) ?? URL_COMPACT_RE.exec(path);
  if (!m) return null;
  return toResult(
    { year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: 0, minute: 0, second: 0, offset: null },
    bounds,
  );
}
