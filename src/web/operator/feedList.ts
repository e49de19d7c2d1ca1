// The feed list: every configured feed with its health from the store, its articles and its
// items per week. The config says what should be polled; the store says what polling found.
// A feed just added or changed in the file shows as such until the collector takes it in.
import type { FastifyRequest } from 'fastify';
import type { FeedConfig } from '../../config/load.ts';
import { feedHealthReport, type FeedHealth } from '../../feeds/health.ts';
import { addWeeks, weekEnd, weekOf, weekRange, weekStart } from '../../indicators/week.ts';
import { formatInstant } from '../../report/i18n.ts';
import type { Store } from '../../store/store.ts';
import { html, safeHref, type Html } from '../html.ts';
import { csrfField, type WebContext } from '../server.ts';
import { operatorStrings, type OperatorStrings } from './strings.ts';

export const SPARK_WEEKS = 12;

export interface FeedStatus {
  feed: FeedConfig;
  /** Null when the store has not seen this feed yet. */
  health: FeedHealth | null;
  articles: number;
  /** Items first listed per week, oldest week first (SPARK_WEEKS weeks up to this one). */
  perWeek: { week: string; items: number }[];
  /** The file says something the store does not know yet (the collector reloads it shortly). */
  pending: boolean;
}

/**
 * Items per feed and Helsinki week over the last `weeks` weeks, dated by the item's
 * publication time, or by when we first saw it when the feed gives none.
 */
export function itemsPerWeek(store: Store, now: number, weeks = SPARK_WEEKS): { weeks: string[]; counts: Map<string, number[]> } {
  const last = weekOf(now);
  const labels = weekRange(addWeeks(last, -(weeks - 1)), last);
  // A count per week and feed, each week a range of the date indexes (migration 7). Stored
  // publication times are all toISOString() text, so they compare as text.
  const dated = store.db.prepare(
    `SELECT feed_id, COUNT(*) n FROM feed_items WHERE published_at >= ? AND published_at < ? AND published_at IS NOT NULL GROUP BY feed_id`,
  );
  const undated = store.db.prepare(
    `SELECT feed_id, COUNT(*) n FROM feed_items WHERE first_seen_at >= ? AND first_seen_at < ? AND published_at IS NULL GROUP BY feed_id`,
  );
  const counts = new Map<string, number[]>();
  labels.forEach((week, i) => {
    const from = weekStart(week);
    const to = weekEnd(week);
    const rows = [
      ...(dated.all(new Date(from).toISOString(), new Date(to).toISOString()) as { feed_id: string; n: number }[]),
      ...(undated.all(from, to) as { feed_id: string; n: number }[]),
    ];
    for (const r of rows) {
      let c = counts.get(r.feed_id);
      if (!c) counts.set(r.feed_id, (c = labels.map(() => 0)));
      c[i]! += r.n;
    }
  });
  return { weeks: labels, counts };
}

export function feedStatuses(ctx: WebContext, now = Date.now()): FeedStatus[] {
  const config = ctx.config();
  const health = new Map(feedHealthReport(ctx.store, config.settings.polling, now).map((h) => [h.id, h]));
  const rows = new Map(ctx.store.feeds().map((f) => [f.id, f]));
  const articles = new Map(ctx.store.articlesPerFeed().map((r) => [r.feed_id, r.articles]));
  const { weeks, counts } = itemsPerWeek(ctx.store, now);
  return config.feeds.map((feed) => {
    const row = rows.get(feed.id);
    const perWeek = counts.get(feed.id) ?? weeks.map(() => 0);
    return {
      feed,
      health: health.get(feed.id) ?? null,
      articles: articles.get(feed.id) ?? 0,
      perWeek: weeks.map((week, i) => ({ week, items: perWeek[i]! })),
      pending: !row || row.url !== feed.url || (row.enabled === 1) !== feed.enabled || row.interval_ms !== feed.intervalMs || row.name !== feed.name,
    };
  });
}

/** Bars of items per week: small enough for a table cell, with each week's count on hover. */
export function sparkline(perWeek: FeedStatus['perWeek'], t: OperatorStrings): Html {
  const barW = 6;
  const gap = 2;
  const h = 24;
  const max = Math.max(1, ...perWeek.map((w) => w.items));
  const total = perWeek.reduce((a, w) => a + w.items, 0);
  const width = perWeek.length * (barW + gap) - gap;
  return html`<svg class="spark" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${t.sparkLabel(total, perWeek.length)}">${perWeek.map((w, i) => {
    const bh = w.items === 0 ? 1 : Math.max(2, Math.round((w.items / max) * (h - 1)));
    return html`<rect x="${i * (barW + gap)}" y="${h - bh}" width="${barW}" height="${bh}" class="${w.items === 0 ? 'empty' : 'bar'}"><title>${t.weekCount(w.week, w.items)}</title></rect>`;
  })}</svg>`;
}

