// The correction panel of the article page and the "corrected" line of the overview and
// municipality pages. Analysts and operators get a form per group tag (confirm it, mark it
// wrong, change tone, frame or voice) and one to add a group the analysis missed; everyone
// sees the history of what was corrected, by whom and when.
import type { FastifyRequest } from 'fastify';
import { strings, formatInstant } from '../../report/i18n.ts';
import { weekEnd, weekStart, isWeek } from '../../indicators/week.ts';
import { LISTED_TIME } from '../../store/store.ts';
import { roleAtLeast } from '../auth.ts';
import { html, type Html } from '../html.ts';
import type { Lang } from '../i18n.ts';
import { csrfField, type WebContext } from '../server.ts';
import { correctionsOf, correctionVocabulary, groupStates, TONE_VALUES, NOTE_MAX, type CorrectionRecord, type GroupState } from './store.ts';
import { CORRECTION_TEXT } from './strings.ts';

/** A field's value in words: tone and frame names, yes/no for presence and voice. */
export function valueLabel(field: string, value: string | null, lang: Lang): string {
  const t = CORRECTION_TEXT[lang];
  if (value === null) return t.notTagged;
  const r = strings(lang);
  if (field === 'tone') return r.tone[value] ?? value;
  if (field === 'frame') return r.frames[value] ?? value;
  if (field === 'present' || field === 'voice') return value === '1' ? t.yes : value === '0' ? t.no : value;
  return value;
}

