// The weekly summary as data: what the HTML and Markdown renderings show, per municipality.
// Reads the stored counts (refreshed by the caller) and the week's articles; no rendering here.
import {
  addWeeks, alertEvidence, baselineTexts, computeIndicatorSet, documentFrequencies, firedAlerts, groupIndicator, groupWeekTerms, localArticles, weekDays,
  type AlertResult, type Coverage, type DistinctiveTerm, type Evidence, type GroupWeek, type IndicatorCatalogue, type IndicatorId,
  type Interval, type LocalArticle, type MunicipalityName, type DocumentFrequencies,
} from '../indicators/index.ts';
import type { Store } from '../store/store.ts';
import { loadGroupLabels, type GroupLabels, type Lang } from './i18n.ts';

export interface ReportOptions {
  week: string;
  /** Municipality codes; every municipality in the store when omitted. */
  municipalities?: readonly string[];
  lang: Lang;
  /** Config folder for group names (lexicons/groups.yaml). */
  configDir?: string;
  /** Weeks in the charts, this one included. */
  weeksShown?: number;
  /** Articles listed per notable category. */
  notableLimit?: number;
  now?: number;
  /**
   * A town's baseline document frequencies before a week, read from the store when not given.
   * The dashboard passes one that keeps them between requests (the baseline is a few hundred
   * texts to read and stem, and it changes only when its weeks do).
   */
  baseline?: (municipalityCode: string, week: string, texts: () => string[]) => DocumentFrequencies;
}

export interface IndicatorCell {
  value: number | null;
  n: number;
  ci: Interval | null;
}

export interface GroupSummary {
  group: string;
  label: string;
  articles: number;
  mentions: number;
  indicators: Partial<Record<IndicatorId, IndicatorCell>>;
}

export interface NotableArticle {
  id: number;
  title: string;
  url: string;
  siteName: string | null;
  publishedTs: number | null;
  group: string;
  groupLabel: string;
  tone: string;
  toneScore: number;
  voice: boolean;
}

export interface ReportAlert {
  alert: AlertResult;
  groupLabel: string;
  evidence: Evidence;
}

export interface Series {
  group: string;
  label: string;
  /** One value per week of ReportSection.weeks; null where the group had no articles (tone) or the week none (salience). */
  values: (number | null)[];
  n: number[];
}

export interface ReportSection {
  municipality: MunicipalityName;
  coverage: Coverage | null;
  localArticles: number;
  /** Articles × groups this week (an article about two groups counts twice). */
  groupStories: number;
  groups: GroupSummary[];
  weeks: string[];
  salience: Series[];
  tone: Series[];
  /** This week's group articles by frame. */
  frames: Record<string, number>;
  alerts: ReportAlert[];
  notable: { mostNegative: NotableArticle[]; mostPositive: NotableArticle[]; voice: NotableArticle[] };
  terms: { group: string; label: string; terms: DistinctiveTerm[] }[];
}

export interface WeeklyReport {
  week: string;
  lang: Lang;
  generatedAt: number;
  monday: [number, number, number];
  sunday: [number, number, number];
  catalogue: IndicatorCatalogue;
  sections: ReportSection[];
}

/** Groups drawn in the 12-week charts: the most covered ones, so the lines stay readable. */
const MAX_CHART_GROUPS = 6;
const TABLE_INDICATORS: IndicatorId[] = ['salience', 'tone_balance', 'negative_share', 'threat_framing', 'victim_framing', 'interaction_coverage', 'voice_share'];

export function buildWeeklyReport(store: Store, catalogue: IndicatorCatalogue, opts: ReportOptions): WeeklyReport {
  const labels = loadGroupLabels(opts.configDir);
  const shown = opts.weeksShown ?? 12;
  const first = addWeeks(opts.week, -(shown - 1));
  const set = computeIndicatorSet(store, catalogue, { from: first, to: opts.week, municipalities: opts.municipalities });
  const alerts = firedAlerts(set).filter((a) => a.week === opts.week);
  const { monday, sunday } = weekDays(opts.week);
  const sections = set.municipalities.map((m) => buildSection(store, catalogue, set.groupWeeks.filter((g) => g.municipalityCode === m.code), {
    municipality: m,
    coverage: set.coverage.find((c) => c.municipalityCode === m.code && c.week === opts.week) ?? null,
    alerts: alerts.filter((a) => a.municipalityCode === m.code),
    week: opts.week,
    first,
    labels,
    lang: opts.lang,
    notableLimit: opts.notableLimit ?? 3,
    baseline: opts.baseline,
  }));
  return { week: opts.week, lang: opts.lang, generatedAt: opts.now ?? Date.now(), monday, sunday, catalogue, sections };
}

interface SectionInput {
  municipality: MunicipalityName;
  coverage: Coverage | null;
  alerts: AlertResult[];
  week: string;
  first: string;
  labels: GroupLabels;
  lang: Lang;
  notableLimit: number;
  baseline: ReportOptions['baseline'];
}

