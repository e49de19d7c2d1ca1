// Filters select exactly the slice asked for; periods are Helsinki days and ISO weeks; bad
// requests are refused with a message naming the value and what is accepted.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportArticles,
  ExportRequestError,
  loadCatalogue,
  parsePeriodBound,
  resolveRequest,
  type Catalogue,
  type RawExportOptions,
} from '../../src/export/index.ts';
import { buildFixture, type Fixture, type FixtureArticle } from './fixture.ts';

let fx: Fixture;
let cat: Catalogue;
beforeAll(() => {
  fx = buildFixture();
  cat = loadCatalogue(fx.config, fx.store.db);
});
afterAll(() => {
  fx?.store.close();
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

async function ids(raw: Omit<RawExportOptions, 'format'>): Promise<number[]> {
  const chunks: Buffer[] = [];
  await exportArticles(fx.store, resolveRequest({ ...raw, format: 'jsonl' }, cat), (c) => {
    chunks.push(Buffer.from(c));
  });
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: number }).id);
}

const idsOf = (pred: (a: FixtureArticle) => boolean) => fx.articles.filter(pred).map((a) => a.id);
const key = (k: string) => fx.articles.find((a) => a.key === k)!.id;

describe('period', () => {
  it('days and ISO weeks are Helsinki time, both ends included, across the change from summer time', () => {
    expect(parsePeriodBound('2026-10-25', 'from').at).toBe(Date.parse('2026-10-25T00:00:00+03:00'));
    expect(parsePeriodBound('2026-10-25', 'to').at).toBe(Date.parse('2026-10-26T00:00:00+02:00'));
    expect(parsePeriodBound('2026-W45', 'from').at).toBe(Date.parse('2026-11-02T00:00:00+02:00'));
    expect(parsePeriodBound('2026-W45', 'to').at).toBe(Date.parse('2026-11-09T00:00:00+02:00'));
    expect(parsePeriodBound('2026-W53', 'from').at).toBe(Date.parse('2026-12-28T00:00:00+02:00'));
    expect(() => parsePeriodBound('2025-W53', 'from')).toThrow(/no such ISO week/);
    expect(() => parsePeriodBound('2026-02-30', 'from')).toThrow(/expected a date/);
    expect(() => parsePeriodBound('yesterday', 'to')).toThrow(/--to yesterday/);
  });

  it('selects by publication time, or fetch time when a page gave none', async () => {
    // a8 is Sunday 21:59 Helsinki time: still week 45; a3 is the Saturday before the clocks change.
    expect(await ids({ from: '2026-W45', to: '2026-W45' })).toEqual(
      idsOf((a) => a.published !== null && a.published >= '2026-11-02' && Date.parse(a.published) < Date.parse('2026-11-09T00:00:00+02:00')),
    );
    expect(await ids({ to: '2026-10-24' })).toEqual([key('a3')]);
    expect(await ids({ from: '2026-10-25', to: '2026-10-31' })).toEqual([key('a4')]);
    // a5 has no publication time; it was fetched on 2026-11-12.
    expect(await ids({ from: '2026-11-12', to: '2026-11-12' })).toEqual([key('a5')]);
  });
});

