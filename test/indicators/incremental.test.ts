// Counts are kept up to date week by week: a new article recounts its week, a re-analysis the
// week it touched, an analyst's correction the week of its article; and the result always
// equals a full recount.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupTags } from '../../src/indicators/articles.ts';
import { markDirty, readCounts, recomputeAll, refreshIndicators } from '../../src/indicators/counts.ts';
import { FixtureStore, tempDir } from './helpers.ts';

let fx: FixtureStore;

const W10 = '2026-03-03T10:00:00+02:00';
const W11 = '2026-03-10T10:00:00+02:00';
const W12 = '2026-03-17T10:00:00+02:00';

function counts(): string[] {
  return readCounts(fx.store, '2000-W01', '2100-W01')
    .map((r) => `${r.week} ${r.municipality_code} ${r.group_id || '*'} a${r.articles} m${r.mentions} -${r.neg} =${r.neu} +${r.pos} v${r.voice} ${JSON.stringify(r.frames)}`)
    .sort();
}

/** Counts after a full recount of the same store: what every incremental state must equal. */
function fullRecount(): string[] {
  recomputeAll(fx.store);
  return counts();
}

beforeEach(() => {
  fx = new FixtureStore(join(tempDir('mm-ind-inc-'), 'store.db'));
  fx.municipality('061', 'Forssa').feed('f1', ['061']);
  fx.article({ localities: ['061'], published: W10, groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }] });
  fx.article({ localities: ['061'], published: W11, groups: [{ group: 'roma', tone: 'pos', frame: 'culture_community' }] });
  fx.article({ localities: ['061'], published: W12 });
});
afterEach(() => fx.close());

describe('incremental counts', () => {
  it('the first refresh counts everything; an unchanged store recounts nothing', () => {
    const first = refreshIndicators(fx.store);
    expect(first.full).toBe(true);
    expect(first.weeks).toEqual(['2026-W10', '2026-W11', '2026-W12']);
    const again = refreshIndicators(fx.store);
    expect(again.full).toBe(false);
    expect(again.weeks).toEqual([]);
  });

  it('a new article recounts its own week only', () => {
    refreshIndicators(fx.store);
    fx.article({ localities: ['061'], published: '2026-03-12T10:00:00+02:00', groups: [{ group: 'roma', tone: 'neg', frame: 'threat_burden', voice: true }] });
    const r = refreshIndicators(fx.store);
    expect(r.weeks).toEqual(['2026-W11']);
    expect(counts()).toContain('2026-W11 061 roma a2 m2 -1 =0 +1 v1 {"culture_community":1,"threat_burden":1}');
    const incremental = counts();
    expect(fullRecount()).toEqual(incremental);
  });

  it('a new original published before an existing copy moves the copy out of the count', () => {
    refreshIndicators(fx.store);
    // A copy stored first (W12), then its earlier original (W11): the store re-points the copy.
    const copy = fx.article({ localities: ['061'], published: W12, groups: [{ group: 'sami', tone: 'neu', frame: 'other' }] });
    refreshIndicators(fx.store);
    expect(counts()).toContain('2026-W12 061 sami a1 m1 -0 =1 +0 v0 {"other":1}');
    const original = fx.article({ localities: ['061'], published: W11, groups: [{ group: 'sami', tone: 'neu', frame: 'other' }] });
    fx.db.prepare('UPDATE articles SET duplicate_of = ? WHERE id = ?').run(original, copy);
    const r = refreshIndicators(fx.store);
    expect(r.weeks).toEqual(['2026-W11', '2026-W12']);
    expect(counts().filter((c) => c.includes('sami'))).toEqual(['2026-W11 061 sami a1 m1 -0 =1 +0 v0 {"other":1}']);
    const incremental = counts();
    expect(fullRecount()).toEqual(incremental);
  });

  it('a re-analysis recounts the week it touched', () => {
    refreshIndicators(fx.store);
    fx.analyse(3, { localities: ['061'], groups: [{ group: 'immigrants', tone: 'neg', frame: 'crime_security' }], analysedAt: Date.parse('2026-07-01T00:00:00Z') });
    const r = refreshIndicators(fx.store);
    expect(r.weeks).toEqual(['2026-W12']);
    expect(counts()).toContain('2026-W12 061 immigrants a1 m1 -1 =0 +0 v0 {"crime_security":1}');
  });

  it('a re-analysis in the same millisecond as the last one is not missed', () => {
    const t = Date.parse('2026-06-01T00:00:00Z'); // the fixture's analysis time
    refreshIndicators(fx.store);
    fx.analyse(2, { localities: ['061'], groups: [{ group: 'roma', tone: 'neg', frame: 'crime_security' }], analysedAt: t });
    // Same time as before: indistinguishable by time alone, and the count at that time did not change…
    expect(refreshIndicators(fx.store).weeks).toEqual([]);
    // …so such writers mark what they touched.
    expect(markDirty(fx.store, [2])).toEqual(['2026-W11']);
    expect(refreshIndicators(fx.store).weeks).toEqual(['2026-W11']);
    expect(counts()).toContain('2026-W11 061 roma a1 m1 -1 =0 +0 v0 {"crime_security":1}');
  });

  it('a feed town added to a stored, unanalysed article (a second feed lists it) recounts its week', () => {
    fx.municipality('837', 'Tampere').municipality('091', 'Helsinki');
    const id = fx.article({ feedTowns: ['061'], published: W11, analysed: false });
    refreshIndicators(fx.store);
    expect(counts()).not.toContain('2026-W11 837 * a1 m0 -0 =0 +0 v0 {}');
    fx.store.db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, '837', 'feed')`).run(id);
    expect(refreshIndicators(fx.store).weeks).toEqual(['2026-W11']);
    expect(counts()).toContain('2026-W11 837 * a1 m0 -0 =0 +0 v0 {}');
    const incremental = counts();
    expect(fullRecount()).toEqual(incremental);
    // Once analysed, its localities count instead, and a later feed town changes nothing.
    fx.analyse(id, { localities: ['061'] });
    refreshIndicators(fx.store);
    fx.store.db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, '091', 'feed')`).run(id);
    expect(refreshIndicators(fx.store).weeks).toEqual([]);
  });

  it('articles never analysed count for their feeds’ towns, read one by one or in bulk', () => {
    // 1 unanalysed among 103 originals is looked up by id; the hand-made fixture (1 in 16) takes the bulk path.
    fx.municipality('837', 'Tampere');
    for (let i = 0; i < 100; i++) fx.article({ localities: ['061'], published: W12 });
    fx.article({ feedTowns: ['061', '837'], published: W12, analysed: false });
    refreshIndicators(fx.store);
    expect(counts()).toEqual(expect.arrayContaining(['2026-W12 061 * a102 m0 -0 =0 +0 v0 {}', '2026-W12 837 * a1 m0 -0 =0 +0 v0 {}']));
  });

  it('analysts’ corrections override tone, frame, voice and presence, and recount their week', () => {
    refreshIndicators(fx.store);
    const correct = fx.db.prepare(`INSERT INTO corrections (article_id, group_id, field, value, username, created_at) VALUES (?, ?, ?, ?, 'aino', 0)`);
    correct.run(1, 'roma', 'tone', 'neu');
    correct.run(1, 'roma', 'tone', 'pos'); // the latest correction wins
    correct.run(1, 'roma', 'frame', 'victim_discrimination');
    correct.run(1, 'roma', 'voice', '1');
    correct.run(2, 'roma', 'present', '0'); // not about the Roma after all
    correct.run(3, 'sami', 'present', '1'); // missed by the analysis
    correct.run(3, 'sami', 'tone', 'neg');
    const r = refreshIndicators(fx.store);
    expect(r.weeks).toEqual(['2026-W10', '2026-W11', '2026-W12']);
    const after = counts();
    expect(after).toContain('2026-W10 061 roma a1 m1 -0 =0 +1 v1 {"victim_discrimination":1}');
    expect(after.some((c) => c.startsWith('2026-W11 061 roma'))).toBe(false);
    expect(after).toContain('2026-W12 061 sami a1 m0 -1 =0 +0 v0 {"other":1}');
    expect(fullRecount()).toEqual(after);
    // The article lists apply the same corrections.
    const tags = groupTags(fx.store, [1, 2, 3]);
    expect(tags.get(1)).toEqual([{ group: 'roma', tone: 'pos', toneScore: 1, frame: 'victim_discrimination', voice: true, mentions: 1 }]);
    expect(tags.get(2)).toEqual([]);
    expect(tags.get(3)).toEqual([{ group: 'sami', tone: 'neg', toneScore: -1, frame: 'other', voice: false, mentions: 0 }]);
    // Taking a correction back (a later row) is a change too.
    correct.run(2, 'roma', 'present', '1');
    expect(refreshIndicators(fx.store).weeks).toEqual(['2026-W11']);
    expect(counts()).toContain('2026-W11 061 roma a1 m1 -0 =0 +1 v0 {"culture_community":1}');
  });
});

