// The overview: every monitored municipality in one week, from the stored weekly counts (a
// few hundred rows whatever the size of the store). Low coverage is marked on its row, so a
// quiet week is not read as a calm one.
import type { FastifyRequest } from 'fastify';
import {
  computeIndicatorSet, firedAlerts, groupIndicator, type AlertResult, type Coverage, type GroupWeek,
} from '../../indicators/index.ts';
import { formatCount, formatNumber, formatSigned, strings as reportStrings } from '../../report/i18n.ts';
import { correctionSummary } from '../corrections/panel.ts';
import { html, query, type Html } from '../html.ts';
import { COMMON } from '../i18n.ts';
import type { WebContext } from '../server.ts';
import { catalogueOf, chosenWeek, freshCounts, param, weeksWithData } from './data.ts';
import { ANALYST_TEXT } from './strings.ts';
import { coverageBadge, weekPicker } from './widgets.ts';

const TOP_GROUPS = 3;

export interface OverviewRow {
  code: string;
  name: string;
  localArticles: number;
  groupStories: number;
  top: GroupWeek[];
  alerts: AlertResult[];
  coverage: Coverage | null;
}

/** The overview's figures for one week, per municipality in code order. */
export function overviewRows(ctx: WebContext, week: string): OverviewRow[] {
  const set = computeIndicatorSet(ctx.store, catalogueOf(ctx), { from: week, to: week });
  const alerts = firedAlerts(set);
  return set.municipalities.map((m) => {
    const cells = set.groupWeeks.filter((g) => g.municipalityCode === m.code && g.week === week && g.articles > 0);
    const coverage = set.coverage.find((c) => c.municipalityCode === m.code && c.week === week) ?? null;
    return {
      code: m.code,
      name: m.nameFi,
      localArticles: coverage?.articles ?? cells[0]?.localArticles ?? 0,
      groupStories: cells.reduce((n, c) => n + c.articles, 0),
      top: [...cells].sort((a, b) => b.articles - a.articles || a.group.localeCompare(b.group)).slice(0, TOP_GROUPS),
      alerts: alerts.filter((a) => a.municipalityCode === m.code),
      coverage,
    };
  });
}

export function overviewPage(ctx: WebContext, req: FastifyRequest): { title: string; body: Html } {
  const lang = req.lang;
  const t = ANALYST_TEXT[lang];
  freshCounts(ctx);
  const weeks = weeksWithData(ctx.store);
  const week = chosenWeek(param(req.query, 'week'), weeks);
  if (!week) return { title: COMMON[lang].overview, body: html`<p>${t.noData}</p>` };
  const rows = overviewRows(ctx, week);
  const label = (g: string) => ctx.labels.label(g, lang);
  const low = rows.filter((r) => r.coverage?.flag === 'low').length;
  const allAlerts = rows.flatMap((r) => r.alerts);
  const body = html`
    <p class="muted">${t.overviewIntro}</p>
    ${weekPicker(lang, '/', week, weeks, {})}
    ${low > 0 ? html`<p class="coverage-warning" role="note"><span class="badge low">${t.coverageFlag.low}</span> ${t.lowCoverageRows(low)} ${t.lowCoverageNote}</p>` : ''}
    <table class="overview">
      <thead><tr>
        <th>${t.municipality}</th>
        <th class="num">${t.localArticles}</th>
        <th class="num" title="${t.groupStoriesHelp}">${t.groupStories}</th>
        <th>${t.topGroups}</th>
        <th>${t.alerts}</th>
        <th>${t.coverage}</th>
        <th>${t.corrected}</th>
      </tr></thead>
      <tbody>
      ${rows.map((r) => html`<tr class="${r.coverage?.flag === 'low' ? 'low-coverage' : ''}" data-municipality="${r.code}">
        <td><a href="/m/${r.code}${query({ to: week })}">${r.name}</a> <span class="muted">${r.code}</span></td>
        <td class="num"><a href="/articles${query({ municipality: r.code, week })}">${formatCount(r.localArticles, lang)}</a></td>
        <td class="num">${formatCount(r.groupStories, lang)}</td>
        <td>${r.top.length === 0
          ? html`<span class="muted">${t.none}</span>`
          : html`<ul class="plain">${r.top.map((g) => {
              const tb = groupIndicator('tone_balance', g);
              return html`<li><a href="/articles${query({ municipality: r.code, week, group: g.group })}">${label(g.group)}</a>
                <span class="${toneClass(tb?.value ?? null)}">${tb?.value !== null && tb?.value !== undefined ? formatSigned(tb.value, lang) : t.none}</span>
                <span class="muted">(${t.n} = ${g.articles})</span></li>`;
            })}</ul>`}</td>
        <td>${r.alerts.length === 0
          ? html`<span class="muted">${t.none}</span>`
          : r.alerts.map((a) => html`<a class="badge alert" href="/m/${r.code}${query({ to: week })}#${alertAnchor(a)}">${label(a.group)}: ${a.test.observed}</a> `)}</td>
        <td>${coverageBadge(lang, r.coverage)}</td>
        <td class="num">${correctionSummary(ctx, req, { municipality: r.code, from: week, to: week }, { compact: true })}</td>
      </tr>`)}
      </tbody>
    </table>
    <h2>${t.alertsOfWeek}</h2>
    ${allAlerts.length === 0
      ? html`<p>${t.noAlerts}</p>`
      : html`<ul class="alerts">${allAlerts.map((a) => html`<li class="alert-item">
          <a href="/m/${a.municipalityCode}${query({ to: week })}#${alertAnchor(a)}"><strong>${a.municipality}</strong> – ${t.alertSummary(label(a.group), a.test.observed, formatNumber(a.test.expected, lang, 2))}</a>
          · <a href="/weekly${query({ week, municipality: a.municipalityCode })}">${t.weeklyLink}</a>
          · <a href="/articles${query({ municipality: a.municipalityCode, week, group: a.group, tone: 'neg' })}">${t.articlesLink}</a>
          ${a.coverage?.flag === 'low' ? html` <span class="badge low">${reportStrings(lang).coverage}: ${t.coverageFlag.low}</span>` : ''}
        </li>`)}</ul>`}
    <p><a href="/weekly${query({ week })}">${t.weeklyLink} ${week}</a></p>`;
  return { title: t.overviewTitle(week), body };
}

export function alertAnchor(a: { week: string; group: string }): string {
  return `alert-${a.week}-${a.group}`;
}

export function toneClass(balance: number | null): string {
  if (balance === null) return 'tone-neu';
  return balance < -0.05 ? 'tone-neg' : balance > 0.05 ? 'tone-pos' : 'tone-neu';
}
