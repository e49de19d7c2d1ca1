// The article browser: filters, Finnish-aware full-text search and pages of results, each row
// linking to the article page with its evidence.
import type { FastifyRequest } from 'fastify';
import { readMunicipalities } from '../../indicators/index.ts';
import { formatCount, formatInstant, strings as reportStrings } from '../../report/i18n.ts';
import { html, query, type Html } from '../html.ts';
import type { WebContext } from '../server.ts';
import { param, taggedGroups, weeksWithData } from './data.ts';
import { COUNT_CAP, LANGUAGE_VALUES, PAGE_SIZE, searchArticles, TONE_VALUES, type ArticleFilters } from './search.ts';
import { ANALYST_TEXT } from './strings.ts';
import { groupTag } from './widgets.ts';

const FILTER_KEYS = ['q', 'municipality', 'group', 'tone', 'frame', 'week', 'source', 'language', 'copies', 'sort'] as const;
const MAX_PAGE = COUNT_CAP / PAGE_SIZE;

export function filtersOf(q: unknown): ArticleFilters & { page: number } {
  const page = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number(param(q, 'page')) || 1)));
  return {
    q: param(q, 'q'),
    municipality: param(q, 'municipality'),
    group: param(q, 'group'),
    tone: param(q, 'tone'),
    frame: param(q, 'frame'),
    week: param(q, 'week'),
    source: param(q, 'source'),
    language: param(q, 'language'),
    copies: param(q, 'copies') === '1',
    sort: param(q, 'sort') === 'date' ? 'date' : 'relevance',
    page,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
}

export function articlesPage(ctx: WebContext, req: FastifyRequest): { title: string; body: Html } {
  const lang = req.lang;
  const t = ANALYST_TEXT[lang];
  const r = reportStrings(lang);
  const f = filtersOf(req.query);
  const result = searchArticles(ctx.store, f);
  const label = (g: string) => ctx.labels.label(g, lang);
  const towns = readMunicipalities(ctx.store);
  const groups = [...new Set([...taggedGroups(ctx.store), ...(f.group ? [f.group] : [])])]
    .sort((a, b) => label(a).localeCompare(label(b), lang));
  const feeds = ctx.store.feeds();
  const weeks = weeksWithData(ctx.store);
  const kept: Record<string, string | undefined> = {};
  for (const k of FILTER_KEYS) {
    const v = k === 'copies' ? (f.copies ? '1' : undefined) : k === 'sort' ? (f.sort === 'date' && f.q ? 'date' : undefined) : (f[k] as string | undefined);
    if (v) kept[k] = v;
  }
  const option = (value: string, text: string, selected: string | undefined) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${text}</option>`;
  const select = (name: string, text: string, selected: string | undefined, options: [string, string][]) =>
    html`<label>${text} <select name="${name}">${option('', t.any, selected)}${options.map(([v, l]) => option(v, l, selected))}</select></label>`;

  const form = html`<form method="get" action="/articles" class="filters article-filters" role="search">
    <label class="q">${t.search} <input type="search" name="q" value="${f.q ?? ''}" placeholder="${t.searchPlaceholder}" maxlength="500"></label>
    ${select('municipality', t.municipality, f.municipality, towns.map((m) => [m.code, m.nameFi]))}
    ${select('group', t.group, f.group, groups.map((g) => [g, label(g)]))}
    ${select('tone', t.tone, f.tone, TONE_VALUES.map((x) => [x, r.tone[x] ?? x]))}
    ${select('frame', t.frame, f.frame, Object.entries(r.frames))}
    ${select('week', t.week, f.week, (f.week && !weeks.includes(f.week) ? [f.week, ...weeks] : weeks).map((w) => [w, w]))}
    ${select('source', t.source, f.source, [...feeds.map((x): [string, string] => [x.id, x.name]), ...(f.source && !feeds.some((x) => x.id === f.source) ? [[f.source, f.source] as [string, string]] : [])])}
    ${select('language', t.language, f.language, LANGUAGE_VALUES.map((x) => [x, t.languages[x] ?? x]))}
    ${f.q && !result.broad ? html`<label>${t.sort} <select name="sort">${option('relevance', t.byRelevance, f.sort)}${option('date', t.byDate, f.sort)}</select></label>` : ''}
    <label class="check"><input type="checkbox" name="copies" value="1"${f.copies ? html` checked` : ''}> ${t.copies}</label>
    <button type="submit">${t.filter}</button> <a href="/articles">${t.clear}</a>
  </form>`;

  const first = f.offset! + 1;
  const last = f.offset! + result.items.length;
  const summary = result.items.length === 0
    ? html`<p class="results">${t.noResults}</p>`
    : html`<p class="results"><strong>${t.results(formatCount(Math.max(result.total, last), lang), result.totalCapped)}</strong>,
        ${t.resultsRange(formatCount(first, lang), formatCount(last, lang))}</p>`;
  const rows = result.items.map((a) => html`<tr data-id="${a.id}">
    <td><a href="/articles/${a.id}">${a.title ?? t.untitled}</a>
      ${a.duplicateOf !== null ? html` <span class="badge">${t.copyOf(a.duplicateOf)}</span>` : ''}</td>
    <td class="nowrap">${formatInstant(a.publishedTs ?? a.fetchedAt, lang)}</td>
    <td>${a.sources.map((s, i) => html`${i > 0 ? ', ' : ''}${s.name}`)}</td>
    <td>${a.towns.map((m, i) => html`${i > 0 ? ', ' : ''}${m.name}`)}</td>
    <td>${a.groups.map((g) => groupTag(lang, ctx.labels, g))}</td>
  </tr>`);
  const pager = html`<nav class="pager" aria-label="${t.page(f.page)}">
    ${f.page > 1 ? html`<a href="/articles${query({ ...kept, page: f.page - 1 === 1 ? undefined : f.page - 1 })}" rel="prev">${t.previousPage}</a>` : ''}
    <span>${t.page(f.page)}</span>
    ${result.more && f.page < MAX_PAGE ? html`<a href="/articles${query({ ...kept, page: f.page + 1 })}" rel="next">${t.nextPage}</a>` : ''}
  </nav>`;
  const body = html`${form}
    ${f.q && result.terms.length === 0 ? html`<p class="notice">${t.nothingToSearch}</p>` : ''}
    ${result.broad ? html`<p class="notice broad">${t.broadSearch}</p>` : ''}
    ${summary}
    ${result.items.length > 0 ? html`<table class="articles">
      <thead><tr><th>${t.title}</th><th>${t.published}</th><th>${t.source}</th><th>${t.towns}</th><th>${t.groups}</th></tr></thead>
      <tbody>${rows}</tbody></table>${pager}` : ''}`;
  return { title: t.articlesTitle, body };
}
