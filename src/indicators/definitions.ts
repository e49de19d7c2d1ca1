// The indicator catalogue (config/indicators.yaml): names, domains and definitions as data,
// checked at load against what the code computes, so the exported data dictionary cannot
// drift from the numbers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG_DIR } from '../config/load.ts';
import { YamlFile, type YamlCursor } from '../config/yamlFile.ts';

export const DOMAINS = ['attitudes', 'sense_of_safety', 'interaction', 'participation', 'early_warning', 'coverage'] as const;
export type Domain = (typeof DOMAINS)[number];

export const UNITS = ['share', 'balance', 'count', 'ratio', 'flag'] as const;
export type Unit = (typeof UNITS)[number];

export const INTERVALS = ['wilson', 'tone_balance', 'poisson', 'none'] as const;
export type IntervalKind = (typeof INTERVALS)[number];

/** What the code computes for each indicator id; the YAML must agree on unit and interval. */
export const COMPUTED = {
  salience: { scope: 'group', unit: 'share', interval: 'wilson' },
  tone_balance: { scope: 'group', unit: 'balance', interval: 'tone_balance' },
  negative_share: { scope: 'group', unit: 'share', interval: 'wilson' },
  threat_framing: { scope: 'group', unit: 'share', interval: 'wilson' },
  victim_framing: { scope: 'group', unit: 'share', interval: 'wilson' },
  interaction_coverage: { scope: 'group', unit: 'share', interval: 'wilson' },
  voice_share: { scope: 'group', unit: 'share', interval: 'wilson' },
  negative_count: { scope: 'group', unit: 'count', interval: 'poisson' },
  alert: { scope: 'group', unit: 'flag', interval: 'none' },
  local_articles: { scope: 'municipality', unit: 'count', interval: 'none' },
  articles_vs_usual: { scope: 'municipality', unit: 'ratio', interval: 'none' },
  feeds_up_share: { scope: 'municipality', unit: 'share', interval: 'none' },
} as const satisfies Record<string, { scope: 'group' | 'municipality'; unit: Unit; interval: IntervalKind }>;

export type IndicatorId = keyof typeof COMPUTED;
export const INDICATOR_IDS = Object.keys(COMPUTED) as IndicatorId[];

export interface Definition {
  numerator: string;
  denominator: string;
}

export interface IndicatorDefinition {
  id: IndicatorId;
  nameFi: string;
  nameEn: string;
  domain: Domain;
  unit: Unit;
  interval: IntervalKind;
  /** 'group': per municipality, week and group; 'municipality': per municipality and week. */
  scope: 'group' | 'municipality';
  definition: Definition;
  definitionFi: Definition;
}

export interface CoverageSettings {
  baselineWeeks: number;
  minBaselineWeeks: number;
  lowArticlesRatio: number;
  minFeedsUpShare: number;
}

export interface AlertSettings {
  baselineWeeks: number;
  minBaselineWeeks: number;
  minCount: number;
  maxP: number;
  priorCount: number;
  priorWeeks: number;
}

export interface IndicatorCatalogue {
  file: string;
  indicators: IndicatorDefinition[];
  coverage: CoverageSettings;
  alerts: AlertSettings;
}

export const DEFAULT_COVERAGE: CoverageSettings = { baselineWeeks: 12, minBaselineWeeks: 4, lowArticlesRatio: 0.5, minFeedsUpShare: 0.5 };
export const DEFAULT_ALERTS: AlertSettings = { baselineWeeks: 12, minBaselineWeeks: 4, minCount: 3, maxP: 0.001, priorCount: 0.5, priorWeeks: 1 };

/** <configDir>/indicators.yaml when present, else the shipped one. */
export function indicatorsFile(configDir?: string): string {
  const own = configDir ? join(configDir, 'indicators.yaml') : null;
  return own && existsSync(own) ? own : join(DEFAULT_CONFIG_DIR, 'indicators.yaml');
}

