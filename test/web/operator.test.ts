// The operator's feed pages over HTTP: the feed list with health, testing and adding a feed,
// editing and disabling feeds in feeds.yaml without losing its comments, refusing a config
// that would not load or a form older than the file, who may do it, and a running collector
// taking an added feed in without a restart.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { addWeeks, weekEnd, weekOf, weekStart } from '../../src/indicators/week.ts';
import { createLogger } from '../../src/log/logger.ts';
import { collectForever, openCollector } from '../../src/pipeline/collector.ts';
import { contentHash } from '../../src/web/operator/feedsFile.ts';
import { ARTIFACTS, csrfOf, describeBrowser, launchChromium, startWebFixture, type WebFixture } from './harness.ts';

let fx: WebFixture;
const logLines: string[] = [];
let original: string;

// Comments in the places an operator writes them: a file header, before a feed, at the end
// of a line, and after the last feed.
function withComments(text: string): string {
  return (
    text
      .replace('feeds:\n', '# Operator notes: keep local papers first.\nfeeds:\n')
      .replace('  - id: lieksan-viesti\n', '  # Lieksa: the paper comes out twice a week\n  - id: lieksan-viesti\n')
      .replace(/(id: huittisten-sanomat[\s\S]*?interval: 1h)/, '$1 # the paper updates hourly at most') + '# end of feeds\n'
  );
}
const COMMENTS = ['# Operator notes: keep local papers first.\nfeeds:\n', '  # Lieksa: the paper comes out twice a week\n  - id: lieksan-viesti\n', ' # the paper updates hourly at most\n', '    enabled: true\n# end of feeds\n'];

beforeAll(async () => {
  fx = await startWebFixture({ log: createLogger({ level: 'info', format: 'json', write: (line) => logLines.push(line) }) });
  original = withComments(readFileSync(fx.feedsFile, 'utf8'));
  writeFileSync(fx.feedsFile, original);
  expect(fx.ctx.config().feeds.length).toBe(10);
}, 300_000);
afterAll(async () => fx?.close());

type Fields = Record<string, string | string[]>;

