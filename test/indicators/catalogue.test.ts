// config/indicators.yaml: the shipped catalogue loads, and mistakes are reported with file and line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/yamlFile.ts';
import { COMPUTED, loadIndicatorCatalogue } from '../../src/indicators/definitions.ts';
import { tempDir } from './helpers.ts';

function load(text: string): ConfigError | ReturnType<typeof loadIndicatorCatalogue> {
  const path = join(tempDir('mm-ind-cat-'), 'indicators.yaml');
  writeFileSync(path, text);
  try {
    return loadIndicatorCatalogue(path);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

const GOOD = `indicators:
  - id: salience
    name_fi: Näkyvyys
    name_en: Salience
    domain: attitudes
    unit: share
    interval: wilson
    definition: { numerator: a, denominator: b }
    definition_fi: { numerator: c, denominator: d }
`;

describe('indicator catalogue', () => {
  it('the shipped file defines every computed indicator, each in the DESIGN domains', () => {
    const c = loadIndicatorCatalogue();
    expect(c.indicators.map((d) => d.id).sort()).toEqual(Object.keys(COMPUTED).sort());
    const domains = Object.fromEntries(c.indicators.map((d) => [d.id, d.domain]));
    expect(domains).toMatchObject({
      salience: 'attitudes', tone_balance: 'attitudes', negative_share: 'attitudes', threat_framing: 'sense_of_safety',
      victim_framing: 'sense_of_safety', interaction_coverage: 'interaction', voice_share: 'participation', alert: 'early_warning',
    });
    expect(c.alerts).toEqual({ baselineWeeks: 12, minBaselineWeeks: 4, minCount: 3, maxP: 0.001, priorCount: 0.5, priorWeeks: 1 });
    expect(c.coverage.lowArticlesRatio).toBe(0.5);
  });

  it('a minimal file loads with default settings', () => {
    const c = load(GOOD);
    expect(c).not.toBeInstanceOf(ConfigError);
    if (c instanceof ConfigError) return;
    expect(c.indicators[0]).toMatchObject({ id: 'salience', nameEn: 'Salience', scope: 'group', definition: { numerator: 'a', denominator: 'b' } });
    expect(c.alerts.baselineWeeks).toBe(12);
  });

  it('reports every mistake with its line', () => {
    const e = load(`alerts:
  min_count: 0
  max_pp: 0.01
indicators:
  - id: salience
    name_fi: Näkyvyys
    name_en: Salience
    domain: feelings
    unit: count
    interval: wilson
    definition: { numerator: a, denominator: b }
    definition_fi: { numerator: c, denominator: d }
  - id: happiness
    name_fi: Onni
    name_en: Happiness
    domain: attitudes
    unit: share
    interval: wilson
    definition: { numerator: a }
    definition_fi: { numerator: c, denominator: d }
`);
    expect(e).toBeInstanceOf(ConfigError);
    const lines = (e as ConfigError).problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^2 alerts\.min_count: expected a number in 1…/),
      expect.stringMatching(/^3 alerts\.max_pp: unknown field/),
      expect.stringMatching(/^8 indicators\[0\]\.domain: expected one of attitudes, sense_of_safety/),
      expect.stringMatching(/^9 indicators\[0\]\.unit: salience is computed as a share, not a count/),
      expect.stringMatching(/^13 indicators\[1\]\.id: unknown indicator "happiness"/),
      expect.stringMatching(/^19 indicators\[1\]\.definition\.denominator: is required/),
    ]));
    expect((e as ConfigError).message).toContain('indicators.yaml:8:');
  });

  it('rejects a duplicate id and a baseline shorter than its minimum', () => {
    const e = load(`coverage:\n  baseline_weeks: 3\n  min_baseline_weeks: 5\n${GOOD}${GOOD.slice('indicators:\n'.length)}`);
    expect(e).toBeInstanceOf(ConfigError);
    const messages = (e as ConfigError).problems.map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/must not exceed baseline_weeks/), expect.stringMatching(/duplicate indicator salience/)]));
  });
});
