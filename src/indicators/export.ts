// The indicator export for the relations mapping: one row per municipality, week, group and
// indicator (long format), as CSV or JSON, written as it is produced.
import type { IndicatorValue } from './compute.ts';

export const EXPORT_COLUMNS = [
  'municipality_code', 'municipality', 'week', 'group', 'indicator', 'domain', 'value', 'n', 'ci_low', 'ci_high', 'coverage_flag',
] as const;

export type ExportFormat = 'csv' | 'json';

export interface ExportRow {
  municipality_code: string;
  municipality: string;
  week: string;
  group: string;
  indicator: string;
  domain: string;
  value: number | null;
  n: number;
  ci_low: number | null;
  ci_high: number | null;
  coverage_flag: string;
}

/** Shares and intervals to 6 decimals: beyond that it is floating-point noise, not information. */
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);

export function exportRow(v: IndicatorValue): ExportRow {
  return {
    municipality_code: v.municipalityCode,
    municipality: v.municipality,
    week: v.week,
    group: v.group,
    indicator: v.indicator,
    domain: v.domain,
    value: round(v.value),
    n: v.n,
    ci_low: round(v.ciLow),
    ci_high: round(v.ciHigh),
    coverage_flag: v.coverageFlag,
  };
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Something that hands out indicator values one at a time (forEachIndicatorValue bound to a set). */
export type ValueSource = (visit: (v: IndicatorValue) => void) => void;

/**
 * Writes the values in the format through `write` (called with chunks of text) and returns
 * the number of rows. JSON is an array of row objects, one per line.
 */
export function writeIndicatorExport(source: ValueSource, format: ExportFormat, write: (chunk: string) => void): number {
  let rows = 0;
  let buffer = format === 'csv' ? EXPORT_COLUMNS.join(',') + '\r\n' : '[';
  source((v) => {
    const r = exportRow(v);
    if (format === 'csv') buffer += EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(',') + '\r\n';
    else buffer += (rows > 0 ? ',\n' : '\n') + JSON.stringify(r);
    rows++;
    if (buffer.length > 1 << 16) {
      write(buffer);
      buffer = '';
    }
  });
  buffer += format === 'json' ? (rows > 0 ? '\n]\n' : ']\n') : '';
  if (buffer) write(buffer);
  return rows;
}
