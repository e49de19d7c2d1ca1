// The dashboard in headless Debian Chromium, as its users meet it: each role logs in through
// the form; an analyst filters articles, opens one, sees the evidence marked, corrects a tone
// and the municipality's indicator follows; a viewer cannot correct; an operator adds a feed,
// tests it against the fixture server and disables another; a title made of markup stays
// text; a change without the CSRF token is refused. Screenshots of the overview and an
// article page are kept in test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyseStored, feedInfoOf } from '../../src/pipeline/reanalyse.ts';
import { openAnalyser } from '../../src/pipeline/stages.ts';
import type { Role } from '../../src/web/auth.ts';
import { ARTIFACTS, PASSWORD, USERS, describeBrowser, launchChromium, startWebFixture, type WebFixture } from './harness.ts';

const TAMPERE = '837';
/** A string matches as itself, a pattern as a pattern. */
const textOf = (x: string | RegExp): RegExp => (typeof x === 'string' ? new RegExp(x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : x);
const XSS = '<img src=x onerror=alert(1)>';

describeBrowser('the dashboard in Chromium', () => {
  let fx: WebFixture;
  let browser: Browser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    fx = await startWebFixture();
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  async function loggedIn(role: Role): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // A step that cannot happen fails on its own line instead of timing the whole test out.
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      // Confirmations of our own forms (disable a feed) are accepted; anything else is a finding.
      void (d.type() === 'confirm' ? d.accept() : d.dismiss());
    });
    await page.goto(`${fx.url}/login`);
    await page.getByLabel('Käyttäjätunnus').fill(USERS[role]);
    await page.getByLabel('Salasana').fill(PASSWORD);
    await page.getByRole('button', { name: 'Kirjaudu' }).click();
    await page.waitForURL(`${fx.url}/`);
    expect(await page.locator('header .user').innerText()).toMatch(textOf(USERS[role]));
    return { context, page };
  }

  async function indicator(page: Page, id: string, week: string): Promise<number | null> {
    const res = await page.request.get(`${fx.url}/api/v1/indicators?municipality=${TAMPERE}&group=roma&from=${week}&to=${week}&indicator=${id}`);
    expect(res.status()).toBe(200);
    const rows = ((await res.json()) as { rows: { indicator: string; value: number | null }[] }).rows;
    return rows.find((r) => r.indicator === id)?.value ?? null;
  }

  it('every role logs in through the form; the overview is in Finnish and a screenshot is kept', async () => {
    for (const role of ['viewer', 'analyst', 'operator'] as const) {
      const { context, page } = await loggedIn(role);
      expect(await page.locator('html').getAttribute('lang')).toBe('fi');
      expect(await page.locator('h1').innerText()).toMatch(textOf('Yleiskuva'));
      // Only operators see the feed pages in the navigation.
      expect(await page.getByRole('link', { name: 'Syötteet' }).count()).toBe(role === 'operator' ? 1 : 0);
      if (role === 'analyst') {
        await page.goto(`${fx.url}/?week=2026-W45`);
        await page.screenshot({ path: join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });
      }
      await context.close();
    }
  });

  it('an analyst filters, opens an article with its evidence marked, corrects its tone, and the indicator follows', async () => {
    const { context, page } = await loggedIn('analyst');
    await page.goto(`${fx.url}/articles`);
    const filters = page.locator('form.article-filters');
    await filters.locator('select[name="municipality"]').selectOption(TAMPERE);
    await filters.locator('select[name="group"]').selectOption('roma');
    await filters.locator('select[name="week"]').selectOption('2026-W45');
    await filters.locator('select[name="tone"]').selectOption('neg');
    await filters.getByRole('button').click();
    await page.waitForURL(/group=roma/);
    const links = page.locator('table.articles tbody a[href^="/articles/"]');
    expect(await links.count()).toBeGreaterThan(0);

    const before = await indicator(page, 'negative_count', '2026-W45');
    expect(before).toBeGreaterThan(0);

    await links.first().click();
    await page.waitForURL(/\/articles\/\d+$/);
    const id = Number(/\/articles\/(\d+)$/.exec(page.url())![1]);
    // The evidence: group mentions of the Roma, and the words that set the tone.
    await page.locator('mark.group[data-group="roma"]').first().waitFor({ state: 'visible' });
    expect(await page.locator('mark.tone-neg').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-article.png'), fullPage: true });

    const form = page.locator('form.correction:has(input[name="group"][value="roma"])');
    await form.locator('select[name="tone"]').selectOption('pos');
    await form.locator('button[value="save"]').click();
    await page.waitForURL(/corrected=1/);
    await page.locator('.corrections .saved').first().waitFor({ state: 'visible' });
    expect(await page.locator('table.correction-history').innerText()).toMatch(textOf(USERS.analyst));

    const row = fx.ctx.store.db.prepare(`SELECT value, machine_value, username FROM corrections WHERE article_id = ? AND group_id = 'roma' AND field = 'tone' ORDER BY id DESC`).get(id);
    expect(row).toEqual({ value: 'pos', machine_value: 'neg', username: USERS.analyst });
    expect(await indicator(page, 'negative_count', '2026-W45')).toBe(before! - 1);

    // The municipality page counts the correction.
    await page.goto(`${fx.url}/m/${TAMPERE}?to=2026-W45`);
    expect(await page.locator('main').innerText()).toMatch(textOf(/korja/i));
    await context.close();
  });

  it('a viewer sees the evidence but no correction form, and a forged correction is refused', async () => {
    const { context, page } = await loggedIn('viewer');
    const id = fx.ctx.store.db.prepare(`SELECT article_id FROM article_groups WHERE group_id = 'roma' LIMIT 1`).pluck().get() as number;
    await page.goto(`${fx.url}/articles/${id}`);
    await page.locator('mark.group').first().waitFor({ state: 'visible' });
    expect(await page.locator('form.correction').count()).toBe(0);
    const csrf = await page.locator('form[action="/logout"] input[name="_csrf"]').getAttribute('value');
    const res = await page.request.post(`${fx.url}/articles/${id}/corrections`, { form: { _csrf: csrf!, group: 'roma', tone: 'pos', action: 'save' } });
    expect(res.status()).toBe(403);
    expect(fx.ctx.store.db.prepare(`SELECT COUNT(*) FROM corrections WHERE article_id = ? AND username = ?`).pluck().get(id, USERS.viewer)).toBe(0);
    await context.close();
  });

  it('an operator tests a new feed against the fixture server, saves it, and disables another', async () => {
    const { context, page } = await loggedIn('operator');
    await page.goto(`${fx.url}/feeds/new`);
    await page.locator('#f-id').fill('tampereen-testi');
    await page.locator('#f-name').fill('Tampereen testisyöte');
    await page.locator('#f-url').fill(`${fx.demo.url}/forssan-seutu/feed.xml`);
    await page.locator('#f-kind').selectOption('local_paper');
    await page.locator('#f-municipalities').selectOption('Tampere');
    await page.getByRole('button', { name: 'Testaa' }).click();
    // The check's result is shown on the form page, nothing is saved yet.
    expect(await page.locator('main').innerText()).toMatch(textOf('Forssan Seutu'));
    expect(readFileSync(fx.feedsFile, 'utf8')).not.toContain('tampereen-testi');
    await page.locator('button[value="save"]').click();
    await page.waitForURL(/\/feeds/);
    const saved = readFileSync(fx.feedsFile, 'utf8');
    expect(saved).toContain('id: tampereen-testi');
    expect(saved).toContain('# feeds of the offline demo corpus');
    expect(fx.ctx.config().feeds.some((f) => f.id === 'tampereen-testi')).toBe(true);

    await page.goto(`${fx.url}/feeds`);
    await page.locator('form[action="/feeds/lieksan-viesti/disable"] button').click();
    await page.waitForURL(/\/feeds/);
    expect(fx.ctx.config().feeds.find((f) => f.id === 'lieksan-viesti')!.enabled).toBe(false);
    await context.close();
  }, 90_000);

  it('an article titled with markup renders as text and runs nothing', async () => {
    const analyser = openAnalyser(fx.config);
    let id: number;
    try {
      const text = 'Tampereella romanit kertoivat kokemuksistaan asuntomarkkinoilla.';
      id = fx.ctx.store.saveArticle({
        url: 'https://lehti.test/xss-selain', finalUrl: null, canonicalUrl: null, title: XSS, lead: null, paragraphs: [text], text,
        published: '2026-11-20T10:00:00+02:00', modified: null, author: null, section: null, siteName: null, language: 'fi',
        paywalled: false, usedFeedFallback: false, wordCount: 7, httpStatus: 200, fetchedAt: Date.now(),
      }).articleId;
      fx.ctx.store.saveAnalysis(id, analyseStored({ id, title: XSS, text, language: 'fi', feeds: null }, feedInfoOf(fx.ctx.store), analyser));
    } finally {
      analyser.morphology.close();
    }
    const { context, page } = await loggedIn('analyst');
    const before = dialogs.length;
    await page.goto(`${fx.url}/articles/${id}`);
    expect(await page.locator('h1').innerText()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    await page.goto(`${fx.url}/articles?copies=1`);
    expect(await page.locator(`table.articles a[href="/articles/${id}"]`).innerText()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs.slice(before)).toEqual([]);
    await context.close();
  });

  it('a change request without the CSRF token is refused', async () => {
    const { context, page } = await loggedIn('analyst');
    const id = fx.ctx.store.db.prepare(`SELECT article_id FROM article_groups WHERE group_id = 'roma' LIMIT 1`).pluck().get() as number;
    const count = () => fx.ctx.store.db.prepare('SELECT COUNT(*) FROM corrections').pluck().get() as number;
    const n = count();
    const res = await page.request.post(`${fx.url}/articles/${id}/corrections`, { form: { group: 'roma', tone: 'neu', action: 'save' } });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('tarkiste');
    expect(count()).toBe(n);
    // The session is still good: the same request with the page's token goes through.
    await page.goto(`${fx.url}/articles/${id}`);
    const csrf = await page.locator('form.correction input[name="_csrf"]').first().getAttribute('value');
    const ok = await page.request.post(`${fx.url}/articles/${id}/corrections`, { form: { _csrf: csrf!, group: 'roma', tone: 'neu', action: 'save' }, maxRedirects: 0 });
    expect(ok.status()).toBe(303);
    expect(count()).toBeGreaterThan(n);
    await context.close();
  });
});
