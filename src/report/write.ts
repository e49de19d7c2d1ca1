// Writing the two report files: each is written to a temporary name and renamed, so a reader
// never sees half a report.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WeeklyReport } from './build.ts';
import { renderReportHtml } from './html.ts';
import { renderReportMarkdown } from './markdown.ts';

export interface WrittenReport {
  html: string;
  markdown: string;
  bytes: number;
}

/** mediamittari-2026-W47-tampere, or mediamittari-2026-W47 for several municipalities. */
export function reportFileName(r: WeeklyReport): string {
  const one = r.sections.length === 1 ? r.sections[0]!.municipality.nameFi : null;
  const slug = one
    ? '-' + one.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
    : '';
  return `mediamittari-${r.week}${slug}${r.lang === 'en' ? '-en' : ''}`;
}

export function writeWeeklyReport(r: WeeklyReport, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, reportFileName(r));
  const html = renderReportHtml(r);
  const markdown = renderReportMarkdown(r);
  const write = (path: string, text: string) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  };
  write(`${base}.html`, html);
  write(`${base}.md`, markdown);
  return { html: `${base}.html`, markdown: `${base}.md`, bytes: Buffer.byteLength(html) + Buffer.byteLength(markdown) };
}
