import { SEARCH_WORDS } from './synthetic-store.ts';
import { Store } from '../src/store/store.ts';
import { searchArticles } from '../src/web/analyst/search.ts';
const store = new Store('/tmp/mediamittari-bench/dashboard-v3-1000000-2026-W48.db');
const q = (w: string) => {
  const t0 = performance.now();
  searchArticles(store, { q: w });
  return performance.now() - t0;
};
const words = process.argv[2] === 'two' ? SEARCH_WORDS.middle.map((m, k) => `${m} ${SEARCH_WORDS.groups[k % SEARCH_WORDS.groups.length]}`) : SEARCH_WORDS.rare;
const ms = words.map(q).sort((a, b) => a - b);
console.log(process.argv[2] ?? 'rare', 'p50', ms[Math.floor(ms.length / 2)]!.toFixed(1), 'p95', ms[Math.floor(ms.length * 0.95)]!.toFixed(1), 'max', ms.at(-1)!.toFixed(1));
if (process.argv[3] === 'plan') {
  const w = SEARCH_WORDS.rare[0]!;
  console.log(store.db.prepare(`EXPLAIN QUERY PLAN SELECT a.id FROM (SELECT rowid id FROM article_search WHERE article_search MATCH ?) h CROSS JOIN articles a ON a.id = h.id WHERE a.duplicate_of IS NULL`).all(w).map((r: any) => r.detail));
}
store.close();
