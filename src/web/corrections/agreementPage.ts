// The /agreement page: Krippendorff's alpha between the analysis and the analysts per week,
// and the items they disagree on, each linked to its article.
import type { FastifyRequest } from 'fastify';
import { AGREEMENT_MEASURES, type AgreementReport, type MeasureAgreement, type WeekAgreement } from '../../indicators/agreement.ts';
import { formatInstant, formatNumber } from '../../report/i18n.ts';
import { html, type Html } from '../html.ts';
import type { WebContext } from '../server.ts';
import { valueLabel } from './panel.ts';
import { CORRECTION_TEXT } from './strings.ts';

/** Disagreements listed on the page; the rest are counted. */
const LISTED = 200;

function cell(m: MeasureAgreement, lang: 'fi' | 'en'): Html {
  const t = CORRECTION_TEXT[lang];
  if (m.n === 0) return html`<td class="num muted">–</td>`;
  const value = m.alpha === null ? html`<span class="undefined">– <small>(${t.undefinedAlpha})</small></span>` : html`<strong>${formatNumber(m.alpha, lang, 3)}</strong>`;
  return html`<td class="num">${value}<br><span class="muted">n = ${m.n} · ${t.agreed(m.agreed, m.n)}</span></td>`;
}

function row(w: WeekAgreement, lang: 'fi' | 'en', total = false): Html {
  const t = CORRECTION_TEXT[lang];
  return html`<tr${total ? html` class="total"` : ''}>
    <th scope="row">${w.week ?? t.allWeeks}</th>
    ${AGREEMENT_MEASURES.map((m) => cell(w.measures[m.id], lang))}
  </tr>`;
}

export function agreementBody(ctx: WebContext, req: FastifyRequest, report: AgreementReport): Html {
  const lang = req.lang;
  const t = CORRECTION_TEXT[lang];
  const listed = report.disagreements.slice(0, LISTED);
  return html`<p class="muted">${t.agreementIntro}</p>
  <form method="get" action="/agreement" class="filters">
    <label>${t.from} <input name="from" value="${report.from ?? ''}" placeholder="2026-W01" pattern="\\d{4}-W\\d{2}" size="9"></label>
    <label>${t.to} <input name="to" value="${report.to ?? ''}" placeholder="2026-W47" pattern="\\d{4}-W\\d{2}" size="9"></label>
    <button type="submit">${t.show}</button>
  </form>
  ${report.items === 0
    ? html`<p>${t.nothingJudged}</p>`
    : html`<table class="agreement">
        <thead><tr><th scope="col">${t.week}</th>${AGREEMENT_MEASURES.map((m) => html`<th scope="col" class="num">${t.measures[m.id] ?? m.id}</th>`)}</tr></thead>
        <tbody>${report.weeks.map((w) => row(w, lang))}</tbody>
        <tfoot>${row(report.total, lang, true)}</tfoot>
      </table>
      <h2>${t.disagreements} (${report.disagreements.length})</h2>
      ${listed.length === 0
        ? html`<p>${t.noDisagreements}</p>`
        : html`<table class="disagreements">
            <thead><tr><th>${t.week}</th><th>${t.article}</th><th>${t.group}</th><th>${t.field}</th><th>${t.machine}</th><th>${t.analyst}</th><th>${t.who}</th><th>${t.when}</th></tr></thead>
            <tbody>
              ${listed.map(
                (d) => html`<tr>
                  <td>${d.week}</td>
                  <td><a href="/articles/${d.articleId}">${d.title ?? t.noTitle}</a></td>
                  <td>${ctx.labels.label(d.group, lang)}</td>
                  <td>${t.fields[d.field] ?? d.field}</td>
                  <td>${valueLabel(d.field, d.machine, lang)}</td>
                  <td>${valueLabel(d.field, d.analyst, lang)}</td>
                  <td>${d.username}</td>
                  <td>${formatInstant(d.judgedAt, lang)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
          ${report.disagreements.length > listed.length ? html`<p class="muted">${t.moreDisagreements(report.disagreements.length - listed.length)}</p>` : ''}`}`}`;
}
