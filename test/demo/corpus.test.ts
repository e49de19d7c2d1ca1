// Checks the hand-written demo corpus against its specification: enough articles from
// every source in every week, ground truth that is usable, the hard negatives present,
// and the two planted weeks in place. These fail while an article file is incomplete.

import { describe, it, expect } from 'vitest';
import { loadDemoCorpus, isoWeek, DEMO_GROUPS, type DemoArticle } from '../../src/demo/index.ts';
import { CORPUS_WEEKS } from '../../src/demo/stats.ts';

const corpus = loadDemoCorpus();
const { sources, articles } = corpus;
const weekOf = (a: DemoArticle): string => isoWeek(new Date(a.published));

const TARGETS: Record<string, number> = {
  'forssan-seutu': 30,
  'huittisten-sanomat': 28,
  'lieksan-viesti': 28,
  'nurmijarven-uutiset': 30,
  'oulun-paiva': 36,
  'tampereen-viikko': 40,
  'tornion-rajaseutu': 28,
  alueradio: 50,
  'tampere-kaupunki': 20,
};
const TOWNS: Record<string, string> = {
  '061': 'Forssa', '102': 'Huittinen', '422': 'Lieksa', '543': 'Nurmijärvi',
  '564': 'Oulu', '837': 'Tampere', '851': 'Tornio',
};

describe('demo corpus: sources and feeds', () => {
  it('has the nine sources and at least eight feeds', () => {
    expect(sources.map((s) => s.id).sort()).toEqual(Object.keys(TARGETS).sort());
    expect(sources.flatMap((s) => s.feeds).length).toBeGreaterThanOrEqual(8);
  });

  it('has about the planned number of articles per source', () => {
    const counts = Object.fromEntries(sources.map((s) => [s.id, articles.filter((a) => a.source === s.id).length]));
    for (const [id, target] of Object.entries(TARGETS)) {
      expect(counts[id], `${id}: ${counts[id]} articles, planned ~${target}`).toBeGreaterThanOrEqual(Math.floor(target * 0.85));
      expect(counts[id], `${id}: ${counts[id]} articles, planned ~${target}`).toBeLessThanOrEqual(Math.ceil(target * 1.2));
    }
    expect(articles.length).toBeGreaterThanOrEqual(270);
  });

  it('gives every article a unique URL and id', () => {
    expect(new Set(articles.map((a) => a.url)).size).toBe(articles.length);
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
  });
});

describe('demo corpus: time', () => {
  it('keeps every date inside 2026-W36 … 2026-W47', () => {
    for (const a of articles) expect(CORPUS_WEEKS, a.id).toContain(weekOf(a));
  });

  it('spreads each source over the weeks', () => {
    for (const s of sources) {
      const weeks = new Set(articles.filter((a) => a.source === s.id).map(weekOf));
      // one quiet week (Lieksa W42) is planted, so one empty week is allowed
      expect(weeks.size, `${s.id} has articles in ${weeks.size} weeks`).toBeGreaterThanOrEqual(11);
    }
  });

  it('has news about every configured town in every week', () => {
    for (const [code, name] of Object.entries(TOWNS)) {
      const weeks = new Set(articles.filter((a) => a.municipalities.includes(code)).map(weekOf));
      const missing = CORPUS_WEEKS.filter((w) => !weeks.has(w));
      expect(missing, `${name} has no articles in ${missing.join(', ')}`).toEqual([]);
    }
  });
});

