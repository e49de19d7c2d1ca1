// How far the analysis agrees with the analysts who checked it: Krippendorff's alpha between
// the machine and the analysts per ISO week (Helsinki) of the articles' publication.
//
// An item is an (article, group, field) an analyst judged. Its two values are the latest
// analyst judgement and what the analysis says now (after any re-analysis): a confirmation of
// an unchanged tag is agreement, a correction disagreement. Presence is '1' when the analysis
// tagged the group, '0' when it did not; tone, frame and voice exist only for tagged groups,
// so an item on a group the analysis missed has no machine value and is not pairable. Fields of
// a group the analyst marked absent are left out: there is nothing there to have a tone.
import type { Store } from '../store/store.ts';
import { krippendorffAlpha, type AlphaMetric } from './alpha.ts';
import { weekEnd, weekOf, weekStart } from './week.ts';

export type JudgedField = 'present' | 'tone' | 'frame' | 'voice';

export interface AgreementMeasure {
  id: 'tone' | 'tone_ordinal' | 'frame' | 'present' | 'voice';
  field: JudgedField;
  metric: AlphaMetric;
  order?: readonly string[];
}

export const AGREEMENT_MEASURES: readonly AgreementMeasure[] = [
  { id: 'tone', field: 'tone', metric: 'nominal' },
  { id: 'tone_ordinal', field: 'tone', metric: 'ordinal', order: ['neg', 'neu', 'pos'] },
  { id: 'frame', field: 'frame', metric: 'nominal' },
  { id: 'present', field: 'present', metric: 'nominal' },
  { id: 'voice', field: 'voice', metric: 'nominal' },
];

export type MeasureId = AgreementMeasure['id'];

export interface JudgedItem {
  articleId: number;
  title: string | null;
  week: string;
  group: string;
  field: JudgedField;
  /** What the analysis says now; null when it has no value for the field (untagged group). */
  machine: string | null;
  /** The latest analyst judgement. */
  analyst: string;
  username: string;
  judgedAt: number;
}

export interface MeasureAgreement {
  /** Items with both a machine and an analyst value. */
  n: number;
  /** Of those, how many the two agree on. */
  agreed: number;
  /** Null when undefined: no items, or no variation among the values. */
  alpha: number | null;
}

export interface WeekAgreement {
  /** ISO week, or null for all weeks together. */
  week: string | null;
  measures: Record<MeasureId, MeasureAgreement>;
}

export interface AgreementReport {
  from: string | null;
  to: string | null;
  weeks: WeekAgreement[];
  total: WeekAgreement;
  /** Pairable items where the analysts' value differs from the machine's, latest judged first. */
  disagreements: JudgedItem[];
  items: number;
}

export interface AgreementOptions {
  /** First and last ISO week (inclusive) of the articles' publication. */
  from?: string;
  to?: string;
}

/** The judged items of articles published in the weeks, with both coders' values. */
export function judgedItems(store: Store, opts: AgreementOptions = {}): JudgedItem[] {
  const rows = store.db
    .prepare(
      `SELECT c.article_id, c.group_id, c.field, CAST(c.value AS TEXT) value, c.username, c.created_at,
         COALESCE(a.published_ts, a.fetched_at) ts, a.title,
         g.article_id IS NOT NULL tagged, g.tone, g.frame, g.voice
       FROM corrections c
       JOIN articles a ON a.id = c.article_id
       LEFT JOIN article_groups g ON g.article_id = c.article_id AND g.group_id = c.group_id
       WHERE c.id IN (SELECT MAX(id) FROM corrections GROUP BY article_id, group_id, field)
         AND COALESCE(a.published_ts, a.fetched_at) >= @from AND COALESCE(a.published_ts, a.fetched_at) < @to
       ORDER BY c.article_id, c.group_id, c.field`,
    )
    .all({ from: opts.from ? weekStart(opts.from) : -8.64e15, to: opts.to ? weekEnd(opts.to) : 8.64e15 }) as {
    article_id: number;
    group_id: string;
    field: JudgedField;
    value: string;
    username: string;
    created_at: number;
    ts: number;
    title: string | null;
    tagged: number;
    tone: string | null;
    frame: string | null;
    voice: number | null;
  }[];
  const absent = new Set(rows.filter((r) => r.field === 'present' && r.value === '0').map((r) => `${r.article_id}|${r.group_id}`));
  const out: JudgedItem[] = [];
  for (const r of rows) {
    if (r.field !== 'present' && absent.has(`${r.article_id}|${r.group_id}`)) continue;
    const machine =
      r.field === 'present' ? (r.tagged ? '1' : '0') : !r.tagged ? null : r.field === 'voice' ? String(r.voice) : r.field === 'tone' ? r.tone : r.frame;
    out.push({
      articleId: r.article_id,
      title: r.title,
      week: weekOf(r.ts),
      group: r.group_id,
      field: r.field,
      machine,
      analyst: r.value,
      username: r.username,
      judgedAt: r.created_at,
    });
  }
  return out;
}

/** Alpha and counts of each measure over the items (pure). */
export function measureAgreement(items: readonly JudgedItem[]): Record<MeasureId, MeasureAgreement> {
  const out = {} as Record<MeasureId, MeasureAgreement>;
  for (const m of AGREEMENT_MEASURES) {
    const pairs = items
      .filter((i) => i.field === m.field && i.machine !== null && (!m.order || (m.order.includes(i.machine) && m.order.includes(i.analyst))))
      .map((i) => [i.machine!, i.analyst]);
    out[m.id] = {
      n: pairs.length,
      agreed: pairs.filter(([a, b]) => a === b).length,
      alpha: krippendorffAlpha(pairs, { metric: m.metric, order: m.order }).alpha,
    };
  }
  return out;
}

/** Agreement per week and over the whole span, with the disagreements listed. */
export function machineAnalystAgreement(store: Store, opts: AgreementOptions = {}): AgreementReport {
  const items = judgedItems(store, opts);
  const byWeek = new Map<string, JudgedItem[]>();
  for (const i of items) {
    let list = byWeek.get(i.week);
    if (!list) byWeek.set(i.week, (list = []));
    list.push(i);
  }
  return {
    from: opts.from ?? null,
    to: opts.to ?? null,
    weeks: [...byWeek.keys()].sort().map((week) => ({ week, measures: measureAgreement(byWeek.get(week)!) })),
    total: { week: null, measures: measureAgreement(items) },
    disagreements: items.filter((i) => i.machine !== null && i.machine !== i.analyst).sort((a, b) => b.judgedAt - a.judgedAt || b.articleId - a.articleId),
    items: items.length,
  };
}
