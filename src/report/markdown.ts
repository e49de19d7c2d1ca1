// The weekly summary as Markdown: the same content as the HTML, with the charts' numbers as
// tables. Article titles and terms come from the web, so Markdown and HTML syntax in them is
// escaped: a title must not become a link, a heading or raw HTML in a renderer.
import type { DistinctiveTerm, Interval } from '../indicators/index.ts';
import type { NotableArticle, ReportSection, WeeklyReport } from './build.ts';
import { reportTitle } from './html.ts';
import { definitionText, formatDate, formatInstant, formatPercent, formatSigned, sentence, strings, type Lang, type Strings } from './i18n.ts';

/**
 * Escapes inline text: what could start emphasis, code, a link or an image, raw HTML or an
 * entity, or end a table cell. The text never starts a line (it always follows a list marker,
 * a heading mark or a label), so block syntax such as "#" or "1." needs no escape.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

const md = escapeMarkdown;

function link(url: string, text: string): string {
  // Parentheses and spaces in the address would end the link target early: percent-encode them.
  return /^https?:\/\//i.test(url) ? `[${md(text)}](${url.replace(/[()\s<>]/g, (c) => encodeURIComponent(c))})` : md(text);
}

const ci = (c: Interval | null, fmt: (x: number) => string) => (c ? ` [${fmt(c.low)}–${fmt(c.high)}]` : '');

export function renderReportMarkdown(r: WeeklyReport): string {
  const t = strings(r.lang);
  const out: string[] = [];
  out.push(`# ${md(reportTitle(r))}`, '');
  out.push(`${md(t.week)} ${r.week}: ${formatDate(r.monday, r.lang)} – ${formatDate(r.sunday, r.lang)} · ${md(t.generated)} ${formatInstant(r.generatedAt, r.lang)}`, '');
  if (r.sections.length === 0) out.push(md(t.noMunicipality), '');
  const names = new Map(r.catalogue.indicators.map((d) => [d.id as string, r.lang === 'fi' ? d.nameFi : d.nameEn]));
  for (const s of r.sections) out.push(...section(s, r.lang, t, names));
  out.push(`## ${md(t.method)}`, '', md(t.methodText), '', `### ${md(t.definitions)}`, '');
  for (const d of r.catalogue.indicators) {
    const def = r.lang === 'fi' ? d.definitionFi : d.definition;
    out.push(`- **${md(r.lang === 'fi' ? d.nameFi : d.nameEn)}**: ${md(definitionText(d.unit, def))}`);
  }
  out.push('');
  return out.join('\n');
}

function section(s: ReportSection, lang: Lang, t: Strings, names: Map<string, string>): string[] {
  const out: string[] = [];
  const pct = (x: number) => formatPercent(x, lang);
  out.push(`## ${md(s.municipality.nameFi)} (${s.municipality.code})`, '');
  out.push(`### ${md(t.headline)}`, '');
  out.push(`- ${md(t.localArticles)}: ${s.localArticles}`);
  out.push(`- ${md(t.groupStories)}: ${s.groupStories}`);
  out.push(`- ${md(t.alertsCount)}: ${s.alerts.length}`, '');
  out.push(`> **${md(t.coverage)}:** ${coverageNote(s, t)}`, '');

  out.push(`### ${md(t.alerts)}`, '');
  if (s.alerts.length === 0) out.push(md(t.noAlerts), '');
  for (const a of s.alerts) {
    out.push(`**${md(t.alertLine(a.groupLabel, a.alert.test.observed, a.alert.test.expected, a.alert.test.p ?? 1))}**`, '');
    out.push(`${md(t.drivingArticles)}:`, '');
    for (const art of a.evidence.articles) out.push(`- ${link(art.url, art.title ?? art.url)}${art.siteName ? ` (${md(art.siteName)})` : ''}`);
    out.push('', `${md(t.distinctiveTerms)}: ${terms(a.evidence.terms, t)}`, '');
  }

  out.push(`### ${md(t.groupTable)}`, '');
  const cols = ['salience', 'tone_balance', 'negative_share', 'threat_framing', 'victim_framing', 'interaction_coverage', 'voice_share'] as const;
  if (s.groups.length === 0) out.push(md(t.noGroups), '');
  else {
    out.push(`| ${md(t.group)} | ${md(t.articles)} | ${cols.map((c) => md(names.get(c) ?? c)).join(' | ')} |`);
    out.push(`|---|---:|${cols.map(() => '---:').join('|')}|`);
    for (const g of s.groups) {
      const cells = cols.map((c) => {
        const v = g.indicators[c];
        if (!v || v.value === null) return '–';
        const fmt = c === 'tone_balance' ? (x: number) => formatSigned(x, lang) : pct;
        return md(`${fmt(v.value)}${ci(v.ci, fmt)}`);
      });
      out.push(`| ${md(g.label)} | ${g.articles} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }

  out.push(`### ${md(t.charts)}`, '');
  for (const [title, series, fmt] of [
    [t.salienceChart, s.salience, pct],
    [t.toneChart, s.tone, (x: number) => formatSigned(x, lang)],
  ] as const) {
    out.push(`${md(title)}:`, '');
    if (series.length === 0) {
      out.push(md(t.noData), '');
      continue;
    }
    out.push(`| ${md(t.week)} | ${series.map((x) => md(x.label)).join(' | ')} |`);
    out.push(`|---|${series.map(() => '---:').join('|')}|`);
    s.weeks.forEach((w, i) => out.push(`| ${w} | ${series.map((x) => (x.values[i] === null || x.values[i] === undefined ? '–' : md(fmt(x.values[i]!)))).join(' | ')} |`));
    out.push('');
  }
  const frames = Object.entries(s.frames).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push(`${md(t.framesChart)}:`, '');
  if (frames.length === 0) out.push(md(t.noData), '');
  else out.push(...frames.map(([f, n]) => `- ${md(t.frames[f] ?? f)}: ${n}`), '');

  out.push(`### ${md(t.notable)}`, '');
  for (const [title, list] of [[t.mostNegative, s.notable.mostNegative], [t.mostPositive, s.notable.mostPositive], [t.voice, s.notable.voice]] as const) {
    out.push(`#### ${md(title)}`, '');
    if (list.length === 0) out.push(md(t.none), '');
    else out.push(...list.map((a) => `- ${notable(a, lang, t)}`), '');
  }

  if (s.terms.length > 0) {
    out.push(`### ${md(t.termsPerGroup)}`, '');
    out.push(...s.terms.map((g) => `- **${md(g.label)}**: ${terms(g.terms, t)}`), '');
  }
  return out;
}

function coverageNote(s: ReportSection, t: Strings): string {
  const c = s.coverage;
  if (!c) return md(t.coverageUnknown);
  const head = c.flag === 'low' ? t.coverageLow : c.flag === 'ok' ? t.coverageOk : t.coverageUnknown;
  const details = [t.articlesVsUsual(c.articles, c.usual), t.feedsUp(c.feedsUp, c.feeds, c.feedsPolled)];
  if (c.reasons.includes('few_articles')) details.push(t.fewArticles);
  if (c.reasons.includes('feeds_down')) details.push(t.feedsDown);
  return `${md(head)} ${md(sentence(details))}`;
}

function notable(a: NotableArticle, lang: Lang, t: Strings): string {
  const meta = [a.groupLabel, t.tone[a.tone] ?? a.tone, a.siteName, a.publishedTs !== null ? formatInstant(a.publishedTs, lang) : null].filter(Boolean).join(' · ');
  return `${link(a.url, a.title)} — ${md(meta)}`;
}

function terms(list: readonly DistinctiveTerm[], t: Strings): string {
  return list.length === 0 ? `_${md(t.noTerms)}_` : list.map((x) => md(x.term)).join(', ');
}
