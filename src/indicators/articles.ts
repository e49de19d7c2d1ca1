// The articles behind the numbers: a municipality's original local articles in a span of
// weeks with their group tags (corrections applied, as in the counts), for alerts' driving
// articles, notable articles and distinctive terms.
import type { Store } from '../store/store.ts';
import { CORRECTIONS_TABLE } from './counts.ts';
import { weekEnd, weekOf, weekStart } from './week.ts';

export interface GroupTag {
  group: string;
  tone: string;
  toneScore: number;
  frame: string;
  voice: boolean;
  mentions: number;
}

export interface LocalArticle {
  id: number;
  week: string;
  title: string | null;
  /** The address to link to: canonical, else final, else the one it was reached by. */
  url: string;
  publishedTs: number | null;
  siteName: string | null;
  /** Title, lead and the start of the text: what distinctive terms are drawn from. */
  text: string;
  tags: GroupTag[];
}

export interface LocalArticleOptions {
  /** Characters of body text kept per article (for terms). */
  textChars?: number;
  /** Keep at most this many articles, the latest first. */
  limit?: number;
  /** Only articles tagged with this group. */
  group?: string;
  /** Read the group tags too (default); texts alone are enough for a TF-IDF background. */
  tags?: boolean;
}

interface ArticleRow {
  id: number;
  title: string | null;
  url: string;
  ts: number;
  published_ts: number | null;
  site_name: string | null;
  body: string;
}

/**
 * Original articles local to the municipality published from the start of `from` to the end
 * of `to`, latest first. Dated articles are read in date order from the originals' date index
 * and the scan stops at `limit`; undated ones (few) by when they were fetched.
 */
export function localArticles(store: Store, municipalityCode: string, from: string, to: string, opts: LocalArticleOptions = {}): LocalArticle[] {
  const db = store.db;
  // Tests in order of cost, each only when the one before passed: the localities and feed towns
  // are small indexes, an analyses row is large (its text's analysis) and scattered, so it is
  // looked up only for articles a feed of this town brought.
  const local = `(EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = @code)
      OR (EXISTS (SELECT 1 FROM article_municipalities m WHERE m.article_id = a.id AND m.municipality_code = @code AND m.via = 'feed')
          AND NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id)))
    ${opts.group ? 'AND EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = a.id AND g.group_id = @group)' : ''}`;
  const columns = `a.id, a.title, COALESCE(a.canonical_url, a.final_url, a.url) url, COALESCE(a.published_ts, a.fetched_at) ts, a.published_ts,
    a.site_name, COALESCE(a.title, '') || char(10) || COALESCE(a.lead, '') || char(10) || substr(a.text, 1, @chars) body`;
  const params = { from: weekStart(from), to: weekEnd(to), code: municipalityCode, chars: opts.textChars ?? 3000, group: opts.group ?? null, limit: opts.limit ?? -1 };
  const dated = db
    .prepare(
      `SELECT ${columns} FROM articles a
       WHERE a.duplicate_of IS NULL AND a.published_ts >= @from AND a.published_ts < @to AND ${local}
       ORDER BY a.published_ts DESC LIMIT @limit`,
    )
    .all(params) as ArticleRow[];
  const undated = db
    .prepare(
      `SELECT ${columns} FROM articles a
       WHERE a.duplicate_of IS NULL AND a.published_ts IS NULL AND a.fetched_at >= @from AND a.fetched_at < @to AND ${local}
       ORDER BY a.fetched_at DESC LIMIT @limit`,
    )
    .all(params) as ArticleRow[];
  const rows = [...dated, ...undated].sort((a, b) => b.ts - a.ts || b.id - a.id).slice(0, opts.limit ?? Infinity);
  const tags = opts.tags === false ? new Map<number, GroupTag[]>() : groupTags(store, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    week: weekOf(r.ts),
    title: r.title,
    url: r.url,
    publishedTs: r.published_ts,
    siteName: r.site_name,
    text: r.body,
    tags: tags.get(r.id) ?? [],
  }));
}

/**
 * Group tags of the articles with analysts' corrections applied, by the same rules as the
 * counts (see CORRECTIONS_TABLE): the latest correction per group and field wins; 'present'
 * '0' removes a tag, '1' adds one the analysis missed (neutral, frame other, unless corrected).
 */
export function groupTags(store: Store, articleIds: readonly number[]): Map<number, GroupTag[]> {
  const db = store.db;
  const out = new Map<number, GroupTag[]>();
  const q = db.prepare('SELECT group_id, tone, tone_score, frame, voice, mentions FROM article_groups WHERE article_id = ? ORDER BY group_id');
  const hasCorrections = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(CORRECTIONS_TABLE) !== undefined;
  const corr = hasCorrections
    ? db.prepare(`SELECT group_id, field, CAST(value AS TEXT) value FROM ${CORRECTIONS_TABLE} WHERE article_id = ? ORDER BY rowid`)
    : null;
  for (const id of articleIds) {
    const tags = new Map<string, GroupTag>();
    for (const r of q.all(id) as { group_id: string; tone: string; tone_score: number; frame: string; voice: number; mentions: number }[]) {
      tags.set(r.group_id, { group: r.group_id, tone: r.tone, toneScore: r.tone_score, frame: r.frame, voice: r.voice !== 0, mentions: r.mentions });
    }
    if (corr) {
      const latest = new Map<string, string>(); // "group|field" → value, later rows overwrite
      for (const c of corr.all(id) as { group_id: string; field: string; value: string }[]) latest.set(`${c.group_id}|${c.field}`, c.value);
      const groups = new Set([...tags.keys(), ...[...latest.keys()].map((k) => k.slice(0, k.lastIndexOf('|')))]);
      for (const g of groups) {
        const present = latest.get(`${g}|present`);
        const tag = tags.get(g);
        if (present === '0' || (!tag && present !== '1')) {
          tags.delete(g);
          continue;
        }
        const tone = latest.get(`${g}|tone`);
        const frame = latest.get(`${g}|frame`);
        const voice = latest.get(`${g}|voice`);
        tags.set(g, {
          group: g,
          tone: tone ?? tag?.tone ?? 'neu',
          // An analyst's tone replaces the analysis score with a unit one of the same sign.
          toneScore: tone !== undefined && tone !== tag?.tone ? (tone === 'neg' ? -1 : tone === 'pos' ? 1 : 0) : tag?.toneScore ?? 0,
          frame: frame ?? tag?.frame ?? 'other',
          voice: voice !== undefined ? voice === '1' : tag?.voice ?? false,
          mentions: tag?.mentions ?? 0,
        });
      }
    }
    out.set(id, [...tags.values()].sort((a, b) => a.group.localeCompare(b.group)));
  }
  return out;
}
