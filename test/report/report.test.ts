// The weekly summary's content and its safety: what an analyst needs is there, in Finnish by
// default, and text from the web can never become markup, script or a link of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIndicatorCatalogue, refreshIndicators } from '../../src/indicators/index.ts';
import { buildWeeklyReport, escapeMarkdown, renderReportHtml, renderReportMarkdown, type WeeklyReport } from '../../src/report/index.ts';
import type { FixtureStore } from '../indicators/helpers.ts';
import { seedFromDemoCorpus } from './seed.ts';

const HOSTILE_TITLE = '<script>alert("x")</script> & "lainaus" [linkki](javascript:alert(1)) *romanit* | putki';

let fx: FixtureStore;
let fi: WeeklyReport;
let en: WeeklyReport;
let html: string;
let md: string;

beforeAll(() => {
  fx = seedFromDemoCorpus();
  fx.article({
    published: '2026-11-06T12:00:00+02:00',
    title: HOSTILE_TITLE,
    url: 'javascript:alert(1)',
    text: 'Teksti.',
    localities: ['837'],
    groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security', toneScore: -9 }],
  });
  refreshIndicators(fx.store);
  const catalogue = loadIndicatorCatalogue();
  const now = Date.parse('2026-11-28T10:00:00Z');
  fi = buildWeeklyReport(fx.store, catalogue, { week: '2026-W45', municipalities: ['837'], lang: 'fi', now });
  en = buildWeeklyReport(fx.store, catalogue, { week: '2026-W45', municipalities: ['837'], lang: 'en', now });
  html = renderReportHtml(fi);
  md = renderReportMarkdown(fi);
});
afterAll(() => fx?.close());

describe('weekly summary', () => {
  it('has the headline figures, the alert with its articles and terms, and the coverage note', () => {
    const s = fi.sections[0]!;
    expect(s.municipality.nameFi).toBe('Tampere');
    // Ground truth: 10 stories about Tampere in W45 (one a syndicated copy is counted once) plus the hostile one.
    expect(s.localArticles).toBeGreaterThanOrEqual(10);
    expect(s.alerts.map((a) => a.alert.group)).toEqual(['roma']);
    expect(s.alerts[0]!.evidence.articles.length).toBe(s.alerts[0]!.alert.test.observed);
    expect(s.alerts[0]!.evidence.terms.length).toBeGreaterThan(0);
    expect(s.coverage?.flag).toBe('ok');
    expect(s.groups[0]!.group).toBe('roma');
    expect(s.groups[0]!.indicators.salience?.value).toBeCloseTo(s.groups[0]!.articles / s.localArticles, 12);
    expect(s.weeks).toHaveLength(10); // W36 … W45: the corpus starts in W36
    expect(s.notable.mostNegative[0]!.title).toBe(HOSTILE_TITLE); // tone score −9
    expect(s.notable.voice.length).toBeGreaterThan(0);
  });

  it('renders Finnish by default and English on request', () => {
    expect(html).toContain('<html lang="fi">');
    expect(html).toContain('Viikon luvut');
    expect(html).toContain('romanit');
    const english = renderReportHtml(en);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('This week in figures');
    expect(english).toContain('Roma');
    expect(renderReportMarkdown(en)).toContain('## Tampere (837)');
  });

  it('is self-contained: inline SVG charts, no scripts, no external resources', () => {
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|srcset)=/i);
    expect(html).not.toMatch(/<link /i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    // Every href is an http(s) link to an article.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
  });

  it('escapes article titles in HTML and drops non-web links', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;lainaus&quot;');
    // The address is not a web address: the title is shown, but not as a link.
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('[linkki](javascript:alert(1))');
  });

  it('escapes article titles in Markdown', () => {
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; "lainaus" \\[linkki\\](javascript:alert(1)) \\*romanit\\* \\| putki');
    // No Markdown link was made of the hostile title or its address.
    expect(md).not.toMatch(/[^\\]\]\(javascript:/);
    expect(escapeMarkdown('a_b*c`d[e]f|g<h>&')).toBe('a\\_b\\*c\\`d\\[e\\]f\\|g&lt;h&gt;&amp;');
  });

  it('a week without articles still renders, saying so', () => {
    const empty = buildWeeklyReport(fx.store, loadIndicatorCatalogue(), { week: '2025-W10', municipalities: ['837'], lang: 'fi' });
    const text = renderReportHtml(empty);
    expect(text).toContain('Ei hälytyksiä');
    expect(text).toContain('Yhtään väestöryhmää ei mainittu');
    expect(renderReportMarkdown(empty)).toContain('Ei hälytyksiä');
  });
});
