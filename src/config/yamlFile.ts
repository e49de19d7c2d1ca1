// Reading YAML config files so that every validation error can name the file, the line,
// the field and what was expected. The `yaml` package keeps source ranges on every node;
// we walk the document tree instead of its plain-JS copy so the positions stay at hand.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Document } from 'yaml';

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ConfigProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** A position inside a YAML file: the node, its dotted path and the file it came from. */
export class YamlCursor {
  constructor(
    readonly file: YamlFile,
    readonly node: Node | null,
    readonly path: string,
    private readonly parentNode: Node | null = null,
  ) {}

  get line(): number {
    return this.file.lineOf(this.node ?? this.parentNode);
  }

  problem(message: string): void {
    this.file.problems.push({ file: this.file.path, line: this.line, field: this.path, message });
  }

  isMissing(): boolean {
    return this.node === null || (isScalar(this.node) && this.node.value === null);
  }

  /** Child of a mapping; missing keys give a cursor whose line is the parent's. */
  get(key: string): YamlCursor {
    const childPath = this.path ? `${this.path}.${key}` : key;
    if (!isMap(this.node)) return new YamlCursor(this.file, null, childPath, this.node);
    const child = this.node.get(key, true) as Node | undefined;
    return new YamlCursor(this.file, child ?? null, childPath, this.node);
  }

  keys(): string[] {
    if (!isMap(this.node)) return [];
    return this.node.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
  }

  /** Flags keys that no field reads: a typo such as `intervall:` must not pass silently. */
  rejectUnknownKeys(known: readonly string[]): void {
    if (!isMap(this.node)) return;
    for (const pair of this.node.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (!known.includes(key)) {
        const line = this.file.lineOf(pair.key as Node);
        this.file.problems.push({
          file: this.file.path,
          line,
          field: this.path ? `${this.path}.${key}` : key,
          message: `unknown field; expected one of: ${known.join(', ')}`,
        });
      }
    }
  }

  items(): YamlCursor[] {
    if (!isSeq(this.node)) return [];
    return this.node.items.map((n, i) => new YamlCursor(this.file, n as Node, `${this.path}[${i}]`, this.node));
  }

  isSeq(): boolean {
    return isSeq(this.node);
  }

  isMap(): boolean {
    return isMap(this.node);
  }

  scalar(): unknown {
    return isScalar(this.node) ? this.node.value : undefined;
  }

  // Typed readers. Each reports a problem and returns the fallback when the value is wrong,
  // so one pass collects every mistake in the file rather than stopping at the first.

  string(opts: { required?: boolean; fallback?: string; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    if (this.isMissing()) {
      if (opts.required) this.problem('is required (a string)');
      return opts.fallback;
    }
    const v = this.scalar();
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.problem(`expected a string, got ${describe(this.node)}`);
      return opts.fallback;
    }
    const s = String(v).trim();
    if (opts.pattern && !opts.pattern.test(s)) {
      this.problem(`expected ${opts.patternHint ?? `a value matching ${opts.pattern}`}, got "${s}"`);
      return opts.fallback;
    }
    return s;
  }

  boolean(fallback: boolean): boolean {
    if (this.isMissing()) return fallback;
    const v = this.scalar();
    if (typeof v !== 'boolean') {
      this.problem(`expected true or false, got ${describe(this.node)}`);
      return fallback;
    }
    return v;
  }

  number(opts: { fallback: number; min?: number; max?: number; integer?: boolean }): number {
    if (this.isMissing()) return opts.fallback;
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.problem(`expected a number, got ${describe(this.node)}`);
      return opts.fallback;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.problem(`expected a whole number, got ${v}`);
      return opts.fallback;
    }
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      this.problem(`expected a number in ${opts.min ?? '-∞'}…${opts.max ?? '∞'}, got ${v}`);
      return opts.fallback;
    }
    return v;
  }

  /** Durations are written as `90s`, `15m`, `2h`, `1d` (a bare number means seconds). */
  duration(opts: { fallbackMs: number; minMs?: number; maxMs?: number }): number {
    if (this.isMissing()) return opts.fallbackMs;
    const v = this.scalar();
    const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null) {
      this.problem(`expected a duration such as 30s, 15m, 2h or 1d, got ${describe(this.node)}`);
      return opts.fallbackMs;
    }
    if ((opts.minMs !== undefined && ms < opts.minMs) || (opts.maxMs !== undefined && ms > opts.maxMs)) {
      this.problem(`expected a duration between ${formatDuration(opts.minMs ?? 0)} and ${formatDuration(opts.maxMs ?? Infinity)}, got ${String(v)}`);
      return opts.fallbackMs;
    }
    return ms;
  }

  /** Sizes are written as `512KB`, `10MB`, `1GB` or a number of bytes. */
  bytes(opts: { fallback: number; min?: number }): number {
    if (this.isMissing()) return opts.fallback;
    const v = this.scalar();
    const n = typeof v === 'number' ? v : typeof v === 'string' ? parseBytes(v) : null;
    if (n === null || (opts.min !== undefined && n < opts.min)) {
      this.problem(`expected a size such as 512KB, 10MB or 1GB${opts.min !== undefined ? ` (at least ${opts.min} bytes)` : ''}, got ${describe(this.node)}`);
      return opts.fallback;
    }
    return n;
  }

  stringList(opts: { required?: boolean } = {}): string[] {
    if (this.isMissing()) {
      if (opts.required) this.problem('is required (a list)');
      return [];
    }
    if (isScalar(this.node) && (typeof this.node.value === 'string' || typeof this.node.value === 'number')) {
      return [String(this.node.value)];
    }
    if (!isSeq(this.node)) {
      this.problem(`expected a list, got ${describe(this.node)}`);
      return [];
    }
    const out: string[] = [];
    for (const item of this.items()) {
      const s = item.string({ required: true });
      if (s !== undefined) out.push(s);
    }
    return out;
  }
}

export class YamlFile {
  readonly problems: ConfigProblem[] = [];
  private readonly lines = new LineCounter();
  readonly doc: Document.Parsed;

  constructor(readonly path: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const err of this.doc.errors) {
      const pos = err.linePos?.[0];
      this.problems.push({ file: path, line: pos?.line ?? 1, field: '', message: `YAML syntax: ${err.message.split('\n')[0]}` });
    }
  }

  static read(path: string): YamlFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigError([{ file: path, line: 0, field: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(e as Error).message}` }]);
    }
    return new YamlFile(path, text);
  }

  root(): YamlCursor {
    return new YamlCursor(this, (this.doc.contents as Node | null) ?? null, '');
  }

  lineOf(node: Node | null | undefined): number {
    const start = node?.range?.[0];
    return start === undefined ? 1 : this.lines.linePos(start).line;
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    return v === null ? 'an empty value' : `${typeof v} "${String(v)}"`;
  }
  return 'an unexpected value';
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*$/.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * BYTE_UNITS[(m[2] ?? 'b').toLowerCase()]!);
}
