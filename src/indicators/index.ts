// Weekly media indicators of population relations per municipality and group, with coverage,
// early-warning alerts, the articles and terms behind them, and the long-format export.
export {
  addWeeks, compareWeeks, formatWeek, isWeek, lastCompleteWeek, parseWeek, weekDays, weekEnd, weekOf, weekRange, weekStart, weeksInYear,
  type IsoWeek,
} from './week.ts';
export { wilson, toneBalanceInterval, poissonInterval, negBinomialUpperTail, poissonUpperTail, median, Z95, type Interval } from './stats.ts';
export {
  loadIndicatorCatalogue, indicatorsFile, COMPUTED, DOMAINS, INDICATOR_IDS,
  type IndicatorCatalogue, type IndicatorDefinition, type IndicatorId, type Domain, type AlertSettings, type CoverageSettings,
} from './definitions.ts';
export {
  refreshIndicators, recomputeAll, recomputeDirty, markDirty, markWeeksDirty, readCounts, countedWeeks, countsGeneration, CORRECTIONS_TABLE, COUNTS_VERSION,
  type RefreshResult, type CountRow,
} from './counts.ts';
export type { Coverage, CoverageFlag } from './coverage.ts';
export { testNegativeCount, type AlertTest } from './alerts.ts';
export {
  computeIndicatorSet, buildIndicatorSet, indicatorValues, forEachIndicatorValue, groupIndicator, coverageIndicator, firedAlerts, readMunicipalities,
  THREAT_FRAMES, VICTIM_FRAMES, INTERACTION_FRAMES,
  type IndicatorSet, type IndicatorValue, type GroupWeek, type AlertResult, type MunicipalityName, type ComputeOptions,
} from './compute.ts';
export { localArticles, groupTags, type LocalArticle, type GroupTag } from './articles.ts';
export { distinctiveTerms, documentFrequencies, type DistinctiveTerm, type DocumentFrequencies } from './terms.ts';
export { alertEvidence, baselineTexts, groupWeekTerms, type Evidence, type EvidenceOptions } from './evidence.ts';
export { writeIndicatorExport, exportRow, EXPORT_COLUMNS, type ExportFormat, type ExportRow, type ValueSource } from './export.ts';
