// The weekly summary as one self-contained HTML file: inline CSS and SVG, no scripts, no
// external resources (a Content-Security-Policy says so to the browser too). Every piece of
// text from articles and config passes through escapeHtml; links are kept only for http(s).
import type { DistinctiveTerm, Interval } from '../indicators/index.ts';
import type { NotableArticle, ReportSection, WeeklyReport } from './build.ts';
import { definitionText, formatDate, formatInstant, formatPercent, formatSigned, sentence, strings, type Lang, type Strings } from './i18n.ts';
import { barChart, escapeHtml, lineChart } from './svg.ts';

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:980px;padding:24px;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin:0 0 4px}h2{margin-top:40px;border-bottom:2px solid #0072B2;padding-bottom:4px}h3{margin-top:24px}
.sub{color:#555}.figures{display:flex;gap:16px;flex-wrap:wrap;margin:12px 0}
.figure{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:150px}.figure b{display:block;font-size:1.5em}
.note{border-left:4px solid #999;background:#f6f6f6;padding:8px 12px;margin:12px 0}.note.low{border-color:#D55E00;background:#fff3eb}
.alert{border-left:4px solid #D55E00;background:#fff3eb;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid #e3e3e3;padding:4px 6px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}.ci{color:#666;font-size:.85em;white-space:nowrap}
.charts{display:grid;grid-template-columns:1fr;gap:12px}
svg .grid{stroke:#e6e6e6}svg .axis{stroke:#888}svg .tick,svg .legend{font-size:11px;fill:#333}svg .chart-title{font-size:13px;font-weight:600;fill:#1a1a1a}svg .empty{font-size:12px;fill:#888}
ul.articles{padding-left:18px}ul.articles li{margin:3px 0}.tag{font-size:.8em;color:#555}.terms{color:#333}
footer{margin-top:40px;font-size:.85em;color:#555;border-top:1px solid #ddd;padding-top:8px}dt{font-weight:600}dd{margin:0 0 6px 0}
`;

const esc = escapeHtml;

/** Only web addresses become links; anything else is shown as text. */
function link(url: string, text: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${esc(url)}" rel="noreferrer noopener">${esc(text)}</a>` : esc(text);
}

export interface ReportBodyOptions {
  /**
   * Where an article's title links: its original address by default. The dashboard links
   * its own article page, where the evidence is (a path starting with "/").
   */
  articleHref?: (article: { id: number; url: string }) => string;
}

function ci(c: Interval | null, fmt: (x: number) => string): string {
  return c ? `<span class="ci">[${esc(fmt(c.low))}–${esc(fmt(c.high))}]</span>` : '';
}

export function reportTitle(r: WeeklyReport): string {
  const t = strings(r.lang);
  const place = r.sections.length === 1 ? r.sections[0]!.municipality.nameFi : t.allMunicipalities;
  return `${t.title} ${r.week} – ${place}`;
}

/** "Week 2026-W47: 16.11.2026 – 22.11.2026 · Generated …" */
export function reportSubtitle(r: WeeklyReport): string {
  const t = strings(r.lang);
  return `${t.week} ${r.week}: ${formatDate(r.monday, r.lang)} – ${formatDate(r.sunday, r.lang)} · ${t.generated} ${formatInstant(r.generatedAt, r.lang)}`;
}

export function renderReportHtml(r: WeeklyReport): string {
  const out: string[] = [];
  out.push('<!doctype html>');
  out.push(`<html lang="${r.lang}"><head><meta charset="utf-8">`);
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${esc(reportTitle(r))}</title><style>${CSS}</style></head><body>`);
  out.push(`<header><h1>${esc(reportTitle(r))}</h1>`);
  out.push(`<div class="sub">${esc(reportSubtitle(r))}</div></header>`);
  out.push(renderReportBody(r));
  out.push('</body></html>');
  return out.join('\n');
}

/**
 * The summary's content without the document around it: a section per municipality and the
 * method notes. The report file wraps it in a page of its own; the dashboard embeds it.
 */
export function renderReportBody(r: WeeklyReport, opts: ReportBodyOptions = {}): string {
  const t = strings(r.lang);
  const out: string[] = [];
  if (r.sections.length === 0) out.push(`<p>${esc(t.noMunicipality)}</p>`);
  const names = new Map(r.catalogue.indicators.map((d) => [d.id as string, r.lang === 'fi' ? d.nameFi : d.nameEn]));
  const articleLink: ArticleLink = (a, text) => {
    const own = opts.articleHref?.(a);
    // The caller's own paths only; an article's address is a web address or no link at all.
    return own !== undefined && /^\/(?![/\\])/.test(own) ? `<a href="${esc(own)}">${esc(text)}</a>` : link(a.url, text);
  };
  for (const s of r.sections) out.push(section(s, r.lang, t, names, articleLink));
  out.push(`<footer><h2>${esc(t.method)}</h2><p>${esc(t.methodText)}</p><h3>${esc(t.definitions)}</h3><dl>`);
  for (const d of r.catalogue.indicators) {
    const def = r.lang === 'fi' ? d.definitionFi : d.definition;
    out.push(`<dt>${esc(r.lang === 'fi' ? d.nameFi : d.nameEn)}</dt><dd>${esc(definitionText(d.unit, def))}</dd>`);
  }
  out.push('</dl></footer>');
  return out.join('\n');
}

type ArticleLink = (article: { id: number; url: string }, text: string) => string;

function section(s: ReportSection, lang: Lang, t: Strings, names: Map<string, string>, articleLink: ArticleLink): string {
  const out: string[] = [];
  const pct = (x: number) => formatPercent(x, lang);
  out.push(`<section><h2>${esc(s.municipality.nameFi)} <span class="sub">(${esc(s.municipality.code)})</span></h2>`);

  // Headline figures and coverage.
  out.push(`<h3>${esc(t.headline)}</h3><div class="figures">`);
  out.push(`<div class="figure">${esc(t.localArticles)}<b>${s.localArticles}</b></div>`);
  out.push(`<div class="figure">${esc(t.groupStories)}<b>${s.groupStories}</b></div>`);
  out.push(`<div class="figure">${esc(t.alertsCount)}<b>${s.alerts.length}</b></div></div>`);
  out.push(coverageNote(s, lang, t));

  // Alerts with the articles and terms behind them.
  out.push(`<h3>${esc(t.alerts)}</h3>`);
  if (s.alerts.length === 0) out.push(`<p>${esc(t.noAlerts)}</p>`);
  for (const a of s.alerts) {
    out.push(`<div class="alert"><b>${esc(t.alertLine(a.groupLabel, a.alert.test.observed, a.alert.test.expected, a.alert.test.p ?? 1))}</b>`);
    out.push(`<div>${esc(t.drivingArticles)}:</div><ul class="articles">`);
    for (const art of a.evidence.articles) out.push(`<li>${articleLink(art, art.title ?? art.url)}${art.siteName ? ` <span class="tag">${esc(art.siteName)}</span>` : ''}</li>`);
    out.push(`</ul><div class="terms">${esc(t.distinctiveTerms)}: ${termList(a.evidence.terms, t)}</div></div>`);
  }

  // Group indicators this week.
  out.push(`<h3>${esc(t.groupTable)}</h3>`);
  if (s.groups.length === 0) out.push(`<p>${esc(t.noGroups)}</p>`);
  else {
    const cols = ['salience', 'tone_balance', 'negative_share', 'threat_framing', 'victim_framing', 'interaction_coverage', 'voice_share'] as const;
    out.push(`<table><thead><tr><th>${esc(t.group)}</th><th>${esc(t.articles)}</th>${cols.map((c) => `<th>${esc(names.get(c) ?? c)}</th>`).join('')}</tr></thead><tbody>`);
    for (const g of s.groups) {
      const cells = cols.map((c) => {
        const v = g.indicators[c];
        if (!v || v.value === null) return '<td>–</td>';
        const fmt = c === 'tone_balance' ? (x: number) => formatSigned(x, lang) : pct;
        return `<td>${esc(fmt(v.value))}<br>${ci(v.ci, fmt)}</td>`;
      });
      out.push(`<tr><td>${esc(g.label)}</td><td>${g.articles}</td>${cells.join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }

  // Charts.
  const weekLabels = s.weeks.map((w) => w.slice(5));
  const maxSalience = Math.max(0.1, ...s.salience.flatMap((x) => x.values.filter((v): v is number => v !== null)));
  const top = Math.min(1, Math.ceil(maxSalience * 10) / 10);
  const ticks = [0, top / 2, top].map((v) => ({ value: v, label: formatPercent(v, lang) }));
  out.push(`<h3>${esc(t.charts)}</h3><div class="charts">`);
  out.push(lineChart(
    s.salience.map((x) => ({ label: x.label, values: x.values, notes: x.values.map((v, i) => (v === null ? '' : `${pct(v)} (n = ${x.n[i]})`)) })),
    { title: t.salienceChart, xLabels: weekLabels, yMin: 0, yMax: top, yTicks: ticks, emptyText: t.noData },
  ));
  out.push(lineChart(
    s.tone.map((x) => ({ label: x.label, values: x.values, notes: x.values.map((v, i) => (v === null ? '' : `${formatSigned(v, lang)} (n = ${x.n[i]})`)) })),
    {
      title: t.toneChart, xLabels: weekLabels, yMin: -1, yMax: 1, baseline: 0, emptyText: t.noData,
      yTicks: [-1, -0.5, 0, 0.5, 1].map((v) => ({ value: v, label: formatSigned(v, lang, 1) })),
    },
  ));
  const frames = Object.entries(s.frames).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f, n]) => ({ label: t.frames[f] ?? f, value: n }));
  out.push(barChart(frames, { title: t.framesChart, emptyText: t.noData }));
  out.push('</div>');

  // Notable articles.
  out.push(`<h3>${esc(t.notable)}</h3>`);
  for (const [title, list] of [[t.mostNegative, s.notable.mostNegative], [t.mostPositive, s.notable.mostPositive], [t.voice, s.notable.voice]] as const) {
    out.push(`<h4>${esc(title)}</h4>`);
    if (list.length === 0) out.push(`<p class="sub">${esc(t.none)}</p>`);
    else out.push(`<ul class="articles">${list.map((a) => `<li>${notable(a, lang, t, articleLink)}</li>`).join('')}</ul>`);
  }

  // Distinctive terms per group.
  if (s.terms.length > 0) {
    out.push(`<h3>${esc(t.termsPerGroup)}</h3><ul>`);
    for (const g of s.terms) out.push(`<li><b>${esc(g.label)}</b>: ${termList(g.terms, t)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}

function coverageNote(s: ReportSection, lang: Lang, t: Strings): string {
  const c = s.coverage;
  if (!c) return `<div class="note">${esc(t.coverageUnknown)}</div>`;
  const head = c.flag === 'low' ? t.coverageLow : c.flag === 'ok' ? t.coverageOk : t.coverageUnknown;
  const details = [t.articlesVsUsual(c.articles, c.usual), t.feedsUp(c.feedsUp, c.feeds, c.feedsPolled)];
  if (c.reasons.includes('few_articles')) details.push(t.fewArticles);
  if (c.reasons.includes('feeds_down')) details.push(t.feedsDown);
  return `<div class="note${c.flag === 'low' ? ' low' : ''}"><b>${esc(t.coverage)}:</b> ${esc(head)} <span class="sub">${esc(sentence(details))}</span></div>`;
}

function notable(a: NotableArticle, lang: Lang, t: Strings, articleLink: ArticleLink): string {
  const meta = [a.groupLabel, t.tone[a.tone] ?? a.tone, a.siteName, a.publishedTs !== null ? formatInstant(a.publishedTs, lang) : null].filter(Boolean).join(' · ');
  return `${articleLink(a, a.title)} <span class="tag">${esc(meta)}</span>`;
}

function termList(terms: readonly DistinctiveTerm[], t: Strings): string {
  return terms.length === 0 ? `<span class="sub">${esc(t.noTerms)}</span>` : terms.map((x) => esc(x.term)).join(', ');
}

