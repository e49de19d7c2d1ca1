// The weekly summary for analysts: one self-contained HTML file and a Markdown version.
export { buildWeeklyReport, type WeeklyReport, type ReportSection, type ReportOptions, type NotableArticle, type GroupSummary, type Series } from './build.ts';
export { renderReportHtml, renderReportBody, reportTitle, reportSubtitle, type ReportBodyOptions } from './html.ts';
export { renderReportMarkdown, escapeMarkdown } from './markdown.ts';
export { escapeHtml } from './svg.ts';
export { strings, loadGroupLabels, type Lang } from './i18n.ts';
export { writeWeeklyReport, reportFileName, type WrittenReport } from './write.ts';