function options(values: readonly string[], selected: string, label: (v: string) => string): Html[] {
  return values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${label(v)}</option>`);
}

/** The correction forms of one article's group tags, for the article page (analysts and up). */
export function correctionPanel(ctx: WebContext, req: FastifyRequest, articleId: number): Html {
  const db = ctx.store.db;
  const article = db.prepare('SELECT duplicate_of FROM articles WHERE id = ?').get(articleId) as { duplicate_of: number | null } | undefined;
  if (!article) return html``;
  const lang = req.lang;
  const t = CORRECTION_TEXT[lang];
  const history = correctionsOf(db, articleId);
  if (!roleAtLeast(req.viewer.user?.role, 'analyst')) {
    if (history.length === 0) return html``;
    return html`<section class="corrections" aria-labelledby="corrections-title">
      <h2 id="corrections-title">${t.history}</h2>
      <p class="muted">${t.readOnly}</p>
      ${historyTable(ctx, lang, history)}
    </section>`;
  }
  const vocabulary = correctionVocabulary(ctx.config());
  const states = groupStates(db, articleId);
  const saved = (req.query as Record<string, unknown> | undefined)?.corrected === '1';
  const action = `/articles/${articleId}/corrections`;
  const frameLabel = (v: string) => valueLabel('frame', v, lang);
  const toneLabel = (v: string) => valueLabel('tone', v, lang);
  const yesNo = (v: string) => valueLabel('voice', v, lang);
  const missing = vocabulary.groups.filter((g) => !states.some((s) => s.group === g && s.current.present === '1'));
  return html`<section class="corrections" aria-labelledby="corrections-title">
    <h2 id="corrections-title">${t.panelTitle}</h2>
    ${saved ? html`<p class="ok saved" role="status">${t.saved}</p>` : ''}
    <p class="muted">${t.panelHelp}</p>
    ${article.duplicate_of !== null ? html`<p class="notice">${t.copyOf} <a href="/articles/${article.duplicate_of}">${t.original}</a></p>` : ''}
    ${states.length === 0 ? html`<p>${t.noGroups}</p>` : ''}
    <div class="correction-forms">
      ${states.map((s) => groupForm(ctx, req, action, s, vocabulary.frames, { frameLabel, toneLabel, yesNo }))}
      <form method="post" action="${action}" class="correction add">
        ${csrfField(req)}
        <input type="hidden" name="present" value="1">
        <fieldset>
          <legend>${t.addTitle}</legend>
          ${missing.length === 0
            ? html`<p class="muted">${t.allGroupsTagged}</p>`
            : html`<label>${t.addGroup} <select name="group" required>${options(missing, '', (g) => ctx.labels.label(g, lang))}</select></label>
              <label>${t.tone} <select name="tone">${options(TONE_VALUES, 'neu', toneLabel)}</select></label>
              <label>${t.frame} <select name="frame">${options(vocabulary.frames, 'other', frameLabel)}</select></label>
              <label>${t.voice} <select name="voice">${options(['0', '1'], '0', yesNo)}</select></label>
              <label>${t.note} <input name="note" maxlength="${NOTE_MAX}"></label>
              <div class="buttons"><button type="submit" name="action" value="add">${t.add}</button></div>`}
        </fieldset>
      </form>
    </div>
    <h3>${t.history}</h3>
    ${history.length === 0 ? html`<p class="muted">${t.noHistory}</p>` : historyTable(ctx, lang, history)}
  </section>`;
}

function groupForm(
  ctx: WebContext,
  req: FastifyRequest,
  action: string,
  s: GroupState,
  frames: readonly string[],
  label: { frameLabel: (v: string) => string; toneLabel: (v: string) => string; yesNo: (v: string) => string },
): Html {
  const lang = req.lang;
  const t = CORRECTION_TEXT[lang];
  const m = s.machine;
  const removed = s.current.present === '0';
  const changed = m !== null && (s.current.tone !== m.tone || s.current.frame !== m.frame || s.current.voice !== m.voice);
  const badge = removed
    ? html`<span class="badge removed">${t.removed}</span>`
    : m === null
      ? html`<span class="badge added">${t.added}</span>`
      : changed
        ? html`<span class="badge corrected">${t.corrected}</span>`
        : s.judged.size > 0
          ? html`<span class="badge confirmed">${t.confirmed}</span>`
          : '';
  return html`<form method="post" action="${action}" class="correction${removed ? ' is-removed' : ''}">
    ${csrfField(req)}
    <input type="hidden" name="group" value="${s.group}">
    <fieldset>
      <legend>${ctx.labels.label(s.group, lang)} ${badge}</legend>
      <p class="muted machine">${m ? t.machineLine(label.toneLabel(m.tone), label.frameLabel(m.frame), label.yesNo(m.voice)) : t.machineMissed}</p>
      <label>${t.present} <select name="present">${options(['1', '0'], s.current.present, (v) => (v === '1' ? t.presentYes : t.presentNo))}</select></label>
      <label>${t.tone} <select name="tone">${options(TONE_VALUES, s.current.tone, label.toneLabel)}</select></label>
      <label>${t.frame} <select name="frame">${options(frames, s.current.frame, label.frameLabel)}</select></label>
      <label>${t.voice} <select name="voice">${options(['0', '1'], s.current.voice, label.yesNo)}</select></label>
      <label>${t.note} <input name="note" maxlength="${NOTE_MAX}"></label>
      <div class="buttons">
        <button type="submit" name="action" value="save">${t.save}</button>
        <button type="submit" name="action" value="confirm">${t.confirm}</button>
      </div>
    </fieldset>
  </form>`;
}

function historyTable(ctx: WebContext, lang: Lang, history: readonly CorrectionRecord[]): Html {
  const t = CORRECTION_TEXT[lang];
  return html`<table class="correction-history">
    <thead><tr><th>${t.when}</th><th>${t.who}</th><th>${t.group}</th><th>${t.field}</th><th>${t.change}</th><th>${t.noteColumn}</th></tr></thead>
    <tbody>
      ${[...history].reverse().map(
        (c) => html`<tr${c.applied ? html` class="applied"` : ''}>
          <td><time datetime="${new Date(c.createdAt).toISOString()}">${formatInstant(c.createdAt, lang)}</time></td>
          <td>${c.username}</td>
          <td>${ctx.labels.label(c.group, lang)}</td>
          <td>${t.fields[c.field] ?? c.field}</td>
          <td>${c.previous === c.value
            ? t.confirmation(valueLabel(c.field, c.value, lang))
            : `${valueLabel(c.field, c.previous, lang)} → ${valueLabel(c.field, c.value, lang)}`}${c.applied ? html` <span class="badge">${t.applied}</span>` : ''}</td>
          <td>${c.note ?? ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export interface CorrectionScope {
  /** Municipality code. */
  municipality?: string;
  /** First and last ISO week (inclusive) of the articles' publication. */
  from?: string;
  to?: string;
}

type CorrectionCounts = { articles: number; corrections: number; confirmations: number };
const NONE: CorrectionCounts = { articles: 0, corrections: 0, confirmations: 0 };

/**
 * The corrections of articles published in a span of weeks, as FROM and WHERE clauses. With a
 * span the query walks the span's articles by the date index (LISTED_TIME) and looks each
 * one's corrections up by key, a CROSS JOIN so SQLite keeps that order: a week is a few
 * thousand index steps however many corrections the store holds (driven from the corrections,
 * a 1M-article store took seconds per page).
 */
function judgedIn(span: Pick<CorrectionScope, 'from' | 'to'>): { from: string; where: string; params: Record<string, number> } {
  const where: string[] = [];
  const params: Record<string, number> = {};
  if (span.from && isWeek(span.from)) {
    where.push(`${LISTED_TIME} >= @from`);
    params.from = weekStart(span.from);
  }
  if (span.to && isWeek(span.to)) {
    where.push(`${LISTED_TIME} < @to`);
    params.to = weekEnd(span.to);
  }
  if (where.length === 0) return { from: 'corrections c', where: '', params };
  return { from: 'articles a CROSS JOIN corrections c ON c.article_id = a.id', where: `WHERE ${where.join(' AND ')}`, params };
}

/**
 * How many articles analysts corrected per town in a span of weeks: corrections, their
 * articles, confirmations. One query per page, not one per town. Local as the counts have it:
 * the analysis's localities, else (not analysed yet) the feeds' towns.
 */
export function correctionCountsByTown(ctx: WebContext, span: Pick<CorrectionScope, 'from' | 'to'>): Map<string, CorrectionCounts> {
  const { from, where, params } = judgedIn(span);
  const rows = ctx.store.db
    .prepare(
      `SELECT code, COUNT(DISTINCT CASE WHEN changed THEN article_id END) articles,
         COALESCE(SUM(changed), 0) corrections, COALESCE(SUM(NOT changed), 0) confirmations
       FROM (
         SELECT DISTINCT c.id, c.article_id, c.value IS NOT c.machine_value changed,
           COALESCE(l.municipality_code, m.municipality_code) code
         FROM ${from}
         LEFT JOIN article_localities l ON l.article_id = c.article_id
         LEFT JOIN article_municipalities m ON l.article_id IS NULL AND m.article_id = c.article_id AND m.via = 'feed'
           AND NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = c.article_id)
         ${where}
       )
       WHERE code IS NOT NULL
       GROUP BY code`,
    )
    .all(params) as (CorrectionCounts & { code: string })[];
  return new Map(rows.map(({ code, ...c }) => [code, c]));
}

/** How many articles analysts corrected in a scope (a town, or all of them). */
export function correctionCounts(ctx: WebContext, scope: CorrectionScope): CorrectionCounts {
  if (scope.municipality) return correctionCountsByTown(ctx, scope).get(scope.municipality) ?? NONE;
  const { from, where, params } = judgedIn(scope);
  return ctx.store.db
    .prepare(
      `SELECT COUNT(DISTINCT CASE WHEN c.value IS NOT c.machine_value THEN c.article_id END) articles,
         COALESCE(SUM(c.value IS NOT c.machine_value), 0) corrections,
         COALESCE(SUM(c.value IS c.machine_value), 0) confirmations
       FROM ${from}
       ${where}`,
    )
    .get(params) as CorrectionCounts;
}

// Pages listing every town ask once per town; the per-town counts are computed once per request.
const perRequest = new WeakMap<FastifyRequest, Map<string, Map<string, CorrectionCounts>>>();

function countsFor(ctx: WebContext, req: FastifyRequest, scope: CorrectionScope): CorrectionCounts {
  if (!scope.municipality) return correctionCounts(ctx, scope);
  const key = `${scope.from ?? ''}|${scope.to ?? ''}`;
  let spans = perRequest.get(req);
  if (!spans) perRequest.set(req, (spans = new Map()));
  let byTown = spans.get(key);
  if (!byTown) spans.set(key, (byTown = correctionCountsByTown(ctx, scope)));
  return byTown.get(scope.municipality) ?? NONE;
}

/**
 * How many of the shown articles analysts corrected, for the overview and municipality pages:
 * one short line, small enough for a table cell.
 */
export function correctionSummary(ctx: WebContext, req: FastifyRequest, scope: CorrectionScope, opts: { compact?: boolean } = {}): Html {
  const c = countsFor(ctx, req, scope);
  const sentence = CORRECTION_TEXT[req.lang].summary(c.articles, c.corrections, c.confirmations);
  // In a table cell the count alone, with the sentence on hover; nothing checked shows as a dash.
  if (opts.compact) {
    return c.articles + c.confirmations === 0
      ? html`<span class="corrections-summary muted">–</span>`
      : html`<span class="corrections-summary" title="${sentence}">${c.articles}${c.confirmations > 0 ? html` <span class="muted">(+${c.confirmations} ✓)</span>` : ''}</span>`;
  }
  return html`<span class="corrections-summary">${sentence}</span>`;
}
