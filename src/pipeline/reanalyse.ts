// Re-tagging stored articles after a lexicon or code change. Articles already analysed with
// the current version are skipped, so an interrupted run resumes where it stopped; each
// batch is written in one transaction, so a stop between batches loses nothing.
import { analyseText, type Analysis } from '../analyse/index.ts';
import type { FeedKind } from '../config/load.ts';
import type { Store } from '../store/store.ts';
import type { Analyser } from './stages.ts';

export interface ReanalyseOptions {
  /** Only articles published (or, without a date, stored) at or after this time. */
  since?: number;
  /** Re-tag also articles already at the current version. */
  all?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
}

export interface ReanalyseSummary {
  version: string;
  candidates: number;
  analysed: number;
  changed: number;
  interrupted: boolean;
}

interface Row {
  id: number;
  title: string | null;
  text: string;
  language: string | null;
  feeds: string | null;
}

/** The analysis input of a stored article: its text, and the priors of the feeds it came through. */
export function analyseStored(row: Row, feedInfo: Map<string, { municipalities: string[]; kind: FeedKind | string }>, analyser: Analyser): Analysis {
  const feeds = (row.feeds ?? '').split(',').filter(Boolean).map((id) => feedInfo.get(id)).filter((f) => f !== undefined);
  const local = feeds.filter((f) => f.kind !== 'regional_broadcaster');
  // A story that also came through a local feed has that town as its prior; one that came only
  // through regional feeds must name its town.
  const priorFeeds = local.length > 0 ? local : feeds;
  return analyseText(
    {
      text: row.text,
      title: row.title ?? undefined,
      feedMunicipalities: [...new Set(priorFeeds.flatMap((f) => f.municipalities))],
      regionalFeed: local.length === 0 && feeds.length > 0,
      language: row.language === 'fi' || row.language === 'sv' || row.language === 'en' ? row.language : undefined,
    },
    analyser.lexicons,
    analyser.morphology,
  );
}

export function feedInfoOf(store: Store): Map<string, { municipalities: string[]; kind: string }> {
  return new Map(store.feeds().map((f) => [f.id, { municipalities: store.feedMunicipalities(f.id), kind: f.kind }]));
}

export async function reanalyse(store: Store, analyser: Analyser, opts: ReanalyseOptions = {}): Promise<ReanalyseSummary> {
  const version = `${analyser.lexicons.version}+${analyser.morphology.kind}`;
  const batchSize = opts.batchSize ?? 200;
  const now = opts.now ?? Date.now;
  const where = [
    opts.since !== undefined ? '(COALESCE(a.published_ts, a.stored_at) >= @since)' : '1',
    opts.all ? '1' : '(an.version IS NULL OR an.version != @version)',
  ].join(' AND ');
  const params = { since: opts.since ?? 0, version };
  const candidates = (store.db.prepare(`SELECT COUNT(*) n FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE ${where}`).get(params) as { n: number }).n;
  const feedInfo = feedInfoOf(store);
  // Keyset pagination by id: the set shrinks as articles reach the current version, and
  // with --all the id bound alone moves the run forward.
  const page = store.db.prepare(
    `SELECT a.id, a.title, a.text, a.language,
       (SELECT group_concat(feed_id) FROM article_sources s WHERE s.article_id = a.id) feeds
     FROM articles a LEFT JOIN analyses an ON an.article_id = a.id
     WHERE a.id > @after AND ${where} ORDER BY a.id LIMIT @limit`,
  );
  const previous = store.db.prepare(
    `SELECT tone, frame, (SELECT group_concat(group_id) FROM (SELECT group_id FROM article_groups WHERE article_id = @id ORDER BY group_id)) groups
     FROM analyses WHERE article_id = @id`,
  );
  let after = 0;
  let analysed = 0;
  let changed = 0;
  while (!opts.signal?.aborted) {
    const rows = page.all({ ...params, after, limit: batchSize }) as Row[];
    if (rows.length === 0) break;
    const results = rows.map((r) => ({ id: r.id, analysis: analyseStored(r, feedInfo, analyser) }));
    store.db.transaction(() => {
      for (const { id, analysis } of results) {
        const before = previous.get({ id }) as { tone: string; frame: string | null; groups: string | null } | undefined;
        store.saveAnalysis(id, analysis, now());
        const groups = analysis.groups.join(',');
        if (before && (before.tone !== analysis.tone.label || before.frame !== analysis.frame || (before.groups ?? '') !== groups)) changed++;
      }
    })();
    analysed += rows.length;
    after = rows.at(-1)!.id;
    opts.onProgress?.(analysed, candidates);
    // Let signals and other work in through between batches.
    await new Promise((r) => setImmediate(r));
  }
  return { version, candidates, analysed, changed, interrupted: Boolean(opts.signal?.aborted) && analysed < candidates };
}