describe('demo corpus: texts and ground truth', () => {
  it('keeps bodies at 3–7 paragraphs and 700–2,000 characters', () => {
    const off = articles
      .filter((a) => a.paragraphs.length < 3 || a.paragraphs.length > 7 || a.body.length < 700 || a.body.length > 2000)
      .map((a) => `${a.id} (${a.paragraphs.length} paragraphs, ${a.body.length} chars)`);
    expect(off).toEqual([]);
  });

  it('has about 55–60% articles without any group', () => {
    const share = articles.filter((a) => a.groups.length === 0).length / articles.length;
    expect(share).toBeGreaterThanOrEqual(0.5);
    expect(share).toBeLessThanOrEqual(0.65);
  });

  it('refers to every group and uses every tone and the substantive frames', () => {
    for (const g of DEMO_GROUPS) expect(articles.some((a) => a.groups.includes(g)), g).toBe(true);
    for (const t of ['neg', 'neu', 'pos'] as const) {
      expect(articles.some((a) => a.groups.length > 0 && a.tone === t), t).toBe(true);
    }
    for (const f of ['crime_security', 'threat_burden', 'victim_discrimination', 'integration_work', 'culture_community', 'policy_admin'] as const) {
      expect(articles.some((a) => a.frame === f), f).toBe(true);
    }
  });

  it('has group articles with and without a group member speaking', () => {
    const withGroups = articles.filter((a) => a.groups.length > 0);
    expect(withGroups.some((a) => a.voice === true)).toBe(true);
    expect(withGroups.some((a) => a.voice !== true)).toBe(true);
  });

  it('plants the hard negatives in articles that refer to no group', () => {
    const noGroup = articles.filter((a) => a.groups.length === 0);
    const text = (a: DemoArticle): string => `${a.title}\n${a.lead}\n${a.body}`;
    for (const trap of ['Romania', 'romaani', 'veropakolai', 'saamme', 'Venäjän armeija', 'ulkomaalaisvahvistus', 'Somalia', 'Venäläinen', 'Virolainen']) {
      expect(noGroup.some((a) => text(a).includes(trap)), trap).toBe(true);
    }
  });

  it('locks many, but not all, articles of the paywalled papers', () => {
    for (const s of sources.filter((x) => x.template === 'subscriber')) {
      const own = articles.filter((a) => a.source === s.id);
      const locked = own.filter((a) => a.paywalled === true).length;
      expect(locked, s.id).toBeGreaterThanOrEqual(Math.ceil(own.length / 5));
      expect(locked, s.id).toBeLessThan(own.length);
    }
  });

  it('has about ten syndicated near-copies that really are near copies', () => {
    const copies = articles.filter((a) => a.syndicated_from !== undefined);
    expect(copies.length).toBeGreaterThanOrEqual(6);
    expect(copies.length).toBeLessThanOrEqual(15);
    const trigrams = (s: string): Set<string> => {
      const w = s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      return new Set(w.slice(2).map((_, i) => `${w[i]} ${w[i + 1]} ${w[i + 2]}`));
    };
    for (const c of copies) {
      const original = articles.find((a) => a.id === c.syndicated_from);
      expect(original, `${c.id} → ${c.syndicated_from}`).toBeDefined();
      if (!original) continue;
      expect(c.url).not.toBe(original.url);
      const x = trigrams(c.body);
      const y = trigrams(original.body);
      const shared = [...x].filter((t) => y.has(t)).length;
      expect(shared / Math.min(x.size, y.size), `${c.id} shares too little text with ${original.id}`).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('has regional stories about towns that are not configured, in both regional feeds', () => {
    for (const feed of ['alueradio-lansi', 'alueradio-pohjoinen']) {
      const listed = articles.filter((a) => a.feeds.includes(feed));
      expect(listed.some((a) => a.municipalities.length === 0), feed).toBe(true);
      expect(listed.some((a) => a.municipalities.length > 0), feed).toBe(true);
    }
    expect(articles.some((a) => a.feeds.length === 2)).toBe(true);
  });
});

describe('demo corpus: planted weeks', () => {
  const perWeek = (list: DemoArticle[]): Map<string, number> => {
    const m = new Map(CORPUS_WEEKS.map((w) => [w, 0]));
    for (const a of list) m.set(weekOf(a), (m.get(weekOf(a)) ?? 0) + 1);
    return m;
  };

  it('Tampere 2026-W45 has a spike of negative roma stories', () => {
    const neg = perWeek(articles.filter((a) => a.municipalities.includes('837') && a.groups.includes('roma') && a.tone === 'neg'));
    const spike = neg.get('2026-W45') ?? 0;
    const others = CORPUS_WEEKS.filter((w) => w !== '2026-W45').map((w) => neg.get(w) ?? 0);
    expect(spike).toBeGreaterThanOrEqual(4);
    expect(spike).toBeGreaterThanOrEqual(3 * Math.max(1, ...others));
  });

  it('Lieksa 2026-W42 is a quiet week with few articles', () => {
    const counts = perWeek(articles.filter((a) => a.municipalities.includes('422')));
    const quiet = counts.get('2026-W42') ?? 0;
    const others = CORPUS_WEEKS.filter((w) => w !== '2026-W42').map((w) => counts.get(w) ?? 0).sort((a, b) => a - b);
    const median = ((others[5] ?? 0) + (others[6] ?? 0)) / 2;
    expect(quiet).toBeLessThan(Math.min(...others));
    expect(quiet).toBeLessThanOrEqual(median / 2);
  });
});