function buildSection(store: Store, catalogue: IndicatorCatalogue, cells: GroupWeek[], s: SectionInput): ReportSection {
  const label = (g: string) => s.labels.label(g, s.lang);
  // Charted weeks: the last ones up to this week, from the first with local articles on
  // (earlier weeks of the window may predate the monitoring of the town).
  const firstWithArticles = cells.reduce<string | null>((m, c) => (m === null || c.week < m ? c.week : m), null);
  const weeks: string[] = [];
  for (let w = s.first; ; w = addWeeks(w, 1)) {
    if (firstWithArticles === null || w >= firstWithArticles || w === s.week) weeks.push(w);
    if (w === s.week) break;
  }
  const thisWeek = cells.filter((c) => c.week === s.week);
  const withArticles = thisWeek.filter((c) => c.articles > 0).sort((a, b) => b.articles - a.articles || a.group.localeCompare(b.group));
  const groups: GroupSummary[] = withArticles.map((c) => ({
    group: c.group,
    label: label(c.group),
    articles: c.articles,
    mentions: c.mentions,
    indicators: Object.fromEntries(TABLE_INDICATORS.map((id) => [id, groupIndicator(id, c) ?? { value: null, n: 0, ci: null }])),
  }));
  const frames: Record<string, number> = {};
  for (const c of thisWeek) for (const [f, n] of Object.entries(c.frames)) frames[f] = (frames[f] ?? 0) + n;

  // Chart series: the groups with most articles over the weeks shown.
  const totals = new Map<string, number>();
  for (const c of cells) totals.set(c.group, (totals.get(c.group) ?? 0) + c.articles);
  const charted = [...totals.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CHART_GROUPS).map(([g]) => g);
  const cellAt = new Map(cells.map((c) => [`${c.week}|${c.group}`, c]));
  const series = (id: 'salience' | 'tone_balance'): Series[] =>
    charted.map((g) => {
      const values: (number | null)[] = [];
      const n: number[] = [];
      for (const w of weeks) {
        const c = cellAt.get(`${w}|${g}`);
        const v = c ? groupIndicator(id, c) : null;
        values.push(v?.value ?? null);
        n.push(v?.n ?? 0);
      }
      return { group: g, label: label(g), values, n };
    });

  // The week's articles (with their tags) for notable lists and terms; the baseline for terms.
  const articles = localArticles(store, s.municipality.code, s.week, s.week);
  const evidenceOpts = { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: [s.municipality.nameFi, s.municipality.nameSv] };
  const needsBaseline = articles.some((a) => a.tags.length > 0) || s.alerts.length > 0;
  // One pass over the baseline's texts serves every group's and alert's terms.
  const texts = () => baselineTexts(store, s.municipality.code, s.week, evidenceOpts);
  const background = !needsBaseline ? documentFrequencies([]) : s.baseline ? s.baseline(s.municipality.code, s.week, texts) : documentFrequencies(texts());
  const reportAlerts: ReportAlert[] = s.alerts.map((a) => ({ alert: a, groupLabel: label(a.group), evidence: alertEvidence(store, a, evidenceOpts, background) }));
  const terms = groups.map((g) => ({ group: g.group, label: g.label, terms: groupWeekTerms(articles, g.group, background, evidenceOpts) }));

  return {
    municipality: s.municipality,
    coverage: s.coverage,
    localArticles: s.coverage?.articles ?? thisWeek[0]?.localArticles ?? 0,
    groupStories: withArticles.reduce((n, c) => n + c.articles, 0),
    groups,
    weeks,
    salience: series('salience'),
    tone: series('tone_balance'),
    frames,
    alerts: reportAlerts,
    notable: notableArticles(articles, label, s.notableLimit),
    terms,
  };
}

function notableArticles(articles: LocalArticle[], label: (g: string) => string, limit: number): ReportSection['notable'] {
  const tagged: NotableArticle[] = articles.flatMap((a) =>
    a.tags.map((t) => ({
      id: a.id,
      title: a.title ?? a.url,
      url: a.url,
      siteName: a.siteName,
      publishedTs: a.publishedTs,
      group: t.group,
      groupLabel: label(t.group),
      tone: t.tone,
      toneScore: t.toneScore,
      voice: t.voice,
    })),
  );
  // One entry per article in each list: its most telling group.
  const pick = (items: NotableArticle[], order: (a: NotableArticle, b: NotableArticle) => number): NotableArticle[] => {
    const seen = new Set<number>();
    const out: NotableArticle[] = [];
    for (const it of [...items].sort((a, b) => order(a, b) || a.id - b.id)) {
      if (seen.has(it.id)) continue;
      seen.add(it.id);
      out.push(it);
      if (out.length >= limit) break;
    }
    return out;
  };
  return {
    mostNegative: pick(tagged.filter((t) => t.tone === 'neg'), (a, b) => a.toneScore - b.toneScore),
    mostPositive: pick(tagged.filter((t) => t.tone === 'pos'), (a, b) => b.toneScore - a.toneScore),
    voice: pick(tagged.filter((t) => t.voice), (a, b) => (a.publishedTs ?? 0) - (b.publishedTs ?? 0)),
  };
}
