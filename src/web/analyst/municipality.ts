// One municipality over the last weeks: per group salience, tone balance and framing as
// charts, coverage per week, and every alert of the period with the articles that drive it.
import type { FastifyRequest } from 'fastify';
import {
  addWeeks, alertEvidence, baselineTexts, computeIndicatorSet, firedAlerts, groupIndicator, readMunicipalities, weekRange,
  type GroupWeek, type IndicatorId,
} from '../../indicators/index.ts';
import { formatCount, formatInstant, formatNumber, formatPercent, formatSigned, strings as reportStrings } from '../../report/i18n.ts';
import { barChart, lineChart } from '../../report/svg.ts';
import { correctionSummary } from '../corrections/panel.ts';
import { html, query, trusted, type Html } from '../html.ts';
import type { WebContext } from '../server.ts';
import { cachedBaseline, cachedEvidence } from './cache.ts';
import { catalogueOf, chosenWeek, freshCounts, param, weeksWithData } from './data.ts';
import { alertAnchor, toneClass } from './overview.ts';
import { ANALYST_TEXT } from './strings.ts';
import { coverageBadge } from './widgets.ts';

const MAX_CHART_GROUPS = 6;
export const DEFAULT_WEEKS = 12;
const WEEK_CHOICES = [4, 8, 12, 26, 52];

