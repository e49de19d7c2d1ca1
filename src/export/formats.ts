// The three file formats. JSONL keeps nested fields as JSON; CSV (RFC 4180) and Parquet
// flatten them to JSON text in their column, as Frictionless specifies for array and object
// fields, so every format has the same columns.
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { FIELDS, isNested, type EncodedRow, type FieldSpec } from './fields.ts';
import type { ByteSink } from './sink.ts';

export type ExportFormat = 'jsonl' | 'csv' | 'parquet';
export const FORMATS: readonly ExportFormat[] = ['jsonl', 'csv', 'parquet'];

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
};

export interface Encoder {
  begin(): Promise<void>;
  rows(rows: EncodedRow[]): Promise<void>;
  end(): Promise<void>;
}

export interface EncoderOptions {
  /** CSV: start with a UTF-8 byte-order mark, for spreadsheet programs. */
  bom?: boolean;
  /** Parquet: rows per row group. */
  rowGroupSize?: number;
}

export function createEncoder(format: ExportFormat, out: ByteSink, opts: EncoderOptions = {}): Encoder {
  if (format === 'jsonl') return new JsonlEncoder(out);
  if (format === 'csv') return new CsvEncoder(out, opts.bom ?? false);
  return new ParquetEncoder(out, opts.rowGroupSize ?? 5_000);
}

/** JSON text of a field's value; a nested value that is a string is JSON text already. */
function json(v: unknown, nested: boolean): string {
  if (nested && typeof v === 'string') return v;
  return v === undefined ? 'null' : JSON.stringify(v);
}

const NESTED = FIELDS.map((f) => isNested(f.type));

class JsonlEncoder implements Encoder {
  private readonly keys = FIELDS.map((f, i) => (i === 0 ? '{' : ',') + JSON.stringify(f.name) + ':');
  constructor(private readonly out: ByteSink) {}
  async begin(): Promise<void> {}
  async rows(rows: EncodedRow[]): Promise<void> {
    let s = '';
    for (const r of rows) {
      for (let i = 0; i < this.keys.length; i++) s += this.keys[i]! + json(r[i], NESTED[i]!);
      s += '}\n';
    }
    await this.out.text(s);
  }
  async end(): Promise<void> {
    await this.out.flush();
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvValue(f: FieldSpec, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (isNested(f.type)) return csvField(json(v, true));
  if (typeof v === 'string') return csvField(v);
  return String(v);
}

class CsvEncoder implements Encoder {
  constructor(
    private readonly out: ByteSink,
    private readonly bom: boolean,
  ) {}
  async begin(): Promise<void> {
    await this.out.text((this.bom ? '\uFEFF' : '') + FIELDS.map((f) => csvField(f.name)).join(',') + '\r\n');
  }
  async rows(rows: EncodedRow[]): Promise<void> {
    let s = '';
    for (const r of rows) {
      let line = '';
      for (let i = 0; i < FIELDS.length; i++) {
        if (i > 0) line += ',';
        line += csvValue(FIELDS[i]!, r[i]);
      }
      s += line + '\r\n';
    }
    await this.out.text(s);
  }
  async end(): Promise<void> {
    await this.out.flush();
  }
}

export function parquetSchema(): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: FIELDS.length }];
  for (const f of FIELDS) {
    const repetition_type = f.required ? 'REQUIRED' : 'OPTIONAL';
    switch (f.parquet) {
      case 'STRING':
        schema.push({ name: f.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type });
        break;
      case 'TIMESTAMP':
        schema.push({
          name: f.name,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
          repetition_type,
        });
        break;
      default:
        schema.push({ name: f.name, type: f.parquet, repetition_type });
    }
  }
  return schema;
}

function parquetValue(f: FieldSpec, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (isNested(f.type)) return json(v, true);
  switch (f.parquet) {
    case 'INT64':
      return BigInt(v as number);
    case 'TIMESTAMP':
      return new Date(v as string);
    default:
      return v;
  }
}

/**
 * Row groups are encoded as rows arrive and handed to the sink after each group, so the
 * file is never held whole in memory: at most one row group of values and its encoding.
 */
class ParquetEncoder implements Encoder {
  private readonly bytes: SinkWriter;
  private readonly writer: ParquetWriter;
  private columns: unknown[][] = FIELDS.map(() => []);
  private buffered = 0;

  constructor(
    out: ByteSink,
    private readonly rowGroupSize: number,
  ) {
    this.bytes = new SinkWriter(out);
    this.writer = new ParquetWriter({ writer: this.bytes, schema: parquetSchema(), createdBy: 'Mediamittari export' });
  }
  async begin(): Promise<void> {}
  async rows(rows: EncodedRow[]): Promise<void> {
    for (const r of rows) {
      for (let i = 0; i < FIELDS.length; i++) this.columns[i]!.push(parquetValue(FIELDS[i]!, r[i]));
      if (++this.buffered >= this.rowGroupSize) await this.writeGroup();
    }
  }
  private async writeGroup(): Promise<void> {
    if (this.buffered === 0) return;
    // No page offset index: readers do not need it for whole-file reads, and the writer would
    // keep every page's entry in memory until the footer.
    const columnData = FIELDS.map((f, i) => ({ name: f.name, data: this.columns[i]! as never[], nullable: !f.required, offsetIndex: false }));
    await this.writer.write({ columnData, rowGroupSize: this.buffered });
    this.columns = FIELDS.map(() => []);
    this.buffered = 0;
  }
  async end(): Promise<void> {
    await this.writeGroup();
    await this.writer.finish();
  }
}

/** hyparquet-writer's byte buffer, emptied into the sink after every row group. */
class SinkWriter extends ByteWriter {
  constructor(private readonly out: ByteSink) {
    super(1 << 20);
  }
  flush(): Promise<void> {
    // Copy out: the buffer is reused for the next row group.
    const chunk = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.out.bytesOut(chunk);
  }
  override finish(): Promise<void> {
    return this.flush();
  }
}
