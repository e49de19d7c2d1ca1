import { SEARCH_WORDS } from './synthetic-store.ts';
import { Store } from '../src/store/store.ts';
import { searchArticles } from '../src/web/analyst/search.ts';
const store = new Store('/tmp/mediamittari-bench/dashboard-v3-1000000-2026-W48.db');
for (const pass of [1, 2]) {
  const ms: number[] = [];
  for (const w of SEARCH_WORDS.rare) {
    const t0 = performance.now();
    searchArticles(store, { q: w });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log('pass', pass, 'p50', ms[20]!.toFixed(1), 'p95', ms[37]!.toFixed(1), 'max', ms[39]!.toFixed(1));
}
store.close();
