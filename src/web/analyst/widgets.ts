// Small pieces the analyst pages share: the week picker, the coverage badge, group tags.
import type { GroupTag } from '../../indicators/articles.ts';
import { addWeeks, type Coverage } from '../../indicators/index.ts';
import { formatPercent, sentence, strings as reportStrings, type GroupLabels, type Lang } from '../../report/i18n.ts';
import { html, query, type Html } from '../html.ts';
import { ANALYST_TEXT } from './strings.ts';

/** A GET form choosing the week (other parameters kept as hidden fields), with previous and next links. */
export function weekPicker(lang: Lang, path: string, week: string, weeks: readonly string[], keep: Record<string, string | undefined>, name = 'week'): Html {
  const t = ANALYST_TEXT[lang];
  const choices = weeks.includes(week) ? weeks : [week, ...weeks];
  const previous = addWeeks(week, -1);
  const next = addWeeks(week, 1);
  const newest = weeks[0];
  return html`<form method="get" action="${path}" class="filters week-picker">
    ${Object.entries(keep).filter(([, v]) => v).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
    <label>${t.week} <select name="${name}">${choices.map((w) => html`<option value="${w}"${w === week ? html` selected` : ''}>${w}</option>`)}</select></label>
    <button type="submit">${t.show}</button>
    <a href="${path}${query({ ...keep, [name]: previous })}" rel="prev">${t.previousWeek}</a>
    ${newest && next <= newest ? html`<a href="${path}${query({ ...keep, [name]: next })}" rel="next">${t.nextWeek}</a>` : ''}
  </form>`;
}

/** Coverage as a badge whose title says why: low coverage is never shown as quiet. */
export function coverageBadge(lang: Lang, c: Coverage | null): Html {
  const t = ANALYST_TEXT[lang];
  const r = reportStrings(lang);
  if (!c) return html`<span class="badge unknown" title="${r.coverageUnknown}">${t.coverageFlag.unknown}</span>`;
  const details = [r.articlesVsUsual(c.articles, c.usual), r.feedsUp(c.feedsUp, c.feeds, c.feedsPolled)];
  if (c.reasons.includes('few_articles')) details.push(r.fewArticles);
  if (c.reasons.includes('feeds_down')) details.push(r.feedsDown);
  const why = sentence(details);
  if (c.flag === 'low') {
    return html`<span class="badge low" title="${r.coverageLow} ${why}">⚠ ${t.coverageFlag.low}</span> ${c.ratio !== null ? html`<span class="muted">${formatPercent(c.ratio, lang)}</span>` : ''}`;
  }
  return html`<span class="badge ${c.flag}" title="${why}">${t.coverageFlag[c.flag] ?? c.flag}</span>`;
}

/** A group tag with its tone, coloured and named. */
export function groupTag(lang: Lang, labels: GroupLabels, g: GroupTag): Html {
  const tone = reportStrings(lang).tone[g.tone] ?? g.tone;
  return html`<span class="gtag tone-${g.tone}" title="${labels.label(g.group, lang)}: ${tone}">${labels.label(g.group, lang)} <small>${tone}</small></span>`;
}