describe('count generations (the key of views cached per span of weeks)', () => {
  it('change for a span when one of its weeks is recounted, and only then', async () => {
    const { countsGeneration } = await import('../../src/indicators/counts.ts');
    const { cachedBaseline } = await import('../../src/web/analyst/cache.ts');
    refreshIndicators(fx.store);
    const w10to11 = countsGeneration(fx.store, '2026-W10', '2026-W11');
    const w12 = countsGeneration(fx.store, '2026-W12', '2026-W12');
    expect(countsGeneration(fx.store, '2025-W01', '2025-W52')).toBe('0.0');
    // W12's baseline of two weeks is W10–W11: kept until one of those is recounted.
    let computed = 0;
    const view = () => {
      cachedBaseline(fx.store, '061', '2026-W12', 2, () => {
        computed++;
        return ['Kirjasto avataan.'];
      });
      return computed;
    };
    expect(view()).toBe(1);
    expect(view()).toBe(1);

    // A new article in W12: W12's generation moves, the span W10–W11 and its cached view stay.
    fx.article({ localities: ['061'], published: '2026-03-18T10:00:00+02:00' });
    refreshIndicators(fx.store);
    expect(countsGeneration(fx.store, '2026-W12', '2026-W12')).not.toBe(w12);
    expect(countsGeneration(fx.store, '2026-W10', '2026-W11')).toBe(w10to11);
    expect(view()).toBe(1);

    // A re-analysis marked in W11 (tags changed): the span moves and the view is computed again.
    markDirty(fx.store, [2]);
    refreshIndicators(fx.store);
    expect(countsGeneration(fx.store, '2026-W10', '2026-W11')).not.toBe(w10to11);
    expect(view()).toBe(2);
    expect(view()).toBe(2);

    // A full recount renews every week.
    const before = countsGeneration(fx.store, '2026-W10', '2026-W12');
    recomputeAll(fx.store);
    expect(countsGeneration(fx.store, '2026-W10', '2026-W12')).not.toBe(before);
    expect(view()).toBe(3);
  });
});