describe('filters', () => {
  it('municipality by code, Finnish or Swedish name, any case, repeated or comma-separated', async () => {
    const tornio = idsOf((a) => a.analysed && a.municipalities.includes('851'));
    expect(await ids({ municipality: ['851'] })).toEqual(tornio);
    expect(await ids({ municipality: ['torneå'] })).toEqual(tornio);
    expect(await ids({ municipality: ['TORNIO'] })).toEqual(tornio);
    expect(await ids({ municipality: ['Forssa,422'] })).toEqual(idsOf((a) => a.analysed && (a.municipalities.includes('061') || a.municipalities.includes('422'))));
    expect(await ids({ municipality: ['Forssa', 'Lieksa'] })).toEqual(await ids({ municipality: ['061,422'] }));
  });

  it('group, and tone / frame of that group; without a group, of the article', async () => {
    expect(await ids({ group: ['roma'] })).toEqual(idsOf((a) => a.mentions.some((m) => m.group === 'roma')));
    expect(await ids({ group: ['roma'], tone: ['neg'] })).toEqual([key('a1')]);
    // a8 is neutral as an article, but negative for immigrants.
    expect(await ids({ group: ['immigrants'], tone: ['neg'] })).toEqual([key('a8')]);
    expect(await ids({ tone: ['neg'] })).toEqual([key('a1')]);
    expect(await ids({ group: ['immigrants'], frame: ['integration_work'] })).toEqual([key('a2')]);
    expect(await ids({ frame: ['integration_work', 'policy_admin'] })).toEqual([key('a2'), key('a4'), key('a7')]);
    expect(await ids({ group: ['sami,ukrainians'] })).toEqual([key('a3'), key('a7')]);
  });

  it('language, source feed, originals only', async () => {
    expect(await ids({ language: ['sv'] })).toEqual([key('a3')]);
    expect(await ids({ source: ['lieksan-lehti'] })).toEqual([key('a4')]);
    expect(await ids({ source: ['forssan-lehti', 'lapin-kansa'] })).toEqual(idsOf((a) => a.feed === 'forssan-lehti' || a.feed === 'lapin-kansa'));
    const all = await ids({});
    expect(all).toHaveLength(fx.articles.length);
    expect(await ids({ originals: true })).toEqual(all.filter((id) => id !== key('a26')));
  });

  it('filters combine: all of them apply', async () => {
    expect(await ids({ group: ['roma', 'immigrants'], municipality: ['Tampere'], language: ['fi'], source: ['aamulehti'], from: '2026-11-03', to: '2026-11-08' })).toEqual([
      key('a1'),
      key('a8'),
    ]);
    expect(await ids({ group: ['roma'], language: ['sv'] })).toEqual([]);
  });
});

describe('bad requests', () => {
  const refuse = (raw: Omit<RawExportOptions, 'format'> & { format?: RawExportOptions['format'] }) => {
    try {
      resolveRequest({ format: 'csv', ...raw }, cat);
    } catch (e) {
      expect(e).toBeInstanceOf(ExportRequestError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('unknown group, municipality, tone, frame, language, feed: named, with what is known', () => {
    expect(refuse({ group: ['romani'] })).toMatch(/--group romani: unknown group; known: .*roma/);
    expect(refuse({ municipality: ['Espoo'] })).toMatch(/--municipality Espoo: unknown municipality; known: .*Tampere \(837\)/);
    expect(refuse({ tone: ['negative'] })).toMatch(/--tone negative: unknown tone; known: neg, neu, pos/);
    expect(refuse({ frame: ['crime'] })).toMatch(/--frame crime: unknown frame; known: .*crime_security/);
    expect(refuse({ language: ['de'] })).toMatch(/--language de: unknown language; known: fi, sv, en/);
    expect(refuse({ source: ['hs'] })).toMatch(/--source hs: unknown feed/);
  });

  it('--from after --to, a BOM for a format without one; several problems reported at once', () => {
    expect(refuse({ from: '2026-W46', to: '2026-W45' })).toMatch(/--from 2026-W46 is after --to 2026-W45/);
    expect(refuse({ from: '2026-11-05', to: '2026-11-04' })).toMatch(/is after/);
    expect(refuse({ format: 'jsonl', bom: true })).toMatch(/--bom is for CSV only/);
    const many = refuse({ group: ['x'], municipality: ['y'], from: 'z' }).split('\n');
    expect(many).toHaveLength(3);
  });

  it('a group that is no longer in the catalogue but has stored articles is still known', () => {
    fx.store.db.prepare(`INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, 'karelians', 1, 'neu', 0, 'other', 0)`).run(key('a24'));
    const fresh = loadCatalogue(fx.config, fx.store.db);
    expect(resolveRequest({ format: 'csv', group: ['karelians'] }, fresh).filters.groups).toEqual(['karelians']);
    fx.store.db.prepare(`DELETE FROM article_groups WHERE group_id = 'karelians'`).run();
  });
});
