// Structured logs: one JSON object per line on stderr when it is not a terminal (services,
// CI, log collectors), short readable lines in a terminal. stdout stays free for command
// output such as `--json` results.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'text';
  write?: (line: string) => void;
  /** Called before a line is written so a progress display can clear itself. */
  beforeWrite?: () => void;
}

export function createLogger(opts: LoggerOptions = {}, bound: Record<string, unknown> = {}): Logger {
  const level = LEVELS[opts.level ?? (process.env.MEDIAMITTARI_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const format = opts.format ?? (process.stderr.isTTY ? 'text' : 'json');
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < level) return;
    const all = { ...bound, ...fields };
    opts.beforeWrite?.();
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...all }, jsonReplacer));
    } else {
      const extras = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonReplacer)}`)
        .join(' ');
      const tag = lvl === 'info' ? '' : `${lvl.toUpperCase()} `;
      write(`${tag}${msg}${extras ? `  ${extras}` : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...bound, ...fields }),
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
