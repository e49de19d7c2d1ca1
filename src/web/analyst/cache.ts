// Views computed from a span of weeks' articles (an alert's driving articles and distinctive
// terms, a town's baseline vocabulary: hundreds of texts read and stemmed) kept between
// requests. An entry is valid while the weeks it was computed from keep their count
// generation (countsGeneration): any new article, analysis or correction in them recounts the
// week, and the entry is computed again.
import { addWeeks, countsGeneration, documentFrequencies, type DocumentFrequencies, type Evidence } from '../../indicators/index.ts';
import type { Store } from '../../store/store.ts';

interface Entry<T> {
  generation: string;
  value: T;
}

/** Values of one kind, the most recently used `maxEntries` of them per store. */
class WeeksCache<T> {
  private readonly stores = new WeakMap<Store, Map<string, Entry<T>>>();

  constructor(private readonly maxEntries: number) {}

  /**
   * The value under `key` computed from the articles of weeks from…to (inclusive), from the
   * cache when those weeks have not been recounted since, else from `compute`. The key must
   * name everything else the value depends on (town, group, settings).
   */
  get(store: Store, key: string, weeks: { from: string; to: string }, compute: () => T): T {
    let cache = this.stores.get(store);
    if (!cache) this.stores.set(store, (cache = new Map()));
    const generation = countsGeneration(store, weeks.from, weeks.to);
    const hit = cache.get(key);
    // Map order is insertion order: re-inserting keeps the most recently used last.
    cache.delete(key);
    if (hit && hit.generation === generation) {
      cache.set(key, hit);
      return hit.value;
    }
    const value = compute();
    cache.set(key, { generation, value });
    if (cache.size > this.maxEntries) cache.delete(cache.keys().next().value!);
    return value;
  }
}

// An alert's evidence is a few stories and words; a baseline's vocabulary is a map of tens of
// thousands of stems (a megabyte or two), so fewer of those are kept.
const evidence = new WeeksCache<Evidence>(500);
const baselines = new WeeksCache<DocumentFrequencies>(64);

/** An alert's evidence (alertEvidence), kept until its week or baseline weeks change. */
export function cachedEvidence(store: Store, key: { town: string; week: string; group: string; baselineWeeks: number; exclude: readonly string[] }, compute: () => Evidence): Evidence {
  return evidence.get(
    store,
    `${key.town}|${key.week}|${key.group}|${key.baselineWeeks}|${key.exclude.join(',')}`,
    { from: addWeeks(key.week, -key.baselineWeeks), to: key.week },
    compute,
  );
}

/** A town's baseline document frequencies before `week`, kept until the baseline weeks change. */
export function cachedBaseline(store: Store, town: string, week: string, baselineWeeks: number, texts: () => string[]): DocumentFrequencies {
  return baselines.get(store, `${town}|${week}|${baselineWeeks}`, { from: addWeeks(week, -baselineWeeks), to: addWeeks(week, -1) }, () => documentFrequencies(texts()));
}
