// The weekly summary in the dashboard: the report's own content (buildWeeklyReport and its
// HTML body), with article titles linking to the article pages where the evidence is.
import type { FastifyRequest } from 'fastify';
import { readMunicipalities } from '../../indicators/index.ts';
import { buildWeeklyReport, renderReportBody, reportSubtitle, reportTitle } from '../../report/index.ts';
import { html, trusted, type Html } from '../html.ts';
import type { WebContext } from '../server.ts';
import { cachedBaseline } from './cache.ts';
import { catalogueOf, chosenWeek, freshCounts, param, weeksWithData } from './data.ts';
import { ANALYST_TEXT } from './strings.ts';

/** With more towns than this, the page asks for one instead of building every section. */
const ALL_AT_ONCE = 10;

export function weeklyPage(ctx: WebContext, req: FastifyRequest): { title: string; body: Html; status?: number } {
  const lang = req.lang;
  const t = ANALYST_TEXT[lang];
  freshCounts(ctx);
  const weeks = weeksWithData(ctx.store);
  const week = chosenWeek(param(req.query, 'week'), weeks);
  if (!week) return { title: t.weeklyTitle, body: html`<p>${t.noData}</p>` };
  const towns = readMunicipalities(ctx.store);
  const asked = param(req.query, 'municipality');
  const town = towns.find((m) => m.code === asked || m.nameFi.toLowerCase() === asked.toLowerCase());
  if (asked && asked !== 'all' && !town) return { title: t.weeklyTitle, body: html`<p class="error" role="alert">${t.unknownMunicipality}</p>`, status: 404 };
  const picker = html`<form method="get" action="/weekly" class="filters">
    <label>${t.week} <select name="week">${(weeks.includes(week) ? weeks : [week, ...weeks]).map((w) => html`<option value="${w}"${w === week ? html` selected` : ''}>${w}</option>`)}</select></label>
    <label>${t.municipality} <select name="municipality">
      <option value="all"${!town ? html` selected` : ''}>${t.allMunicipalities}</option>
      ${towns.map((m) => html`<option value="${m.code}"${m.code === town?.code ? html` selected` : ''}>${m.nameFi}</option>`)}
    </select></label>
    <button type="submit">${t.show}</button>
  </form>`;
  if (!town && asked !== 'all' && towns.length > ALL_AT_ONCE) return { title: t.weeklyTitle, body: html`${picker}<p>${t.weeklyChoose}</p>` };
  const catalogue = catalogueOf(ctx);
  const report = buildWeeklyReport(ctx.store, catalogue, {
    week,
    municipalities: town ? [town.code] : undefined,
    lang,
    configDir: ctx.config().dir,
    baseline: (code, w, texts) => cachedBaseline(ctx.store, code, w, catalogue.alerts.baselineWeeks, texts),
  });
  const body = html`${picker}
    <p class="muted">${reportSubtitle(report)}</p>
    <div class="report">${trusted(renderReportBody(report, { articleHref: (a) => `/articles/${a.id}` }))}</div>`;
  return { title: reportTitle(report), body };
}
