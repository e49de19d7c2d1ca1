// The demo corpus through the whole pipeline (poll, fetch, analyse, persist), then the weekly
// indicators: the planted spike of negative Roma coverage in Tampere in 2026-W45 raises that
// alert and no other, and the planted quiet week in Lieksa (2026-W42) is marked low-coverage
// and raises nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { demoConfig } from '../../src/demo/run.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';
import { isoWeek } from '../../src/demo/time.ts';
import {
  alertEvidence, computeIndicatorSet, firedAlerts, loadIndicatorCatalogue, refreshIndicators, type IndicatorSet,
} from '../../src/indicators/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { collectOnce, openCollector, type Collector } from '../../src/pipeline/collector.ts';
import { tempDir } from './helpers.ts';

const TAMPERE = '837';
const LIEKSA = '422';
const corpus = loadDemoCorpus();
const catalogue = loadIndicatorCatalogue();
let server: DemoServer;
let c: Collector;
let set: IndicatorSet;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  c = openCollector(demoConfig(server.url, join(tempDir('mm-ind-demo-'), 'demo.db')), { log: silentLogger });
  const pass = await collectOnce(c, { all: true });
  expect(pass.stats.failed).toEqual({ poll: 0, fetch: 0, analyse: 0, persist: 0 });
  refreshIndicators(c.store);
  set = computeIndicatorSet(c.store, catalogue, { from: '2026-W36', to: '2026-W47' });
}, 180_000);

afterAll(async () => {
  await c?.close();
  await server?.close();
});

describe('alerts and coverage on the demo corpus', () => {
  it('2026-W45 raises exactly the Tampere Roma alert, and nothing fires in any other week', () => {
    const alerts = firedAlerts(set);
    expect(alerts.map((a) => `${a.week} ${a.municipality} ${a.group}`)).toEqual(['2026-W45 Tampere roma']);
    const a = alerts[0]!;
    expect(a.test.observed).toBeGreaterThanOrEqual(catalogue.alerts.minCount);
    expect(a.test.p!).toBeLessThanOrEqual(catalogue.alerts.maxP);
  });

  it('the alert lists the negative Roma stories of that week, and terms from them', () => {
    const a = firedAlerts(set)[0]!;
    const ev = alertEvidence(c.store, a, { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: ['Tampere', 'Tammerfors'] });
    expect(ev.articles).toHaveLength(a.test.observed);
    // Each driving article is one the corpus wrote as a negative Roma story about Tampere that week.
    const planted = new Set(
      corpus.articles
        .filter((x) => x.groups.includes('roma') && x.tone === 'neg' && x.municipalities.includes(TAMPERE) && isoWeek(new Date(x.published)) === '2026-W45')
        .map((x) => x.title),
    );
    for (const art of ev.articles) expect(planted, art.title ?? '').toContain(art.title);
    expect(ev.terms.length).toBeGreaterThan(0);
    expect(ev.terms.every((t) => t.focusDocs >= 2)).toBe(true);
  });

  it('Lieksa 2026-W42 is marked low-coverage and raises no alert', () => {
    const cov = set.coverage.find((x) => x.municipalityCode === LIEKSA && x.week === '2026-W42')!;
    expect(cov.flag).toBe('low');
    expect(cov.reasons).toContain('few_articles');
    expect(cov.ratio!).toBeLessThan(catalogue.coverage.lowArticlesRatio);
    const lieksa = set.groupWeeks.filter((g) => g.municipalityCode === LIEKSA && g.week === '2026-W42');
    expect(lieksa.length).toBeGreaterThan(0);
    expect(lieksa.every((g) => !g.alert.fired)).toBe(true);
    // The other Lieksa weeks with a known usual level are not low.
    const others = set.coverage.filter((x) => x.municipalityCode === LIEKSA && x.week !== '2026-W42' && x.usual !== null);
    expect(others.length).toBeGreaterThan(4);
    expect(others.every((x) => x.flag === 'ok')).toBe(true);
  });

  it('syndicated copies count once: local articles equal the originals the analysis placed in each town', () => {
    const originals = c.store.db
      .prepare(
        `SELECT COUNT(*) n FROM articles a JOIN article_localities l ON l.article_id = a.id
         WHERE a.duplicate_of IS NULL AND l.municipality_code = ?`,
      )
      .get(TAMPERE) as { n: number };
    const counted = set.coverage.filter((x) => x.municipalityCode === TAMPERE).reduce((n, x) => n + x.articles, 0);
    expect(counted).toBe(originals.n);
    expect(c.store.counts().nearDuplicates).toBeGreaterThan(0);
  });
});
