// Analysts' corrections over HTTP: a judgement posted from the correction panel is stored with
// who and when, changes the municipality's indicators at once, survives re-analysis, and feeds
// the machine–analyst agreement shown on /agreement and by `mediamittari eval agreement`.
import { spawnSync } from 'node:child_process';
import type { FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config/load.ts';
import {
  addWeeks, computeIndicatorSet, groupIndicator, groupTags, indicatorsFile, loadIndicatorCatalogue, refreshIndicators, weekOf, type GroupWeek, type IndicatorCatalogue,
} from '../../src/indicators/index.ts';
import { reanalyse } from '../../src/pipeline/reanalyse.ts';
import { openAnalyser } from '../../src/pipeline/stages.ts';
import { correctionSummary } from '../../src/web/corrections/panel.ts';
import { USERS, csrfOf, startWebFixture, type WebFixture } from './harness.ts';

const TAMPERE = '837';

let fx: WebFixture;
let catalogue: IndicatorCatalogue;
let analyst: { cookie: string; csrf: string };

beforeAll(async () => {
  fx = await startWebFixture();
  catalogue = loadIndicatorCatalogue(indicatorsFile(fx.config.dir));
  const cookie = await fx.login('analyst');
  analyst = { cookie, csrf: csrfOf(fx, cookie) };
}, 300_000);
afterAll(async () => fx?.close());

interface Tag {
  id: number;
  group: string;
  tone: string;
  frame: string;
  voice: number;
  ts: number;
  week: string;
}

/** Group tags of Tampere's original articles, as the analysis made them, oldest first. */
function tampereTags(where = '1'): Tag[] {
  const rows = fx.ctx.store.db
    .prepare(
      `SELECT g.article_id id, g.group_id "group", g.tone, g.frame, g.voice, COALESCE(a.published_ts, a.fetched_at) ts
       FROM article_groups g JOIN articles a ON a.id = g.article_id
       WHERE a.duplicate_of IS NULL AND EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = '${TAMPERE}')
         AND ${where}
       ORDER BY ts, a.id, g.group_id`,
    )
    .all() as Omit<Tag, 'week'>[];
  return rows.map((r) => ({ ...r, week: weekOf(r.ts) }));
}

/** The municipality's figures for a group in a week, through the indicator computation. */
function groupWeek(week: string, group: string): GroupWeek | null {
  const set = computeIndicatorSet(fx.ctx.store, catalogue, { from: week, to: week, municipalities: [TAMPERE] });
  return set.groupWeeks.find((g) => g.week === week && g.group === group && g.municipalityCode === TAMPERE) ?? null;
}

function rowsOf(articleId: number): Record<string, unknown>[] {
  return fx.ctx.store.db.prepare('SELECT * FROM corrections WHERE article_id = ? ORDER BY id').all(articleId) as Record<string, unknown>[];
}

const correctionCount = () => fx.ctx.store.db.prepare('SELECT COUNT(*) FROM corrections').pluck().get() as number;

async function post(articleId: number, fields: Record<string, string>, who: { cookie?: string; csrf?: string } = analyst): Promise<Response> {
  return fetch(`${fx.url}/articles/${articleId}/corrections`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who.cookie ? { cookie: who.cookie } : {}) },
    body: new URLSearchParams({ ...(who.csrf ? { _csrf: who.csrf } : {}), ...fields }),
  });
}