function when(iso: string | null, req: FastifyRequest, t: OperatorStrings): Html | string {
  if (!iso) return html`<span class="muted">${t.never}</span>`;
  return html`<time datetime="${iso}">${formatInstant(Date.parse(iso), req.lang)}</time>`;
}

function stateOf(s: FeedStatus): FeedHealth['state'] {
  if (!s.feed.enabled) return 'disabled';
  return s.health?.state ?? 'never_polled';
}

function row(ctx: WebContext, req: FastifyRequest, s: FeedStatus, t: OperatorStrings): Html {
  const h = s.health;
  const state = stateOf(s);
  const names = new Map(ctx.config().municipalities.map((m) => [m.code, m.nameFi]));
  const towns = s.feed.municipalities.map((c) => names.get(c) ?? c).join(', ');
  const backingOff = h !== null && h.consecutiveFailures > 0 && s.feed.enabled;
  return html`<tr id="feed-${s.feed.id}" data-feed="${s.feed.id}">
  <td><strong>${s.feed.name}</strong> <span class="muted">${s.feed.id}</span><br>
    <a href="${safeHref(s.feed.url)}" rel="noopener noreferrer" class="feed-url">${s.feed.url}</a><br>
    <span class="muted">${t.kinds[s.feed.kind] ?? s.feed.kind}${towns ? ` · ${towns}` : ''}${s.feed.region ? ` · ${s.feed.region}` : ''}</span></td>
  <td><span class="badge state-${state}">${t.states[state] ?? state}</span>${h?.silent && s.feed.enabled ? html` <span class="badge low" title="${t.silentHint}">${t.silent}</span>` : ''}
    ${s.pending ? html`<br><span class="notice">${t.notCollectedYet}</span>` : ''}
    ${h?.disabledReason ? html`<br><span class="muted">${h.disabledReason}</span>` : ''}
    ${h?.lastError ? html`<br><span class="feed-error" title="${t.lastError}">${h.lastStatus ? `HTTP ${h.lastStatus}: ` : ''}${h.lastError}</span>` : ''}</td>
  <td>${when(h?.lastSuccessAt ?? null, req, t)}</td>
  <td>${when(h?.lastAttemptAt ?? null, req, t)}</td>
  <td class="num">${h?.consecutiveFailures ?? 0}</td>
  <td>${!s.feed.enabled ? '–' : h?.nextPollAt ? when(h.nextPollAt, req, t) : t.dueNow}${backingOff ? html`<br><span class="notice">${t.backoff}</span>` : ''}</td>
  <td class="num">${s.articles}</td>
  <td>${sparkline(s.perWeek, t)}</td>
  <td class="actions"><a href="/feeds/${encodeURIComponent(s.feed.id)}/edit">${t.edit}</a>
    ${s.feed.enabled
      ? html`<form method="post" action="/feeds/${encodeURIComponent(s.feed.id)}/disable" class="inline" data-confirm="${t.confirmDisable(s.feed.name)}">${csrfField(req)}<button type="submit">${t.disable}</button></form>`
      : html`<form method="post" action="/feeds/${encodeURIComponent(s.feed.id)}/enable" class="inline">${csrfField(req)}<button type="submit">${t.enable}</button></form>`}</td>
</tr>`;
}

export function feedListPage(ctx: WebContext, req: FastifyRequest, flash: Html | null): Html {
  const t = operatorStrings(req.lang);
  const statuses = feedStatuses(ctx);
  return html`${flash ?? ''}
<p class="muted">${t.feedsIntro(ctx.config().files.feeds)}</p>
<p><a href="/feeds/new" class="button">${t.addFeed}</a></p>
${statuses.length === 0
  ? html`<p>${t.noFeeds}</p>`
  : html`<div class="table-wrap"><table class="feeds">
<thead><tr><th>${t.feed}</th><th>${t.state}</th><th>${t.lastSuccess}</th><th>${t.lastAttempt}</th><th class="num">${t.failures}</th><th>${t.nextPoll}</th><th class="num">${t.articles}</th><th>${t.perWeek}</th><th>${t.actions}</th></tr></thead>
<tbody>${statuses.map((s) => row(ctx, req, s, t))}</tbody>
</table></div>`}`;
}
