// The articles and words behind an alert or a group's week: the stories that drive it, and
// what sets them apart from the municipality's usual coverage (TF-IDF against the baseline).
import type { Store } from '../store/store.ts';
import { localArticles, type LocalArticle } from './articles.ts';
import type { AlertResult } from './compute.ts';
import { distinctiveTerms, type DistinctiveTerm, type DocumentFrequencies } from './terms.ts';
import { addWeeks } from './week.ts';

export interface Evidence {
  articles: LocalArticle[];
  terms: DistinctiveTerm[];
}

export interface EvidenceOptions {
  baselineWeeks: number;
  /** Baseline articles read for the document frequencies (the latest ones). */
  baselineLimit?: number;
  terms?: number;
  /** Words never shown as distinctive, such as the municipality's name. */
  exclude?: readonly string[];
}

/** The municipality's local articles of the baseline weeks before `week`: the background for terms. */
export function baselineTexts(store: Store, municipalityCode: string, week: string, opts: EvidenceOptions): string[] {
  return localArticles(store, municipalityCode, addWeeks(week, -opts.baselineWeeks), addWeeks(week, -1), {
    limit: opts.baselineLimit ?? 400,
    tags: false,
  }).map((a) => a.text);
}

/** This week's negative stories about the alert's group, most negative first, and their distinctive terms. */
export function alertEvidence(store: Store, alert: AlertResult, opts: EvidenceOptions, background?: readonly string[] | DocumentFrequencies): Evidence {
  const week = localArticles(store, alert.municipalityCode, alert.week, alert.week, { group: alert.group });
  const driving = week
    .filter((a) => a.tags.some((t) => t.group === alert.group && t.tone === 'neg'))
    .sort((a, b) => toneOf(a, alert.group) - toneOf(b, alert.group) || a.id - b.id);
  const base = background ?? baselineTexts(store, alert.municipalityCode, alert.week, opts);
  return { articles: driving, terms: distinctiveTerms(driving.map((a) => a.text), base, { limit: opts.terms ?? 8, exclude: opts.exclude }) };
}

/** Distinctive terms of a group's articles in one week against the baseline. */
export function groupWeekTerms(articles: readonly LocalArticle[], group: string, background: readonly string[] | DocumentFrequencies, opts: EvidenceOptions): DistinctiveTerm[] {
  const texts = articles.filter((a) => a.tags.some((t) => t.group === group)).map((a) => a.text);
  return distinctiveTerms(texts, background, { limit: opts.terms ?? 8, exclude: opts.exclude });
}

function toneOf(a: LocalArticle, group: string): number {
  return a.tags.find((t) => t.group === group)?.toneScore ?? 0;
}
