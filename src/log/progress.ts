// A one-line progress display for long work in a terminal. Off the terminal it stays
// silent: structured logs carry the same information there.
export interface Progress {
  update(counts: Record<string, number>, label?: string): void;
  clear(): void;
  done(summary?: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(stream.isTTY)): Progress {
  let shown = false;
  let last = 0;
  const clear = () => {
    if (shown) {
      stream.write('\r\x1b[2K');
      shown = false;
    }
  };
  return {
    update(counts, label = '') {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return; // redraw at most ten times a second
      last = now;
      const text = Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ');
      const line = `${label}${label ? ' ' : ''}${text}`;
      const width = stream.columns ?? 100;
      stream.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      shown = true;
    },
    clear,
    done(summary) {
      clear();
      if (enabled && summary) stream.write(summary + '\n');
    },
  };
}
