// Views computed from a span of weeks' articles (an alert's driving articles and distinctive
// terms: hundreds of texts read and stemmed) kept between requests. An entry is valid while
// the weeks it was computed from keep their count generation (countsGeneration): any new
// article, analysis or correction in them recounts the week, and the entry is computed again.
import { countsGeneration } from '../../indicators/index.ts';
import type { Store } from '../../store/store.ts';

const MAX_ENTRIES = 500;

interface Entry {
  generation: string;
  value: unknown;
}

const caches = new WeakMap<Store, Map<string, Entry>>();

/**
 * The value under `key` computed from the articles of weeks from…to (inclusive), from the
 * cache when those weeks have not been recounted since, else from `compute`. The key must
 * name everything else the value depends on (town, group, settings).
 */
export function cachedForWeeks<T>(store: Store, key: string, weeks: { from: string; to: string }, compute: () => T): T {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const generation = countsGeneration(store, weeks.from, weeks.to);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) {
    // Map order is insertion order: re-inserting keeps the most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  cache.delete(key);
  cache.set(key, { generation, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