export function municipalityPage(ctx: WebContext, req: FastifyRequest, code: string): { title: string; body: Html; status?: number } {
  const lang = req.lang;
  const t = ANALYST_TEXT[lang];
  const r = reportStrings(lang);
  const m = readMunicipalities(ctx.store).find((x) => x.code === code);
  if (!m) return { title: t.municipality, body: html`<p class="error" role="alert">${t.unknownMunicipality}</p>`, status: 404 };
  freshCounts(ctx);
  const weeks = weeksWithData(ctx.store);
  const to = chosenWeek(param(req.query, 'to') || param(req.query, 'week'), weeks);
  if (!to) return { title: t.municipalityTitle(m.nameFi), body: html`<p>${t.noData}</p>` };
  const asked = Number(param(req.query, 'weeks'));
  const n = Number.isInteger(asked) && asked >= 2 && asked <= 104 ? asked : DEFAULT_WEEKS;
  const from = addWeeks(to, -(n - 1));
  const group = param(req.query, 'group') || undefined;
  const catalogue = catalogueOf(ctx);
  const set = computeIndicatorSet(ctx.store, catalogue, { from, to, municipalities: [code] });
  const label = (g: string) => ctx.labels.label(g, lang);
  const cells = set.groupWeeks;
  // Charted from the first monitored week of the period on: earlier weeks are not quiet, they are unknown.
  const monitored = set.coverage.reduce<string | null>((w, c) => (w === null || c.week < w ? c.week : w), null);
  const weekList = weekRange(monitored && monitored > from ? monitored : from, to);
  const cellAt = new Map(cells.map((c) => [`${c.week}|${c.group}`, c]));

  // Groups drawn: the chosen one, or the most covered in the period.
  const totals = new Map<string, number>();
  for (const c of cells) totals.set(c.group, (totals.get(c.group) ?? 0) + c.articles);
  const covered = [...totals.entries()].filter(([, k]) => k > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([g]) => g);
  const charted = group ? [group] : covered.slice(0, MAX_CHART_GROUPS);
  const xLabels = weekList.map((w) => w.slice(5));
  const series = (id: IndicatorId, fmt: (v: number) => string) =>
    charted.map((g) => {
      const values: (number | null)[] = [];
      const notes: string[] = [];
      for (const w of weekList) {
        const c = cellAt.get(`${w}|${g}`);
        const v = c ? groupIndicator(id, c) : null;
        values.push(v?.value ?? null);
        notes.push(v && v.value !== null ? `${fmt(v.value)} (n = ${v.n})` : '');
      }
      return { label: label(g), values, notes };
    });
  const pct = (v: number) => formatPercent(v, lang);
  const salience = series('salience', pct);
  const maxSalience = Math.max(0.1, ...salience.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const top = Math.min(1, Math.ceil(maxSalience * 10) / 10);
  const shareTicks = (max: number) => [0, max / 2, max].map((v) => ({ value: v, label: pct(v) }));
  const charts = [
    lineChart(salience, { title: t.salienceChart, xLabels, yMin: 0, yMax: top, yTicks: shareTicks(top), emptyText: t.noArticles }),
    lineChart(series('tone_balance', (v) => formatSigned(v, lang)), {
      title: t.toneChart, xLabels, yMin: -1, yMax: 1, baseline: 0, emptyText: t.noArticles,
      yTicks: [-1, -0.5, 0, 0.5, 1].map((v) => ({ value: v, label: formatSigned(v, lang, 1) })),
    }),
    lineChart(series('threat_framing', pct), { title: t.threatChart, xLabels, yMin: 0, yMax: 1, yTicks: shareTicks(1), emptyText: t.noArticles }),
  ];
  const frames: Record<string, number> = {};
  for (const c of cells) if (!group || c.group === group) for (const [f, k] of Object.entries(c.frames)) frames[f] = (frames[f] ?? 0) + k;
  charts.push(barChart(
    Object.entries(frames).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f, k]) => ({ label: r.frames[f] ?? f, value: k })),
    { title: t.framesChart(group ? label(group) : t.allGroups), emptyText: t.noArticles },
  ));

  // Alerts of the period, newest first, each with the articles behind it.
  const alerts = firedAlerts(set).reverse();
  const evidenceOpts = { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: [m.nameFi, m.nameSv] };
  const alertBlocks = alerts.map((a) => {
    const ev = cachedEvidence(ctx.store, { town: code, week: a.week, group: a.group, baselineWeeks: evidenceOpts.baselineWeeks, exclude: evidenceOpts.exclude }, () =>
      alertEvidence(ctx.store, a, evidenceOpts, cachedBaseline(ctx.store, code, a.week, evidenceOpts.baselineWeeks, () => baselineTexts(ctx.store, code, a.week, evidenceOpts))),
    );
    return html`<div class="alert-box" id="${alertAnchor(a)}">
      <h3>${a.week}: ${r.alertLine(label(a.group), a.test.observed, a.test.expected, a.test.p ?? 1)}</h3>
      ${a.coverage?.flag === 'low' ? html`<p><span class="badge low">${t.coverageFlag.low}</span> ${t.lowCoverageNote}</p>` : ''}
      <p>${t.drivingArticles}:</p>
      <ul class="articles">${ev.articles.map((x) => html`<li><a href="/articles/${x.id}">${x.title ?? x.url}</a>
        <span class="muted">${[x.siteName, x.publishedTs !== null ? formatInstant(x.publishedTs, lang) : null].filter(Boolean).join(' · ')}</span></li>`)}</ul>
      <p>${t.distinctiveTerms}: ${ev.terms.length === 0 ? html`<span class="muted">${t.noTerms}</span>` : ev.terms.map((x) => x.term).join(', ')}</p>
      <p><a href="/weekly${query({ week: a.week, municipality: code })}">${t.weeklyLink} ${a.week}</a> ·
        <a href="/articles${query({ municipality: code, week: a.week, group: a.group, tone: 'neg' })}">${t.articlesLink}</a></p>
    </div>`;
  });

  const coverageRows = [...set.coverage].sort((a, b) => (a.week < b.week ? 1 : -1));
  const alertsByWeek = new Map<string, string[]>();
  for (const a of alerts) alertsByWeek.set(a.week, [...(alertsByWeek.get(a.week) ?? []), a.group]);
  const groupRows = covered.map((g) => groupTotals(g, cells.filter((c) => c.group === g)));

  const body = html`
    <form method="get" action="/m/${code}" class="filters">
      <label>${t.week} <select name="to">${(weeks.includes(to) ? weeks : [to, ...weeks]).map((w) => html`<option value="${w}"${w === to ? html` selected` : ''}>${w}</option>`)}</select></label>
      <label>${t.weeks} <select name="weeks">${[...new Set([...WEEK_CHOICES, n])].sort((a, b) => a - b).map((k) => html`<option value="${k}"${k === n ? html` selected` : ''}>${k}</option>`)}</select></label>
      <label>${t.group} <select name="group"><option value="">${t.allGroups}</option>${[...new Set([...covered, ...(group ? [group] : [])])].map((g) => html`<option value="${g}"${g === group ? html` selected` : ''}>${label(g)}</option>`)}</select></label>
      <button type="submit">${t.show}</button>
    </form>
    <p class="muted">${t.period(from, to)} · <a href="/weekly${query({ week: to, municipality: code })}">${t.weeklyLink} ${to}</a> ·
      <a href="/articles${query({ municipality: code })}">${t.articlesLink}</a></p>
    ${correctionSummary(ctx, req, { municipality: code, from, to })}
    <div class="charts">${charts.map((svg) => html`<figure class="chart">${trusted(svg)}</figure>`)}</div>
    <h2>${t.alertsInPeriod}</h2>
    ${alertBlocks.length === 0 ? html`<p>${t.noAlerts}</p>` : alertBlocks}
    <h2>${t.groupsTable}</h2>
    ${groupRows.length === 0 ? html`<p>${t.noArticles}</p>` : html`<table>
      <thead><tr><th>${t.group}</th><th class="num">${t.articles}</th><th class="num">${t.negative}</th><th class="num">${t.neutral}</th><th class="num">${t.positive}</th><th class="num">${t.toneBalance}</th></tr></thead>
      <tbody>${groupRows.map((g) => html`<tr>
        <td><a href="/m/${code}${query({ to, weeks: n === DEFAULT_WEEKS ? undefined : n, group: g.group })}">${label(g.group)}</a>
          · <a class="muted" href="/articles${query({ municipality: code, group: g.group })}">${t.articlesLink}</a></td>
        <td class="num">${formatCount(g.articles, lang)}</td><td class="num">${formatCount(g.neg, lang)}</td><td class="num">${formatCount(g.neu, lang)}</td><td class="num">${formatCount(g.pos, lang)}</td>
        <td class="num ${toneClass(g.balance)}">${g.balance === null ? t.none : formatSigned(g.balance, lang)}</td>
      </tr>`)}</tbody></table>`}
    <h2>${t.coverageTable}</h2>
    <table class="coverage">
      <thead><tr><th>${t.week}</th><th class="num">${t.localArticles}</th><th class="num">${t.usual}</th><th class="num">${t.feedsUp}</th><th>${t.coverage}</th><th>${t.alerts}</th></tr></thead>
      <tbody>${coverageRows.map((c) => html`<tr class="${c.flag === 'low' ? 'low-coverage' : ''}">
        <td><a href="/weekly${query({ week: c.week, municipality: code })}">${c.week}</a></td>
        <td class="num"><a href="/articles${query({ municipality: code, week: c.week })}">${formatCount(c.articles, lang)}</a></td>
        <td class="num">${c.usual === null ? t.none : formatNumber(c.usual, lang, 1)}</td>
        <td class="num">${c.feeds === 0 || c.feedsPolled === 0 ? t.none : `${c.feedsUp}/${c.feeds}`}</td>
        <td>${coverageBadge(lang, c)}</td>
        <td>${(alertsByWeek.get(c.week) ?? []).map((g) => html`<a class="badge alert" href="#${alertAnchor({ week: c.week, group: g })}">${label(g)}</a> `)}</td>
      </tr>`)}</tbody>
    </table>`;
  return { title: t.municipalityTitle(m.nameFi), body };
}

function groupTotals(group: string, cells: GroupWeek[]): { group: string; articles: number; neg: number; neu: number; pos: number; balance: number | null } {
  const sum = (k: 'articles' | 'neg' | 'neu' | 'pos') => cells.reduce((s, c) => s + c[k], 0);
  const articles = sum('articles');
  const neg = sum('neg');
  const pos = sum('pos');
  return { group, articles, neg, neu: sum('neu'), pos, balance: articles > 0 ? (pos - neg) / articles : null };
}