function cli(args: string[]) {
  const r = spawnSync('npx', ['tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('an analyst corrects a group tag', () => {
  it('changing the tone of a Tampere article changes that group’s tone counts for its week at once', async () => {
    const a = tampereTags(`g.tone = 'neg'`)[0]!;
    const before = groupWeek(a.week, a.group)!;
    const negShareBefore = groupIndicator('negative_share', before)!.value!;
    const res = await post(a.id, { group: a.group, present: '1', tone: 'pos', frame: a.frame, voice: String(a.voice), note: 'sävy on myönteinen', action: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/articles/${a.id}?corrected=1`);
    // One row: only the tone changed; the machine value is what the analysis says.
    const rows = rowsOf(a.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ group_id: a.group, field: 'tone', value: 'pos', machine_value: 'neg', username: USERS.analyst, note: 'sävy on myönteinen' });
    expect(rows[0]!.user_id).toBe(fx.ctx.accounts.userByName(USERS.analyst)!.id);
    expect(Math.abs(Date.now() - (rows[0]!.created_at as number))).toBeLessThan(60_000);
    const after = groupWeek(a.week, a.group)!;
    expect(after.articles).toBe(before.articles);
    expect(after.neg).toBe(before.neg - 1);
    expect(after.pos).toBe(before.pos + 1);
    expect(groupIndicator('negative_share', after)!.value!).toBeLessThan(negShareBefore);
    // The panel, reached through the redirect, says it was saved.
    const page = await (await fetch(`${fx.url}/articles/${a.id}/corrections?corrected=1`, { headers: { cookie: analyst.cookie } })).text();
    expect(page).toContain('Tarkistus tallennettu');
  });

  it('history shows who changed what from what, and when; viewers see it read-only', async () => {
    const a = tampereTags(`g.tone = 'neg'`)[0]!;
    const page = await (await fetch(`${fx.url}/articles/${a.id}/corrections`, { headers: { cookie: analyst.cookie } })).text();
    const history = page.slice(page.indexOf('class="correction-history"'));
    expect(history).toContain(USERS.analyst);
    expect(history).toContain('kielteinen → myönteinen');
    expect(history).toContain('sävy on myönteinen');
    expect(history).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d\d<\/time>/);
    expect(page).toContain(`action="/articles/${a.id}/corrections"`);
    expect(page).toContain('name="_csrf"');
    // English on request.
    const en = await (await fetch(`${fx.url}/articles/${a.id}/corrections?lang=en`, { headers: { cookie: analyst.cookie } })).text();
    expect(en).toContain('negative → positive');
    for (const who of [await fx.login('viewer'), undefined]) {
      const ro = await (await fetch(`${fx.url}/articles/${a.id}/corrections`, { headers: who ? { cookie: who } : {} })).text();
      expect(ro).toContain(USERS.analyst);
      expect(ro).toContain('kielteinen → myönteinen');
      expect(ro).not.toContain(`action="/articles/${a.id}/corrections"`);
      expect(ro).not.toContain('name="tone"');
    }
  });

  it('marking a group wrong (present=0) drops the article from that group’s counts', async () => {
    const used = new Set(rowsOf(tampereTags(`g.tone = 'neg'`)[0]!.id).map((r) => r.article_id));
    const b = tampereTags().find((t) => !used.has(t.id))!;
    const before = groupWeek(b.week, b.group)!;
    const res = await post(b.id, { group: b.group, present: '0', tone: b.tone, frame: b.frame, voice: String(b.voice), action: 'save' });
    expect(res.status).toBe(303);
    // Only the presence is recorded: a group that is not there has no tone.
    expect(rowsOf(b.id).map((r) => [r.field, r.value, r.machine_value])).toEqual([['present', '0', '1']]);
    const after = groupWeek(b.week, b.group);
    expect(after?.articles ?? 0).toBe(before.articles - 1);
    expect(groupTags(fx.ctx.store, [b.id]).get(b.id)!.some((t) => t.group === b.group)).toBe(false);
  });

  it('adding a group the analysis missed adds the article to that group’s counts', async () => {
    const tagged = new Map<number, Set<string>>();
    for (const t of tampereTags()) tagged.set(t.id, (tagged.get(t.id) ?? new Set()).add(t.group));
    const judged = new Set(fx.ctx.store.db.prepare('SELECT article_id FROM corrections').pluck().all() as number[]);
    const c = tampereTags().find((t) => !judged.has(t.id))!;
    const group = ['roma', 'sami', 'somalis', 'jews', 'ukrainians'].find((g) => !tagged.get(c.id)!.has(g))!;
    const before = groupWeek(c.week, group);
    const res = await post(c.id, { group, present: '1', tone: 'neg', frame: 'victim_discrimination', voice: '1', action: 'add' });
    expect(res.status).toBe(303);
    expect(rowsOf(c.id).map((r) => [r.field, r.value, r.machine_value])).toEqual([
      ['present', '1', null],
      ['tone', 'neg', null],
      ['frame', 'victim_discrimination', null],
      ['voice', '1', null],
    ]);
    const after = groupWeek(c.week, group)!;
    expect(after.articles).toBe((before?.articles ?? 0) + 1);
    expect(after.neg).toBe((before?.neg ?? 0) + 1);
    expect(after.voice).toBe((before?.voice ?? 0) + 1);
    expect(after.frames.victim_discrimination).toBe((before?.frames.victim_discrimination ?? 0) + 1);
    // The panel now shows the group as added, with a form of its own.
    const page = await (await fetch(`${fx.url}/articles/${c.id}/corrections`, { headers: { cookie: analyst.cookie } })).text();
    expect(page).toContain(`name="group" value="${group}"`);
    expect(page).toContain('badge added');
  });

  it('confirming a tag stores every field as a confirmation and changes no count', async () => {
    const judged = new Set(fx.ctx.store.db.prepare('SELECT article_id FROM corrections').pluck().all() as number[]);
    const d = tampereTags().find((t) => !judged.has(t.id))!;
    const before = groupWeek(d.week, d.group)!;
    const res = await post(d.id, { group: d.group, present: '1', tone: d.tone, frame: d.frame, voice: String(d.voice), action: 'confirm' });
    expect(res.status).toBe(303);
    const rows = rowsOf(d.id);
    expect(rows.map((r) => r.field)).toEqual(['present', 'tone', 'frame', 'voice']);
    for (const r of rows) expect(r.value).toBe(r.machine_value);
    expect(groupWeek(d.week, d.group)).toEqual(before);
    // Saving without a change is refused rather than stored as nothing.
    const again = await post(d.id, { group: d.group, present: '1', tone: d.tone, frame: d.frame, voice: String(d.voice), action: 'save' });
    expect(again.status).toBe(400);
    expect(rowsOf(d.id)).toHaveLength(4);
  });

  it('the overview line counts the corrected articles, corrections and confirmations of the scope', async () => {
    const req = (role: 'viewer' | null, lang: 'fi' | 'en' = 'fi') =>
      ({ lang, viewer: { user: role ? fx.ctx.accounts.userByName(USERS[role]) : null, via: role ? 'session' : 'anonymous', csrf: null } }) as unknown as FastifyRequest;
    // So far in Tampere: a tone changed (1), a group marked wrong (1), a group added (4 fields), a tag confirmed (4 fields).
    expect(correctionSummary(fx.ctx, req('viewer'), { municipality: TAMPERE }).value).toContain('Analyytikot korjanneet 3 juttua (6 korjausta), vahvistaneet 4 tagia.');
    expect(correctionSummary(fx.ctx, req(null, 'en'), { municipality: TAMPERE }).value).toContain('Analysts corrected 3 articles (6 corrections) and confirmed 4 tags.');
    // Another town, and weeks before any corrected article, have none.
    expect(correctionSummary(fx.ctx, req(null), { municipality: '851' }).value).toContain('korjanneet 0 juttua (0 korjausta).');
    const a = tampereTags(`g.tone = 'neg'`)[0]!;
    expect(correctionSummary(fx.ctx, req(null), { municipality: TAMPERE, from: '2020-W01', to: addWeeks(a.week, -52) }).value).toContain('korjanneet 0 juttua');
    expect(correctionSummary(fx.ctx, req(null), { municipality: TAMPERE, from: a.week, to: a.week }).value).toMatch(/korjanneet [1-3] (jutun|juttua)/);
  });
});

describe('who may correct, and what', () => {
  it('a viewer’s POST is forbidden and stores nothing', async () => {
    const a = tampereTags()[0]!;
    const cookie = await fx.login('viewer');
    const n = correctionCount();
    const res = await post(a.id, { group: a.group, tone: a.tone === 'pos' ? 'neg' : 'pos', action: 'save' }, { cookie, csrf: csrfOf(fx, cookie) });
    expect(res.status).toBe(403);
    expect(correctionCount()).toBe(n);
  });

  it('a POST without the CSRF token is refused, even from an analyst, and anonymous POSTs too', async () => {
    const a = tampereTags()[0]!;
    const n = correctionCount();
    expect((await post(a.id, { group: a.group, tone: 'neu' }, { cookie: analyst.cookie })).status).toBe(403);
    expect((await post(a.id, { group: a.group, tone: 'neu' }, { cookie: analyst.cookie, csrf: 'väärä' })).status).toBe(403);
    expect((await post(a.id, { group: a.group, tone: 'neu' }, {})).status).toBe(403);
    expect(correctionCount()).toBe(n);
  });

  it('bad input is a 400 naming the field, and nothing is stored', async () => {
    const a = tampereTags()[0]!;
    const n = correctionCount();
    const cases: [Record<string, string>, RegExp][] = [
      [{ group: 'martians', tone: 'neg' }, /group: tuntematon ryhmä &quot;martians&quot;/],
      [{ group: a.group, tone: 'angry' }, /tone: tuntematon sävy &quot;angry&quot;; sallitut: neg, neu, pos/],
      [{ group: a.group, frame: 'weather' }, /frame: tuntematon kehys &quot;weather&quot;/],
      [{ group: a.group, present: '2' }, /present: &quot;2&quot; ei kelpaa/],
      [{ group: a.group, voice: 'yes' }, /voice: &quot;yes&quot; ei kelpaa/],
      [{ tone: 'neg' }, /group: ryhmä puuttuu/],
      [{ group: a.group }, /Anna ainakin yksi/],
      // A valid tone and a bad frame: the whole judgement is refused.
      [{ group: a.group, tone: a.tone === 'neg' ? 'pos' : 'neg', frame: 'weather' }, /frame:/],
    ];
    for (const [fields, message] of cases) {
      const res = await post(a.id, { ...fields, action: 'save' });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    const en = await fetch(`${fx.url}/articles/${a.id}/corrections?lang=en`, { headers: { cookie: analyst.cookie } });
    expect(en.status).toBe(200);
    const res = await post(a.id, { group: a.group, tone: 'angry' }, { ...analyst, cookie: `${analyst.cookie}; mm_lang=en` });
    expect(await res.text()).toMatch(/tone: unknown tone &quot;angry&quot;; expected one of neg, neu, pos/);
    expect((await post(999_999, { group: a.group, tone: 'neg' })).status).toBe(404);
    expect(correctionCount()).toBe(n);
  });
});

describe('re-analysis', () => {
  it('never overwrites a correction: it still stands and still applies in the indicators', async () => {
    const judged = new Set(fx.ctx.store.db.prepare('SELECT article_id FROM corrections').pluck().all() as number[]);
    // The latest article, so that re-analysing from its date on re-tags only a few.
    const r = tampereTags().filter((t) => !judged.has(t.id)).at(-1)!;
    const tone = r.tone === 'neg' ? 'pos' : 'neg';
    expect((await post(r.id, { group: r.group, tone, action: 'save' })).status).toBe(303);
    const corrected = groupWeek(r.week, r.group)!;
    const analysedBefore = fx.ctx.store.db.prepare('SELECT analysed_at FROM analyses WHERE article_id = ?').pluck().get(r.id) as number;

    const summary = await reanalyse(fx.ctx.store, openAnalyser(fx.ctx.config()), { all: true, since: r.ts });
    expect(summary.analysed).toBeGreaterThanOrEqual(1);
    expect(fx.ctx.store.db.prepare('SELECT analysed_at FROM analyses WHERE article_id = ?').pluck().get(r.id)).toBeGreaterThan(analysedBefore);
    // The analysis says what it said; the correction row is untouched and still the latest.
    expect(fx.ctx.store.db.prepare('SELECT tone FROM article_groups WHERE article_id = ? AND group_id = ?').pluck().get(r.id, r.group)).toBe(r.tone);
    expect(rowsOf(r.id).map((x) => [x.field, x.value, x.machine_value])).toEqual([['tone', tone, r.tone]]);
    // Recounting the re-analysed week applies it again.
    const refresh = refreshIndicators(fx.ctx.store);
    expect(refresh.weeks).toContain(r.week);
    expect(groupWeek(r.week, r.group)).toEqual(corrected);
    expect(groupTags(fx.ctx.store, [r.id]).get(r.id)!.find((t) => t.group === r.group)!.tone).toBe(tone);
  }, 120_000);
});

describe('machine–analyst agreement', () => {
  it('/agreement shows alpha per week with n, and the disagreements linked to their articles; analysts only', async () => {
    const a = tampereTags(`g.tone = 'neg'`)[0]!;
    const res = await fetch(`${fx.url}/agreement`, { headers: { cookie: analyst.cookie } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Krippendorffin alfa');
    expect(page).toContain(`<th scope="row">${a.week}</th>`);
    expect(page).toMatch(/n = \d+/);
    expect(page).toContain(`href="/articles/${a.id}"`);
    expect(page).toContain('Erimielisyydet');
    const viewer = await fx.login('viewer');
    expect((await fetch(`${fx.url}/agreement`, { headers: { cookie: viewer } })).status).toBe(403);
    expect((await fetch(`${fx.url}/agreement?from=viikko`, { headers: { cookie: analyst.cookie } })).status).toBe(400);
    const later = await (await fetch(`${fx.url}/agreement?from=2099-W01`, { headers: { cookie: analyst.cookie } })).text();
    expect(later).toContain('eivät ole vielä tarkistaneet');
  });

  it('`eval agreement` prints per-week alpha from a store with corrections; exit codes 2 and 3', () => {
    const copy = join(fx.dir, 'agreement.db');
    fx.ctx.store.db.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
    const json = cli(['--db', copy, 'eval', 'agreement', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      weeks: ({ week: string } & Record<string, { n: number; agreed: number; alpha: number | null }>)[];
      total: Record<string, { n: number; agreed: number; alpha: number | null }>;
      disagreements: { article: number; field: string; machine: string; analyst: string }[];
    };
    const a = tampereTags(`g.tone = 'neg'`)[0]!;
    const week = report.weeks.find((w) => w.week === a.week)!;
    expect(week.tone!.n).toBeGreaterThanOrEqual(1);
    expect(report.total.tone!.n).toBe(report.weeks.reduce((s, w) => s + w.tone!.n, 0));
    // Tone judgements so far: corrections (disagree) and a confirmation (agrees), so alpha is defined.
    expect(report.total.tone!.agreed).toBeGreaterThanOrEqual(1);
    expect(report.total.tone!.agreed).toBeLessThan(report.total.tone!.n);
    expect(typeof report.total.tone!.alpha).toBe('number');
    expect(report.disagreements).toContainEqual(expect.objectContaining({ article: a.id, field: 'tone', machine: 'neg', analyst: 'pos' }));

    const text = cli(['--db', copy, 'eval', 'agreement', '--from', a.week, '--to', a.week]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${a.week}\\s+(-?\\d\\.\\d{3}|undef\\.) \\(n=\\d+\\)`, 'm'));
    expect(text.stdout).toMatch(/^all\s/m);

    const bad = cli(['--db', copy, 'eval', 'agreement', '--from', '2026-W60']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: "2026-W60" is not an ISO week');
    expect(cli(['--db', join(fx.dir, 'no-such.db'), 'eval', 'agreement']).code).toBe(3);
  }, 180_000);
});
