// Query strings → the export's request. The article list and the streamed export take the
// same filters as `mediamittari export`, checked by the same code (resolveRequest) against the
// same catalogue, so an unknown group or an empty period is refused the same way everywhere.
import type { ExportFormat } from '../../export/formats.ts';
import type { ExportRequest } from '../../export/export.ts';
import { ExportRequestError } from '../../export/file.ts';
import type { ExportFilters, TextPolicy } from '../../export/query.ts';
import { loadCatalogue, resolveRequest, type Catalogue, type RawExportOptions } from '../../export/request.ts';
import type { AppConfig } from '../../config/load.ts';
import type { WebContext } from '../server.ts';
import { ApiError } from './errors.ts';

/** The filter parameters as fastify hands them over (lists already arrays): the export's, and a week. */
export type FilterQuery = Omit<RawExportOptions, 'format' | 'text' | 'bom'> & { week?: string };

const CATALOGUE_TTL_MS = 60_000;
const catalogues = new WeakMap<AppConfig, { at: number; catalogue: Catalogue }>();

/**
 * What a request may name. The groups and feeds the store holds change only as articles
 * arrive, so the catalogue is read at most once a minute per config.
 */
export function catalogueOf(ctx: WebContext, now = Date.now()): Catalogue {
  const config = ctx.config();
  const hit = catalogues.get(config);
  if (hit && now - hit.at < CATALOGUE_TTL_MS) return hit.catalogue;
  const catalogue = loadCatalogue(config, ctx.store.db);
  catalogues.set(config, { at: now, catalogue });
  return catalogue;
}

/**
 * resolveRequest words its problems as command-line options (`--group x: unknown group`);
 * the options are named like the API's parameters, so only the dashes go.
 */
function fromRequestError(e: ExportRequestError): ApiError {
  const parameters = [...new Set([...e.message.matchAll(/--([a-z]+)/g)].map((m) => m[1]!))];
  const message = e.message.replace(/--([a-z]+)(?: (?!is )([^:\n]+?)(?=: | is |\n|$))?/g, (_m, name: string, value?: string) => (value ? `${name}=${value}` : name));
  return new ApiError(400, message, parameters);
}

function raw(q: FilterQuery, format: ExportFormat, extra: Partial<RawExportOptions> = {}): RawExportOptions {
  if (q.week !== undefined && (q.from !== undefined || q.to !== undefined)) {
    throw new ApiError(400, 'week: give either week or from/to, not both', ['week', ...(q.from !== undefined ? ['from'] : []), ...(q.to !== undefined ? ['to'] : [])]);
  }
  return {
    format,
    from: q.week ?? q.from,
    to: q.week ?? q.to,
    municipality: q.municipality,
    group: q.group,
    tone: q.tone,
    frame: q.frame,
    language: q.language,
    source: q.source,
    originals: q.originals,
    ...extra,
  };
}

function resolve(ctx: WebContext, options: RawExportOptions): ExportRequest {
  try {
    return resolveRequest(options, catalogueOf(ctx));
  } catch (e) {
    if (e instanceof ExportRequestError) throw fromRequestError(e);
    throw e;
  }
}

export function articleFilters(ctx: WebContext, q: FilterQuery): ExportFilters {
  return resolve(ctx, raw(q, 'jsonl')).filters;
}

export interface ExportQuery extends FilterQuery {
  format?: ExportFormat;
  text?: TextPolicy;
  bom?: boolean;
}

export function exportRequest(ctx: WebContext, q: ExportQuery): ExportRequest {
  return resolve(ctx, raw(q, q.format ?? 'jsonl', { text: q.text, bom: q.bom }));
}

/** Municipality codes from codes or names, as the export resolves them. */
export function municipalityCodes(ctx: WebContext, wanted: string[] | undefined): string[] | undefined {
  if (!wanted || wanted.length === 0) return undefined;
  return resolve(ctx, { format: 'jsonl', municipality: wanted }).filters.municipalities;
}
