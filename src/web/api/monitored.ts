// What is monitored: the municipalities and the feeds, from the current configuration joined
// with what the store holds (a town or feed dropped from the configuration keeps its articles
// and still appears, marked as no longer monitored).
import { feedHealthReport, type FeedHealth } from '../../feeds/health.ts';
import type { WebContext } from '../server.ts';

export function municipalityList(ctx: WebContext) {
  const config = ctx.config();
  const db = ctx.store.db;
  const stored = db.prepare('SELECT code, name_fi, name_sv, region FROM municipalities ORDER BY code').all() as { code: string; name_fi: string; name_sv: string; region: string | null }[];
  const articles = new Map(
    (db.prepare('SELECT municipality_code code, COUNT(*) n FROM article_localities GROUP BY municipality_code').all() as { code: string; n: number }[]).map((r) => [r.code, r.n]),
  );
  const out = new Map<string, ReturnType<typeof entry>>();
  function entry(code: string, nameFi: string, nameSv: string, region: string | null, places: string[], monitored: boolean) {
    return {
      code,
      name_fi: nameFi,
      name_sv: nameSv,
      region,
      places,
      monitored,
      feeds: config.feeds.filter((f) => f.enabled && f.municipalities.includes(code)).map((f) => f.id),
      articles: articles.get(code) ?? 0,
    };
  }
  for (const m of config.municipalities) out.set(m.code, entry(m.code, m.nameFi, m.nameSv, m.region, m.places, true));
  for (const r of stored) if (!out.has(r.code)) out.set(r.code, entry(r.code, r.name_fi, r.name_sv, r.region, [], false));
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}

const healthOut = (h: FeedHealth) => ({
  state: h.state,
  disabled_reason: h.disabledReason,
  last_attempt_at: h.lastAttemptAt,
  last_success_at: h.lastSuccessAt,
  last_new_item_at: h.lastNewItemAt,
  consecutive_failures: h.consecutiveFailures,
  next_poll_at: h.nextPollAt,
  last_status: h.lastStatus,
  last_error: h.lastError,
  usual_gap_ms: h.usualGapMs,
  silent: h.silent,
});

/** The configured feeds with their polling health; feeds no longer configured are left out, as in `status`. */
export function feedList(ctx: WebContext, now = Date.now()) {
  const config = ctx.config();
  const health = new Map(feedHealthReport(ctx.store, config.settings.polling, now).map((h) => [h.id, h]));
  const articles = new Map(
    (ctx.store.db.prepare('SELECT feed_id, COUNT(*) n FROM article_sources GROUP BY feed_id').all() as { feed_id: string; n: number }[]).map((r) => [r.feed_id, r.n]),
  );
  return config.feeds.map((f) => {
    const h = health.get(f.id);
    return {
      id: f.id,
      name: f.name,
      url: f.url,
      kind: f.kind,
      municipalities: f.municipalities,
      region: f.region,
      interval_ms: f.intervalMs,
      enabled: f.enabled,
      articles: articles.get(f.id) ?? 0,
      health: h ? healthOut(h) : null,
    };
  });
}
