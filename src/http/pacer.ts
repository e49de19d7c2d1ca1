/**
 * Politeness per host ('hostname:port'): a minimum gap between request starts and a cap on
 * requests in flight. Async and small so that a shared (Redis) implementation can stand in
 * when several machines fetch from the same publishers.
 */
export interface HostPacer {
  /** Resolves when a slot is free and the gap has passed; call the returned release() when done. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void>;
  /** Raise the gap for one host (robots.txt Crawl-delay); never lowers it below the default. */
  raiseMinGap?(host: string, minGapMs: number): Promise<void>;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface HostState {
  active: number;
  lastStart: number;
  minGapMs: number | undefined;
  queue: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** In-process pacer: first come, first served per host. */
export class MemoryHostPacer implements HostPacer {
  private readonly minGapMs: number;
  private readonly maxConcurrency: number;
  private readonly hosts = new Map<string, HostState>();

  constructor(opts: { minGapMs: number; maxConcurrency: number }) {
    this.minGapMs = Math.max(0, opts.minGapMs);
    this.maxConcurrency = Math.max(1, Math.floor(opts.maxConcurrency));
  }

  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const state = this.stateOf(host);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = state.queue.indexOf(waiter);
          if (i >= 0) state.queue.splice(i, 1);
          reject(abortReason(signal));
          this.pump(host, state);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      state.queue.push(waiter);
      this.pump(host, state);
    });
  }

  async raiseMinGap(host: string, minGapMs: number): Promise<void> {
    const state = this.stateOf(host);
    if (minGapMs > (state.minGapMs ?? this.minGapMs)) state.minGapMs = minGapMs;
  }

  /** Hosts with state held (in flight, queued, or with a raised gap); for health views. */
  get trackedHosts(): number {
    return this.hosts.size;
  }

  private stateOf(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, lastStart: -Infinity, minGapMs: undefined, queue: [], timer: undefined };
      this.hosts.set(host, state);
    }
    return state;
  }

  private pump(host: string, state: HostState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    const gap = state.minGapMs ?? this.minGapMs;
    while (state.queue.length > 0 && state.active < this.maxConcurrency) {
      const wait = state.lastStart + gap - Date.now();
      if (wait > 0) {
        state.timer = setTimeout(() => {
          state.timer = undefined;
          this.pump(host, state);
        }, wait);
        return;
      }
      const waiter = state.queue.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      state.active++;
      state.lastStart = Date.now();
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        state.active--;
        this.pump(host, state);
      });
    }
    this.forgetWhenIdle(host, state, gap);
  }

  // Article links point at many hosts over time; an idle host whose gap has passed carries no
  // information any more, unless robots.txt raised its gap.
  private forgetWhenIdle(host: string, state: HostState, gap: number): void {
    if (state.active > 0 || state.queue.length > 0 || state.minGapMs !== undefined) return;
    const wait = state.lastStart + gap - Date.now();
    if (wait <= 0) {
      if (this.hosts.get(host) === state) this.hosts.delete(host);
      return;
    }
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (state.active === 0 && state.queue.length === 0 && this.hosts.get(host) === state) this.hosts.delete(host);
    }, wait);
    state.timer.unref();
  }
}