export function loadIndicatorCatalogue(path: string = indicatorsFile()): IndicatorCatalogue {
  const file = YamlFile.read(path);
  const root = file.root();
  root.rejectUnknownKeys(['coverage', 'alerts', 'indicators']);

  const cov = root.get('coverage');
  cov.rejectUnknownKeys(['baseline_weeks', 'min_baseline_weeks', 'low_articles_ratio', 'min_feeds_up_share']);
  const coverage: CoverageSettings = {
    baselineWeeks: cov.get('baseline_weeks').number({ fallback: DEFAULT_COVERAGE.baselineWeeks, min: 1, max: 104, integer: true }),
    minBaselineWeeks: cov.get('min_baseline_weeks').number({ fallback: DEFAULT_COVERAGE.minBaselineWeeks, min: 1, max: 104, integer: true }),
    lowArticlesRatio: cov.get('low_articles_ratio').number({ fallback: DEFAULT_COVERAGE.lowArticlesRatio, min: 0, max: 1 }),
    minFeedsUpShare: cov.get('min_feeds_up_share').number({ fallback: DEFAULT_COVERAGE.minFeedsUpShare, min: 0, max: 1 }),
  };
  if (coverage.minBaselineWeeks > coverage.baselineWeeks) {
    cov.get('min_baseline_weeks').problem(`must not exceed baseline_weeks (${coverage.baselineWeeks})`);
  }

  const al = root.get('alerts');
  al.rejectUnknownKeys(['baseline_weeks', 'min_baseline_weeks', 'min_count', 'max_p', 'prior_count', 'prior_weeks']);
  const alerts: AlertSettings = {
    baselineWeeks: al.get('baseline_weeks').number({ fallback: DEFAULT_ALERTS.baselineWeeks, min: 1, max: 104, integer: true }),
    minBaselineWeeks: al.get('min_baseline_weeks').number({ fallback: DEFAULT_ALERTS.minBaselineWeeks, min: 1, max: 104, integer: true }),
    minCount: al.get('min_count').number({ fallback: DEFAULT_ALERTS.minCount, min: 1, integer: true }),
    maxP: al.get('max_p').number({ fallback: DEFAULT_ALERTS.maxP, min: 0, max: 0.5 }),
    priorCount: al.get('prior_count').number({ fallback: DEFAULT_ALERTS.priorCount, min: 0.01 }),
    priorWeeks: al.get('prior_weeks').number({ fallback: DEFAULT_ALERTS.priorWeeks, min: 0.01 }),
  };
  if (alerts.minBaselineWeeks > alerts.baselineWeeks) {
    al.get('min_baseline_weeks').problem(`must not exceed baseline_weeks (${alerts.baselineWeeks})`);
  }

  const list = root.get('indicators');
  if (!list.isSeq()) list.problem('expected a list of indicators (id, name_fi, name_en, domain, unit, interval, definition, definition_fi)');
  const indicators: IndicatorDefinition[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items()) {
    const parsed = parseIndicator(item);
    if (!parsed) continue;
    const first = seen.get(parsed.id);
    if (first !== undefined) {
      item.get('id').problem(`duplicate indicator ${parsed.id} (first at line ${first})`);
      continue;
    }
    seen.set(parsed.id, item.line);
    indicators.push(parsed);
  }
  file.throwIfProblems();
  return { file: path, indicators, coverage, alerts };
}

function parseIndicator(item: YamlCursor): IndicatorDefinition | null {
  item.rejectUnknownKeys(['id', 'name_fi', 'name_en', 'domain', 'unit', 'interval', 'definition', 'definition_fi']);
  const idCursor = item.get('id');
  const id = idCursor.string({ required: true });
  const known = id !== undefined && Object.hasOwn(COMPUTED, id);
  if (id !== undefined && !known) idCursor.problem(`unknown indicator "${id}"; the computed ones are: ${INDICATOR_IDS.join(', ')}`);
  const nameFi = item.get('name_fi').string({ required: true });
  const nameEn = item.get('name_en').string({ required: true });
  const domain = oneOf(item.get('domain'), DOMAINS);
  const unit = oneOf(item.get('unit'), UNITS);
  const interval = oneOf(item.get('interval'), INTERVALS);
  const definition = parseDefinition(item.get('definition'));
  const definitionFi = parseDefinition(item.get('definition_fi'));
  if (!known) return null;
  const computed = COMPUTED[id as IndicatorId];
  if (unit !== undefined && unit !== computed.unit) item.get('unit').problem(`${id} is computed as a ${computed.unit}, not a ${unit}`);
  if (interval !== undefined && interval !== computed.interval) {
    item.get('interval').problem(`${id} is computed with interval "${computed.interval}", not "${interval}"`);
  }
  if (!nameFi || !nameEn || !domain || !unit || !interval || !definition || !definitionFi) return null;
  return { id: id as IndicatorId, nameFi, nameEn, domain, unit, interval, scope: computed.scope, definition, definitionFi };
}

function oneOf<T extends string>(c: YamlCursor, allowed: readonly T[]): T | undefined {
  const v = c.string({ required: true });
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    c.problem(`expected one of ${allowed.join(', ')}, got "${v}"`);
    return undefined;
  }
  return v as T;
}

function parseDefinition(c: YamlCursor): Definition | undefined {
  if (c.isMissing() || !c.isMap()) {
    c.problem('is required: a mapping with numerator and denominator (in words)');
    return undefined;
  }
  c.rejectUnknownKeys(['numerator', 'denominator']);
  const numerator = c.get('numerator').string({ required: true });
  const denominator = c.get('denominator').string({ required: true });
  return numerator && denominator ? { numerator, denominator } : undefined;
}
