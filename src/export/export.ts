// The streaming export: a slice of the store, read in batches inside one read transaction (a
// consistent snapshot while collection goes on writing), encoded and written to any sink with
// backpressure. A file export and the JSON API both call exportArticles; only the sink differs.
import Database from 'better-sqlite3';
import type { Store } from '../store/store.ts';
import type { ExportSummary } from './datapackage.ts';
import { FIELD_INDEX } from './fields.ts';
import { createEncoder, type ExportFormat } from './formats.ts';
import { countArticles, RecordReader, type ExportFilters, type TextPolicy } from './query.ts';
import { ByteSink, type ExportSink } from './sink.ts';

const VERSION_COLUMN = FIELD_INDEX.analysis_version;

export interface ExportRequest {
  format: ExportFormat;
  text: TextPolicy;
  filters: ExportFilters;
  /** CSV only: begin with a UTF-8 byte-order mark. */
  bom?: boolean;
}

export interface ExportProgress {
  rows: number;
  /** Rows the slice holds, when counted first (`count: true`). */
  total: number | null;
}

export interface ExportRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Count the slice before writing, for a progress display with a total. */
  count?: boolean;
  batchSize?: number;
  rowGroupSize?: number;
  now?: () => number;
}

export class ExportAborted extends Error {
  constructor() {
    super('export interrupted');
    this.name = 'ExportAborted';
  }
}

/**
 * A separate read-only connection holds the snapshot, so a long export neither blocks the
 * collector's writes nor sees half of them. An in-memory store has only its own connection.
 */
function readConnection(store: Store): { db: Database.Database; release: () => void } {
  if (store.path === ':memory:') return { db: store.db, release: () => {} };
  const db = new Database(store.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.exec('BEGIN');
  return {
    db,
    release: () => {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}

export async function exportArticles(store: Store, req: ExportRequest, sink: ExportSink, opts: ExportRunOptions = {}): Promise<ExportSummary> {
  const now = opts.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const out = new ByteSink(sink);
  const encoder = createEncoder(req.format, out, { bom: req.bom, rowGroupSize: opts.rowGroupSize });
  const versions = new Set<string>();
  let rows = 0;
  let unanalysed = 0;
  const conn = readConnection(store);
  try {
    const total = opts.count ? countArticles(conn.db, req.filters) : null;
    const reader = new RecordReader(conn.db, req.filters, { text: req.text, batchSize: opts.batchSize });
    await encoder.begin();
    for (let batch = reader.next(); batch !== null; batch = reader.next()) {
      if (opts.signal?.aborted) throw new ExportAborted();
      for (const r of batch) {
        const v = r[VERSION_COLUMN] as string | null;
        if (v === null) unanalysed++;
        else versions.add(v);
      }
      await encoder.rows(batch);
      rows += batch.length;
      opts.onProgress?.({ rows, total });
    }
    if (opts.signal?.aborted) throw new ExportAborted();
    await encoder.end();
  } finally {
    conn.release();
  }
  return {
    format: req.format,
    text: req.text,
    bom: Boolean(req.bom) && req.format === 'csv',
    filters: req.filters,
    rows,
    unanalysed,
    analysisVersions: [...versions].sort(),
    bytes: out.bytes,
    sha256: out.sha256(),
    startedAt,
    finishedAt: new Date(now()).toISOString(),
    storeSchemaVersion: store.schemaVersion,
  };
}
