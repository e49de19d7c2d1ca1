import { SEARCH_WORDS } from './synthetic-store.ts';
import Database from 'better-sqlite3';
const db = new Database('/tmp/mediamittari-bench/dashboard-v3-1000000-2026-W48.db', { readonly: true });
const hint = process.argv[2] === 'idx' ? 'INDEXED BY articles_by_id' : '';
const ms: number[] = [];
for (const w of SEARCH_WORDS.rare.slice(0, 20)) {
  const t0 = performance.now();
  db.prepare(`SELECT COUNT(*) FROM (SELECT rowid id FROM article_search WHERE article_search MATCH ?) h CROSS JOIN articles a ${hint} ON a.id = h.id WHERE a.duplicate_of IS NULL`).pluck().get(`"${w}"`);
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
console.log(hint || 'rowid', 'p50', ms[10]!.toFixed(1), 'max', ms[19]!.toFixed(1));
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT rowid id FROM article_search WHERE article_search MATCH ?) h CROSS JOIN articles a ${hint} ON a.id = h.id WHERE a.duplicate_of IS NULL`).all('x').map((r: any) => r.detail));