async function get(path: string, cookie?: string) {
  const res = await fetch(`${fx.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function post(path: string, cookie: string | undefined, fields: Fields) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const res = await fetch(`${fx.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body,
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

function doc(page: string): Document {
  return new JSDOM(page).window.document;
}

/** What the page's feed form would submit as it stands. */
function formFields(page: string): Fields {
  const form = doc(page).querySelector('form.feed-form') as HTMLFormElement;
  expect(form).not.toBeNull();
  const out: Fields = {};
  for (const el of Array.from(form.elements)) {
    if (el.tagName === 'SELECT') {
      const select = el as HTMLSelectElement;
      out[select.name] = select.multiple ? Array.from(select.selectedOptions).map((o) => o.value) : select.value;
    } else if (el.tagName === 'INPUT') {
      const input = el as HTMLInputElement;
      if (input.type !== 'checkbox') out[input.name] = input.value;
      else if (input.checked) out[input.name] = input.value;
    }
  }
  return out;
}

function fieldError(page: string, field: string): string {
  return doc(page).querySelector(`#err-${field}`)?.textContent ?? '';
}

function feedsText(): string {
  return readFileSync(fx.feedsFile, 'utf8');
}

function expectComments(text: string): void {
  for (const c of COMMENTS) expect(text).toContain(c);
}

/** The lines of `after` that are not in `before`, and the other way round. */
function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

function noTempFiles(): void {
  expect(readdirSync(fx.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('who may use the operator pages', () => {
  it('anonymous visitors are sent to log in; viewers and analysts are refused', async () => {
    for (const path of ['/feeds', '/feeds/new', '/feeds/forssan-seutu/edit']) {
      const anon = await get(path);
      expect(anon.status).toBe(303);
      expect(anon.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      for (const role of ['viewer', 'analyst'] as const) {
        expect((await get(path, await fx.login(role))).status).toBe(403);
      }
    }
  });

  it('an analyst with a valid form check still cannot change feeds, and nothing is written', async () => {
    const before = feedsText();
    const cookie = await fx.login('analyst');
    const csrf = csrfOf(fx, cookie);
    const add = await post('/feeds', cookie, { _csrf: csrf, base: contentHash(before), id: 'luvaton', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: 'Forssa', enabled: '1' });
    expect(add.status).toBe(403);
    expect((await post('/feeds/forssan-seutu/disable', cookie, { _csrf: csrf })).status).toBe(403);
    expect((await post('/feeds/test', cookie, { _csrf: csrf, url: `${fx.demo.url}/forssan-seutu/feed.xml` })).status).toBe(403);
    expect(feedsText()).toBe(before);
  });

  it('an operator change without the form check is refused (CSRF)', async () => {
    const before = feedsText();
    const cookie = await fx.login('operator');
    const add = await post('/feeds', cookie, { base: contentHash(before), id: 'ilman-tarkistetta', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: 'Forssa' });
    expect(add.status).toBe(403);
    expect((await post('/feeds/forssan-seutu/disable', cookie, {})).status).toBe(403);
    expect((await post('/feeds/forssan-seutu/disable', cookie, { _csrf: 'väärä' })).status).toBe(403);
    expect(feedsText()).toBe(before);
    expect(fx.ctx.config().feeds.find((f) => f.id === 'forssan-seutu')!.enabled).toBe(true);
  });
});

describe('without Redis', () => {
  it('there are no queue pages', async () => {
    const cookie = await fx.login('operator');
    expect((await get('/queues', cookie)).status).toBe(404);
    expect((await get('/queues/board/', cookie)).status).toBe(404);
    expect((await get('/feeds', cookie)).text).not.toContain('href="/queues"');
  });
});

describe('the feed list', () => {
  it('shows every configured feed with its health, articles, items per week and actions', async () => {
    const cookie = await fx.login('operator');
    const page = await get('/feeds', cookie);
    expect(page.status).toBe(200);
    const d = doc(page.text);
    const config = fx.ctx.config();
    const articles = new Map(fx.ctx.store.articlesPerFeed().map((r) => [r.feed_id, r.articles]));
    // The items of the last 12 Helsinki weeks, counted here straight from the store.
    const now = Date.now();
    const from = weekStart(addWeeks(weekOf(now), -11));
    const to = weekEnd(weekOf(now));
    for (const feed of config.feeds) {
      const row = d.querySelector(`tr[data-feed="${feed.id}"]`)!;
      expect(row, feed.id).not.toBeNull();
      expect(row.textContent).toContain(feed.name);
      expect(row.querySelector('.badge')!.textContent).toBe('kunnossa');
      const times = row.querySelectorAll('time');
      expect(times[0]!.getAttribute('datetime')).toBe(new Date(fx.ctx.store.feed(feed.id)!.last_success_at!).toISOString());
      expect(times[1]!.getAttribute('datetime')).toBe(new Date(fx.ctx.store.feed(feed.id)!.last_attempt_at!).toISOString());
      expect(row.querySelectorAll('td.num')[1]!.textContent).toBe(String(articles.get(feed.id)));
      expect(articles.get(feed.id)).toBeGreaterThan(0);
      const svg = row.querySelector('svg.spark')!;
      expect(svg.querySelectorAll('rect')).toHaveLength(12);
      const expected = (
        fx.ctx.store.db
          .prepare(`SELECT COUNT(*) n FROM feed_items WHERE feed_id = ? AND COALESCE(CAST(strftime('%s', published_at) AS INTEGER) * 1000, first_seen_at) BETWEEN ? AND ?`)
          .get(feed.id, from, to - 1) as { n: number }
      ).n;
      expect(svg.getAttribute('aria-label')).toBe(`${expected} uutista 12 viikossa`);
      const bars = Array.from(svg.querySelectorAll('title')).map((t) => Number(t.textContent!.split(': ')[1]));
      expect(bars.reduce((a, b) => a + b, 0)).toBe(expected);
      expect(row.querySelector(`a[href="/feeds/${feed.id}/edit"]`)).not.toBeNull();
      const disable = row.querySelector(`form[action="/feeds/${feed.id}/disable"]`)!;
      expect(disable.querySelector('input[name="_csrf"]')!.getAttribute('value')).toBe(csrfOf(fx, cookie));
    }
    expect(d.querySelector('a[href="/feeds/new"]')!.textContent).toBe('Lisää syöte');
    const en = await get('/feeds?lang=en', cookie);
    expect(en.text).toContain('Add feed');
    expect(en.text).toContain('Items per week (12 wk)');
  });
});

describe('adding a feed', () => {
  const url = () => `${fx.demo.url}/tampere-kaupunki/ajankohtaista/rss`;

  it('tests the address first (items shown, nothing saved), then saves it into feeds.yaml with its comments kept', async () => {
    const cookie = await fx.login('operator');
    const form = await get('/feeds/new', cookie);
    expect(form.status).toBe(200);
    const fields = formFields(form.text);
    expect(fields.base).toBe(contentHash(feedsText()));
    expect(fields._csrf).toBe(csrfOf(fx, cookie));
    const filled = { ...fields, id: 'tampere-kaupunki-kopio', name: 'Tampereen kaupunki (kopio)', url: url(), kind: 'city', municipalities: ['Tampere'], interval: '2h' };

    const before = feedsText();
    const tested = await post('/feeds/test', cookie, { ...filled, action: 'test' });
    expect(tested.status).toBe(200);
    const d = doc(tested.text);
    const result = d.querySelector('.feed-test')!;
    expect(result).not.toBeNull();
    expect(result.querySelector('.ok')!.textContent).toMatch(/: 20 uutista$/);
    expect(result.querySelectorAll('ol.test-items li')).toHaveLength(5);
    expect(result.querySelector('ol.test-items a')!.getAttribute('href')).toMatch(new RegExp(`^${fx.demo.url}/tampere-kaupunki/`));
    // The form comes back as it was filled in, ready to save.
    const again = formFields(tested.text);
    expect(again.url).toBe(url());
    expect(again.municipalities).toEqual(['Tampere']);
    expect(again.base).toBe(fields.base);
    expect(feedsText()).toBe(before);
    expect(fx.ctx.config().feeds.some((f) => f.id === 'tampere-kaupunki-kopio')).toBe(false);

    const saved = await post('/feeds', cookie, { ...again, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/feeds?saved=tampere-kaupunki-kopio');
    const after = feedsText();
    expectComments(after);
    // The new feed comes after the last one, written like the others; nothing else changes.
    expect(after).toBe(
      before.replace(
        '# end of feeds\n',
        ['  - id: tampere-kaupunki-kopio', '    name: Tampereen kaupunki (kopio)', `    url: ${url()}`, '    kind: city', '    municipalities: [Tampere]', '    interval: 2h', '    enabled: true', '# end of feeds', ''].join('\n'),
      ),
    );
    const feed = fx.ctx.config().feeds.find((f) => f.id === 'tampere-kaupunki-kopio')!;
    expect(feed).toMatchObject({ url: url(), kind: 'city', municipalities: ['837'], intervalMs: 7_200_000, enabled: true });
    noTempFiles();
    expect(logLines.some((l) => /"feed added"/.test(l) && /"feed":"tampere-kaupunki-kopio"/.test(l) && /"by":"olli"/.test(l))).toBe(true);

    const list = doc((await get(saved.location!, cookie)).text);
    expect(list.querySelector('p.ok')!.textContent).toContain('tampere-kaupunki-kopio');
    const row = list.querySelector('tr[data-feed="tampere-kaupunki-kopio"]')!;
    expect(row.querySelector('.badge')!.textContent).toBe('ei vielä haettu');
    expect(row.textContent).toContain('Keruu ei ole vielä ottanut tätä muutosta käyttöön.');
  });

  it('a failing test shows why, and a test never writes', async () => {
    const cookie = await fx.login('operator');
    const fields = formFields((await get('/feeds/new', cookie)).text);
    const before = feedsText();
    const missing = await post('/feeds/test', cookie, { ...fields, url: `${fx.demo.url}/ei-ole/feed.xml`, action: 'test' });
    expect(missing.status).toBe(200);
    expect(doc(missing.text).querySelector('.feed-test .error')!.textContent).toMatch(/404/);
    const notFeed = await post('/feeds/test', cookie, { ...fields, url: `${fx.demo.url}/`, action: 'test' });
    expect(doc(notFeed.text).querySelector('.feed-test .error')!.textContent).toMatch(/not an RSS or Atom feed|not XML|malformed/);
    expect(feedsText()).toBe(before);
  });

  it('an invalid address is shown beside its field and nothing is written', async () => {
    const cookie = await fx.login('operator');
    const fields = formFields((await get('/feeds/new', cookie)).text);
    const before = feedsText();
    for (const bad of ['ftp://example.com/feed.xml', 'http://exa mple.com/feed']) {
      const res = await post('/feeds', cookie, { ...fields, id: 'huono-osoite', url: bad, kind: 'local_paper', municipalities: ['Oulu'], action: 'save' });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'url')).toMatch(bad.startsWith('ftp') ? /expected an http or https URL, got scheme "ftp:"/ : /expected an absolute http\(s\) URL/);
      expect(doc(res.text).querySelector('input[name="url"]')!.getAttribute('aria-invalid')).toBe('true');
      expect(formFields(res.text).url).toBe(bad);
    }
    expect(feedsText()).toBe(before);
    noTempFiles();
  });

  it('an unknown municipality, or a duplicate id, is shown beside its field and nothing is written', async () => {
    const cookie = await fx.login('operator');
    const fields = formFields((await get('/feeds/new', cookie)).text);
    const before = feedsText();
    const turku = await post('/feeds', cookie, { ...fields, id: 'turun-lehti', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: ['Oulu', 'Turku'], action: 'save' });
    expect(turku.status).toBe(422);
    expect(fieldError(turku.text, 'municipalities')).toMatch(/unknown municipality "Turku"; expected a code or name from municipalities.yaml/);
    // The form keeps the unknown choice so the operator sees what was refused.
    expect(formFields(turku.text).municipalities).toEqual(['Oulu', 'Turku']);
    const none = await post('/feeds', cookie, { ...fields, id: 'ei-kuntia', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', action: 'save' });
    expect(none.status).toBe(422);
    expect(fieldError(none.text, 'municipalities')).toMatch(/covers no municipality/);
    const dup = await post('/feeds', cookie, { ...fields, id: 'forssan-seutu', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: ['Forssa'], action: 'save' });
    expect(dup.status).toBe(422);
    expect(fieldError(dup.text, 'id')).toMatch(/duplicate feed id "forssan-seutu"/);
    expect(feedsText()).toBe(before);
    noTempFiles();
  });
});

describe('editing feeds', () => {
  it("changing another feed's interval changes that one line and keeps every comment", async () => {
    const cookie = await fx.login('operator');
    const form = await get('/feeds/huittisten-sanomat/edit', cookie);
    expect(form.status).toBe(200);
    const fields = formFields(form.text);
    expect(fields).toMatchObject({ id: 'huittisten-sanomat', name: 'Huittisten Sanomat', url: '/huittisten-sanomat/rss.php', kind: 'local_paper', municipalities: ['Huittinen'], interval: '1h', enabled: '1' });
    const before = feedsText();
    const res = await post('/feeds/huittisten-sanomat', cookie, { ...fields, interval: '3h', action: 'save' });
    expect(res.status).toBe(303);
    const after = feedsText();
    expectComments(after);
    expect(lineDiff(before, after)).toEqual({
      added: ['    interval: 3h # the paper updates hourly at most'],
      removed: ['    interval: 1h # the paper updates hourly at most'],
    });
    expect(fx.ctx.config().feeds.find((f) => f.id === 'huittisten-sanomat')!.intervalMs).toBe(3 * 3_600_000);
    expect(logLines.some((l) => /"feed edited"/.test(l) && /"feed":"huittisten-sanomat"/.test(l) && /"by":"olli"/.test(l))).toBe(true);
  });

  it('the id is not renamed by an edit, and an unknown feed is a 404', async () => {
    const cookie = await fx.login('operator');
    const fields = formFields((await get('/feeds/oulun-paiva/edit', cookie)).text);
    const res = await post('/feeds/oulun-paiva', cookie, { ...fields, id: 'jokin-muu', name: 'Oulun Päivä (uusi nimi)', action: 'save' });
    expect(res.status).toBe(303);
    const feed = fx.ctx.config().feeds.find((f) => f.id === 'oulun-paiva')!;
    expect(feed.name).toBe('Oulun Päivä (uusi nimi)');
    expect(fx.ctx.config().feeds.some((f) => f.id === 'jokin-muu')).toBe(false);
    expect((await get('/feeds/ei-tallaista/edit', cookie)).status).toBe(404);
    const csrf = csrfOf(fx, cookie);
    expect((await post('/feeds/ei-tallaista', cookie, { ...fields, _csrf: csrf, base: contentHash(feedsText()) })).status).toBe(404);
    expect((await post('/feeds/ei-tallaista/disable', cookie, { _csrf: csrf })).status).toBe(404);
  });

  it('disabling writes enabled: false, enabling puts it back as it was', async () => {
    const cookie = await fx.login('operator');
    const csrf = csrfOf(fx, cookie);
    const before = feedsText();
    const off = await post('/feeds/tornion-rajaseutu/disable', cookie, { _csrf: csrf });
    expect(off.status).toBe(303);
    expect(off.location).toBe('/feeds?disabled=tornion-rajaseutu');
    expect(feedsText()).toBe(before.replace(/(id: tornion-rajaseutu\n(?: {4}.*\n)*? {4}enabled: )true\n/, '$1false\n'));
    expect(feedsText()).not.toBe(before);
    expectComments(feedsText());
    expect(fx.ctx.config().feeds.find((f) => f.id === 'tornion-rajaseutu')!.enabled).toBe(false);
    const row = doc((await get('/feeds', cookie)).text).querySelector('tr[data-feed="tornion-rajaseutu"]')!;
    expect(row.querySelector('.badge')!.textContent).toBe('pois käytöstä');
    expect(row.querySelector('form[action="/feeds/tornion-rajaseutu/enable"]')).not.toBeNull();
    expect(logLines.some((l) => /"feed disabled"/.test(l) && /"by":"olli"/.test(l))).toBe(true);

    const on = await post('/feeds/tornion-rajaseutu/enable', cookie, { _csrf: csrf });
    expect(on.status).toBe(303);
    expect(feedsText()).toBe(before);
    expect(fx.ctx.config().feeds.find((f) => f.id === 'tornion-rajaseutu')!.enabled).toBe(true);
  });

  it('a form loaded before someone else changed the file is refused, and their change stays', async () => {
    const cookie = await fx.login('operator');
    const form = await get('/feeds/lieksan-viesti/edit', cookie);
    const fields = formFields(form.text);
    const newForm = formFields((await get('/feeds/new', cookie)).text);
    // Someone edits the file by hand meanwhile.
    const theirs = feedsText().replace('name: Lieksan Viesti', 'name: Lieksan Viesti (käsin)');
    writeFileSync(fx.feedsFile, theirs);

    const res = await post('/feeds/lieksan-viesti', cookie, { ...fields, interval: '4h', action: 'save' });
    expect(res.status).toBe(409);
    const d = doc(res.text);
    expect(d.querySelector('.error-summary')!.textContent).toContain('Syötetiedostoa on muutettu');
    expect(d.querySelector('dl.current')!.textContent).toContain('Lieksan Viesti (käsin)');
    expect(feedsText()).toBe(theirs);
    const added = await post('/feeds', cookie, { ...newForm, id: 'myohassa', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: ['Forssa'], action: 'save' });
    expect(added.status).toBe(409);
    expect(feedsText()).toBe(theirs);

    // Having seen the change, the operator may save over it deliberately: the page carries the new hash.
    const deliberate = formFields(res.text);
    expect(deliberate.base).toBe(contentHash(theirs));
    const ok = await post('/feeds/lieksan-viesti', cookie, { ...deliberate, action: 'save' });
    expect(ok.status).toBe(303);
    expect(feedsText()).toContain('interval: 4h');
    expectComments(feedsText());
  });
});

describe('a running collector', () => {
  it('takes a feed added on the page in without a restart, and polls it', async () => {
    const configOptions = fx.ctx.configOptions;
    const c = openCollector(loadConfig(configOptions), { log: createLogger({ level: 'error', write: () => undefined }) });
    const abort = new AbortController();
    const seen: string[][] = [];
    const running = collectForever(c, abort.signal, { configOptions, tickMs: 100, onConfig: (cfg) => seen.push(cfg.feeds.map((f) => f.id)) });
    try {
      const cookie = await fx.login('operator');
      const fields = formFields((await get('/feeds/new', cookie)).text);
      const saved = await post('/feeds', cookie, { ...fields, id: 'forssan-seutu-2', name: 'Forssan Seutu 2', url: `${fx.demo.url}/forssan-seutu/feed.xml`, kind: 'local_paper', municipalities: ['Forssa'], enabled: '1', action: 'save' });
      expect(saved.status).toBe(303);
      const until = Date.now() + 60_000;
      while (!(c.store.feed('forssan-seutu-2')?.last_success_at) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(seen.some((ids) => ids.includes('forssan-seutu-2'))).toBe(true);
      expect(c.config.feeds.some((f) => f.id === 'forssan-seutu-2')).toBe(true);
      expect(c.store.feed('forssan-seutu-2')!.last_success_at).not.toBeNull();
    } finally {
      abort.abort();
      await c.runner.stop();
      await running;
      await c.close();
    }
    // The dashboard reads the same store: the feed is polled there too.
    const row = doc((await get('/feeds', await fx.login('operator'))).text).querySelector('tr[data-feed="forssan-seutu-2"]')!;
    expect(row.querySelector('.badge')!.textContent).not.toBe('ei vielä haettu');
    expect(row.textContent).not.toContain('Keruu ei ole vielä ottanut');
  }, 120_000);
});

describeBrowser('in a browser', () => {
  it('an operator tests an address with the Test button, then saves the feed', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name, value] = (await fx.login('operator')).split('=') as [string, string];
      await context.addCookies([{ name, value, url: fx.url }]);
      const page = await context.newPage();
      const cspErrors: string[] = [];
      const broken: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) broken.push(`${r.status()} ${r.url()}`);
      });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.goto(`${fx.url}/feeds`);
      await page.screenshot({ path: join(ARTIFACTS, 'operator-feeds.png'), fullPage: true });
      await page.getByRole('link', { name: 'Lisää syöte' }).click();
      await page.getByLabel('Tunniste').fill('selain-lisasi');
      await page.getByLabel('Nimi').fill('Selaimella lisätty');
      await page.getByLabel('Osoite (RSS tai Atom)').fill(`${fx.demo.url}/lieksan-viesti/rss/uutiset`);
      await page.getByLabel('Kunnat').selectOption(['Lieksa']);
      await page.getByRole('button', { name: 'Testaa' }).click();
      await page.locator('.feed-test .ok').waitFor();
      expect(page.url()).toBe(`${fx.url}/feeds/test`);
      expect(await page.locator('.feed-test ol.test-items li').count()).toBe(5);
      await page.screenshot({ path: join(ARTIFACTS, 'operator-feed-test.png'), fullPage: true });
      expect(fx.ctx.config().feeds.some((f) => f.id === 'selain-lisasi')).toBe(false);
      await page.getByRole('button', { name: 'Tallenna' }).click();
      await page.waitForURL(/\/feeds\?saved=selain-lisasi$/);
      await page.locator('tr[data-feed="selain-lisasi"]').waitFor();
      expect(fx.ctx.config().feeds.find((f) => f.id === 'selain-lisasi')).toMatchObject({ name: 'Selaimella lisätty', municipalities: ['422'] });
      expectComments(feedsText());
      expect(cspErrors).toEqual([]);
      expect(broken).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
