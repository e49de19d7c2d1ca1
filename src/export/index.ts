// Researcher exports: a filtered slice of the tagged corpus, streamed as JSONL, CSV or Parquet
// with a Frictionless datapackage.json. exportArticles writes to any sink (a file, an HTTP
// response); exportToFile adds the atomic file and the datapackage beside it.
export { exportArticles, ExportAborted, type ExportRequest, type ExportRunOptions, type ExportProgress } from './export.ts';
export { exportToFile, checkOutputPath, datapackagePath, ExportRequestError, type FileExportResult } from './file.ts';
export { buildDataPackage, type ExportSummary } from './datapackage.ts';
export { FIELDS, type ExportRecord, type FieldSpec, type Correction, type DictionaryLang } from './fields.ts';
export { FORMATS, MEDIA_TYPES, type ExportFormat } from './formats.ts';
export { TEXT_POLICIES, type ExportFilters, type TextPolicy } from './query.ts';
export { loadCatalogue, resolveRequest, splitList, type Catalogue, type RawExportOptions } from './request.ts';
export { parsePeriodBound, helsinkiIso, type PeriodBound } from './time.ts';
export { SNIPPET_NEIGHBOURS, type Snippet, type Span } from './spans.ts';
export type { ExportSink } from './sink.ts';
export { registerExportCommands } from './cli.ts';
