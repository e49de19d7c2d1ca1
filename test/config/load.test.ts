import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/load.ts';
import { ConfigError, parseBytes, parseDuration } from '../../src/config/yamlFile.ts';

function configDir(feeds: string, settings?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm-config-'));
  copyFileSync(join(DEFAULT_CONFIG_DIR, 'municipalities.yaml'), join(dir, 'municipalities.yaml'));
  writeFileSync(join(dir, 'feeds.yaml'), feeds);
  if (settings) writeFileSync(join(dir, 'settings.yaml'), settings);
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('shipped config', () => {
  it('loads the seven pilot towns and the real feeds', () => {
    const c = loadConfig();
    expect(c.municipalities.map((m) => `${m.code} ${m.nameFi}`)).toEqual([
      '061 Forssa', '102 Huittinen', '422 Lieksa', '543 Nurmijärvi', '564 Oulu', '837 Tampere', '851 Tornio',
    ]);
    expect(c.feeds.length).toBeGreaterThanOrEqual(17);
    const yle = c.feeds.find((f) => f.id === 'yle-pirkanmaa')!;
    expect(yle.municipalities).toEqual(['837']); // region Pirkanmaa expands to Tampere
    expect(yle.kind).toBe('regional_broadcaster');
    expect(c.feeds.every((f) => f.url.startsWith('https://'))).toBe(true);
    expect(c.settings.http.allowPrivateAddresses).toBe(false);
    expect(c.settings.userAgent).toMatch(/^Mediamittari\/\S+ \(.*mailto:/);
  });
});

describe('feed validation', () => {
  it('names file, line, field and the fix for an unknown municipality', () => {
    const dir = configDir(`feeds:
  - id: ok-feed
    url: https://example.org/rss
    kind: local_paper
    municipalities: [Forssa]
  - id: bad-town
    url: https://example.org/rss2
    kind: local_paper
    municipalities: [Forssa, Turku]
`);
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^9 feeds\[1\]\.municipalities\[1\]: unknown municipality "Turku"; expected a code or name/);
  });

  it('collects every mistake in one pass, each with its line', () => {
    const dir = configDir(`feeds:
  - id: Bad Id
    url: ftp://example.org/feed
    kind: newspaper
    municipalities: [Oulu]
    interval: soon
    enabled: yes please
    intervall: 5m
`);
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toEqual([
      expect.stringMatching(/^8 feeds\[0\]\.intervall: unknown field/),
      expect.stringMatching(/^2 feeds\[0\]\.id: expected an id of lower-case letters/),
      expect.stringMatching(/^3 feeds\[0\]\.url: expected an http or https URL, got scheme "ftp:"/),
      expect.stringMatching(/^4 feeds\[0\]\.kind: expected one of local_paper, regional_broadcaster, city, got "newspaper"/),
      expect.stringMatching(/^6 feeds\[0\]\.interval: expected a duration such as 30s/),
      expect.stringMatching(/^7 feeds\[0\]\.enabled: expected true or false/),
    ]);
  });

  it('accepts codes (even unquoted) and Swedish names, rejects duplicates and towns-less feeds', () => {
    const dir = configDir(`feeds:
  - id: a
    url: https://example.org/a
    kind: city
    municipalities: [61, "837", Uleåborg]
  - id: a
    url: https://example.org/b
    kind: city
    region: Varsinais-Suomi
`);
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toEqual([
      expect.stringMatching(/^6 feeds\[1\]: feed "a" covers no municipality/),
      expect.stringMatching(/^6 feeds\[1\]\.id: duplicate feed id "a" \(first at line 2\)/),
    ]);
    const ok = configDir(`feeds:
  - id: a
    url: https://example.org/a
    kind: city
    municipalities: [61, "837", Uleåborg]
`);
    expect(loadConfig({ dir: ok }).feeds[0]!.municipalities).toEqual(['061', '837', '564']);
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = configDir(`feeds:
  - id: a
    url: "https://example.org/a
    kind: city
`);
    expect(problemsOf(() => loadConfig({ dir }))[0]).toMatch(/^\d+ : YAML syntax/);
  });

  it('resolves relative feed URLs against a base (the demo server)', () => {
    const dir = configDir(`feeds:
  - id: demo
    url: /demo/feed.xml
    kind: local_paper
    municipalities: [Lieksa]
`);
    expect(loadConfig({ dir, baseUrl: 'http://127.0.0.1:1234' }).feeds[0]!.url).toBe('http://127.0.0.1:1234/demo/feed.xml');
    expect(problemsOf(() => loadConfig({ dir }))[0]).toMatch(/url: expected an absolute http\(s\) URL/);
  });
});

describe('settings validation', () => {
  it('reads durations and sizes and rejects nonsense with the line', () => {
    const dir = configDir('feeds: []\n', `http:
  total_timeout: 45s
  max_body: 2MB
  host_max_concurrency: 0
store:
  path: /tmp/x.db
`);
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toEqual([expect.stringMatching(/^4 http\.host_max_concurrency: expected a number in 1…32, got 0/)]);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('x')).toBeNull();
    expect(parseBytes('10MB')).toBe(10 * 1024 * 1024);
  });
});
