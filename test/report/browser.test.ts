// The weekly summary opened in headless Chromium, as an analyst would open the file: no
// console errors, no network requests of any kind, a title containing <script> shown as text,
// and a screenshot kept in test-artifacts/ for a human to look at.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config/load.ts';
import { loadIndicatorCatalogue, refreshIndicators } from '../../src/indicators/index.ts';
import { buildWeeklyReport, writeWeeklyReport, type WrittenReport } from '../../src/report/index.ts';
import type { FixtureStore } from '../indicators/helpers.ts';
import { seedFromDemoCorpus } from './seed.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const msg = `\n!!! ${CHROMIUM} is missing: the report browser test is ${process.env.CI === 'true' ? 'FAILING (CI=true)' : 'SKIPPED'}. Install it with: apt-get install -y chromium\n`;
  process.stderr.write(msg);
}

const TITLE = '<script>document.title="pwned"</script> Romanit & "naapurit"';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

let fx: FixtureStore;
let browser: BrowserContext;
let files: { fi: WrittenReport; en: WrittenReport };

describe.runIf(available || process.env.CI === 'true')('weekly summary in headless Chromium', () => {
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing; CI must install the Debian package "chromium"`);
    fx = seedFromDemoCorpus();
    fx.article({
      published: '2026-11-05T18:00:00+02:00',
      title: TITLE,
      url: 'https://demo.example.fi/tampereen-viikko/otsikko',
      localities: ['837'],
      groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security', toneScore: -5 }],
    });
    refreshIndicators(fx.store);
    const catalogue = loadIndicatorCatalogue();
    const dir = mkdtempSync(join(tmpdir(), 'mm-report-html-'));
    const opts = { week: '2026-W45', municipalities: ['837'], now: Date.parse('2026-11-28T10:00:00Z') };
    files = {
      fi: writeWeeklyReport(buildWeeklyReport(fx.store, catalogue, { ...opts, lang: 'fi' }), dir),
      en: writeWeeklyReport(buildWeeklyReport(fx.store, catalogue, { ...opts, lang: 'en' }), dir),
    };
    // A fresh profile each run: nothing cached, nothing remembered between runs.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mm-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    fx?.close();
  });

  for (const lang of ['fi', 'en'] as const) {
    it(`opens the ${lang} report with no console errors and no requests; the <script> title is text`, async () => {
      const file = files[lang].html;
      const url = pathToFileURL(file).href;
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      // Everything but the report file itself is refused and recorded.
      await page.route('**/*', (route) => {
        if (route.request().url() === url) return route.continue();
        requests.push(route.request().url());
        return route.abort();
      });
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: 'load' });

      expect(await page.title()).toContain('2026-W45');
      expect(await page.title()).not.toBe('pwned');
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      // The hostile title is on the page as text, in the notable articles and the alert.
      const shown = page.getByText(TITLE, { exact: true });
      expect(await shown.count()).toBeGreaterThanOrEqual(2);
      expect(await shown.first().isVisible()).toBe(true);
      expect(await page.locator('svg').count()).toBe(3);
      expect(await page.locator('.alert').count()).toBe(1);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `report-2026-W45-tampere-${lang}.png`), fullPage: true });
      await page.close();
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(existsSync(join(ARTIFACTS, `report-2026-W45-tampere-${lang}.png`))).toBe(true);
    }, 60_000);
  }
});

if (!available && process.env.CI !== 'true') {
  it.skip(`weekly summary in headless Chromium: needs ${CHROMIUM} (apt-get install -y chromium)`, () => {});
}
