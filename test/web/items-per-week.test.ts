// The feeds page's sparkline: items per feed and Helsinki week, dated by the feed's
// publication time, else by when the item was first seen; weeks outside the window and other
// feeds' items not counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { weekEnd, weekStart } from '../../src/indicators/week.ts';
import { Store } from '../../src/store/store.ts';
import { itemsPerWeek } from '../../src/web/operator/feedList.ts';

let dir: string;
let store: Store;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mm-items-week-'));
  store = new Store(join(dir, 'store.db'));
  store.syncConfig(loadConfig());
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('items per week', () => {
  it('counts dated items by publication and undated ones by first sight, per feed and Helsinki week', () => {
    const [a, b] = store.feeds().map((f) => f.id);
    const item = (key: string, publishedAt: string | null) => ({ itemKey: key, url: `https://lehti.test/${key}`, guid: null, title: key, description: null, author: null, publishedAt });
    const iso = (ms: number) => new Date(ms).toISOString();
    // Monday 00:30 in Helsinki is still Sunday in UTC: it belongs to the new week.
    const w48 = weekStart('2026-W48');
    store.recordFeedItems(a!, [item('a1', iso(w48 + 30 * 60_000)), item('a2', iso(w48 - 60_000)), item('a3', iso(weekEnd('2026-W48') - 1))], w48);
    store.recordFeedItems(a!, [item('a4', null)], w48 + 3_600_000); // undated, first seen in W48
    store.recordFeedItems(a!, [item('a5', null)], weekStart('2026-W40')); // outside the window
    store.recordFeedItems(b!, [item('b1', iso(weekStart('2026-W46') + 1)), item('b2', '2025-01-01T00:00:00.000Z')], w48);
    const { weeks, counts } = itemsPerWeek(store, weekEnd('2026-W48') - 1, 4);
    expect(weeks).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(counts.get(a!)).toEqual([0, 0, 1, 3]);
    expect(counts.get(b!)).toEqual([0, 1, 0, 0]);
    expect(store.feeds().slice(2).every((f) => !counts.has(f.id))).toBe(true);
  });
});
