// Full-text search: what a typed query becomes (pure), that every query built is valid FTS5
// whatever the user typed, that the store indexes the base forms of an analysed article's
// words, and that search finds inflected forms through them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseText } from '../../src/analyse/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { prng } from '../../src/demo/synthetic.ts';
import { reanalyse } from '../../src/pipeline/reanalyse.ts';
import { openAnalyser, type Analyser } from '../../src/pipeline/stages.ts';
import { Store } from '../../src/store/store.ts';
import { buildMatch, buildTitleMatch, ftsString, parseQuery, queryKeys, searchArticles } from '../../src/web/analyst/search.ts';
import { describeVoikko, lexicons, snowball, voikko } from '../analyse/helpers.ts';

const keys = (w: string) => [`k:${w}`];

describe('parseQuery', () => {
  it('takes words and quoted phrases, lower-cased, and nothing else', () => {
    expect(parseQuery('Maahanmuuttaja "romanien kerjääminen" Tampere')).toEqual([
      { kind: 'word', words: ['maahanmuuttaja'] },
      { kind: 'phrase', words: ['romanien', 'kerjääminen'] },
      { kind: 'word', words: ['tampere'] },
    ]);
    // Operators and syntax are plain words or nothing at all.
    expect(parseQuery('AND ( title:romani* NEAR(a b) -x ^y {lemmas}')).toEqual(
      ['and', 'title:romani', 'near', 'a', 'b', 'x', 'y', 'lemmas'].map((w) => ({ kind: 'word', words: [w] })),
    );
  });

  it('keeps inner hyphens and colons of words, drops repeats and caps the number of terms', () => {
    expect(parseQuery('ääri-islamistinen EU:n EU:n')).toEqual([
      { kind: 'word', words: ['ääri-islamistinen'] },
      { kind: 'word', words: ['eu:n'] },
    ]);
    expect(parseQuery(Array.from({ length: 30 }, (_, i) => `sana${i}`).join(' '))).toHaveLength(12);
  });

  it('treats an unbalanced quote as a character and a one-word phrase as a word', () => {
    expect(parseQuery('"romani')).toEqual([{ kind: 'word', words: ['romani'] }]);
    expect(parseQuery('"romani" "')).toEqual([{ kind: 'word', words: ['romani'] }]);
    expect(parseQuery('"" " ( ) * :')).toEqual([]);
    expect(parseQuery('')).toEqual([]);
  });
});

describe('buildMatch and buildTitleMatch', () => {
  it('quotes every string, doubling quotes inside', () => {
    expect(ftsString('a"b')).toBe('"a""b"');
  });

  it('matches a word by its base forms in the lemmas or as a word prefix in title and text; all terms must match', () => {
    expect(buildMatch(parseQuery('kaupunki "uusi kirjasto"'), keys)).toBe(
      '(lemmas : "k:kaupunki" OR {title body} : "kaupunki" *) AND {title body} : "uusi kirjasto"',
    );
    // Two-letter words match whole words only: a prefix that short matches half the corpus.
    expect(buildMatch(parseQuery('yö'), () => [])).toBe('{title body} : "yö"');
    expect(buildMatch([], keys)).toBeNull();
  });

  it('ranks by the title with the word or its stem as prefix, in an article that has the word\'s base form', () => {
    expect(buildTitleMatch(parseQuery('maahanmuuttaja "uusi kirjasto" yö'), (w) => w.slice(0, -1))).toBe(
      '(title : "maahanmuuttaja" * OR title : "maahanmuuttaj" *) AND title : "uusi kirjasto" AND title : "yö"',
    );
    expect(buildTitleMatch(parseQuery('romani'), (w) => w, keys)).toBe('(title : "romani" * AND lemmas : "k:romani")');
  });
});

describe('queries against a real index', () => {
  let dir: string;
  let store: Store;
  let analyser: Analyser;
  const config = loadConfig();
  const articles = [
    ['Kielikahvila avautuu', 'Maahanmuuttajille suunnattu kielikahvila avautuu Oulun pääkirjastossa.'],
    ['Tie korjataan', 'Lieksan kaupungissa korjataan tie syksyn aikana.'],
    ['Kaupunki kasvaa', 'Kaupunki kasvaa ja uusi kirjasto avataan Tampereella.'],
    ['Romanit ja kaupunki', 'Romaniyhdistys ja kaupunki sopivat yhteistyöstä Tampereella.'],
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-search-'));
    store = new Store(join(dir, 'store.db'));
    store.syncConfig(config);
    analyser = openAnalyser(config);
    articles.forEach(([title, text], i) => {
      const saved = store.saveArticle({
        url: `https://lehti.test/${i}`, finalUrl: null, canonicalUrl: null, title: title!, lead: null, paragraphs: [text!], text: text!,
        published: `2026-10-0${i + 1}T09:00:00+03:00`, modified: null, author: null, section: null, siteName: null, language: 'fi',
        paywalled: false, usedFeedFallback: false, wordCount: 8, httpStatus: 200, fetchedAt: 1,
      });
      store.saveAnalysis(saved.articleId, analyseText({ title, text: text! }, analyser.lexicons, analyser.morphology));
    });
  });
  afterAll(() => {
    analyser?.morphology.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const titles = (q: string) => searchArticles(store, { q }, { morphology: analyser.morphology }).items.map((a) => a.title);

  it('every query built from any typed text is valid FTS5', () => {
    const rand = prng(7);
    const alphabet = ['"', '*', '^', ':', '(', ')', '{', '}', '-', '+', ',', '.', "'", ' ', ' ', 'AND', 'OR', 'NOT', 'NEAR', 'title', 'lemmas', 'a', 'kaupunki', 'ä', '\\', '\u0000', '☃'];
    const match = store.db.prepare('SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?').pluck();
    for (let i = 0; i < 400; i++) {
      const q = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(rand() < 0.5 ? '' : ' ');
      const terms = parseQuery(q);
      for (const built of [buildMatch(terms, (w) => queryKeys(w, analyser.morphology)), buildTitleMatch(terms, (w) => analyser.morphology.stem(w))]) {
        if (built !== null) expect(() => match.get(built), `${q} → ${built}`).not.toThrow();
      }
      expect(() => searchArticles(store, { q }, { morphology: analyser.morphology }), q).not.toThrow();
    }
  });

  it('saving an analysis indexes the base forms of the words, and keeps them out of the stored result', () => {
    const row = store.db.prepare(`SELECT result_json FROM analyses WHERE article_id = 1`).pluck().get() as string;
    expect(JSON.parse(row)).not.toHaveProperty('lemmas');
    const lemmaHits = store.db.prepare(`SELECT rowid FROM article_search WHERE article_search MATCH ?`).pluck();
    const key = analyser.morphology.kind === 'voikko' ? 'maahanmuuttaja' : analyser.morphology.stem('maahanmuuttajille');
    expect(lemmaHits.all(`lemmas : ${ftsString(key)}`)).toEqual([1]);
    // Re-saving replaces the row rather than adding another.
    store.saveAnalysis(1, analyseText({ title: articles[0]![0], text: articles[0]![1]! }, analyser.lexicons, analyser.morphology));
    expect(store.db.prepare(`SELECT COUNT(*) FROM article_search WHERE article_search MATCH 'kielikahvila'`).pluck().get()).toBe(1);
  });

  it('"maahanmuuttaja" finds the article that says only "maahanmuuttajille"; a phrase needs its words in a row', () => {
    expect(titles('maahanmuuttaja')).toEqual(['Kielikahvila avautuu']);
    expect(titles('"uusi kirjasto"')).toEqual(['Kaupunki kasvaa']);
    expect(titles('"kirjasto uusi"')).toEqual([]);
    expect(titles('romani kaupunki')).toEqual(['Romanit ja kaupunki']);
  });

  it('words matching more articles than the ranking limit are listed newest first, by base form and exact word', () => {
    const ranked = searchArticles(store, { q: 'tampereella' }, { morphology: analyser.morphology });
    expect(ranked.broad).toBe(false);
    const broad = searchArticles(store, { q: 'tampereella' }, { morphology: analyser.morphology, broadAt: 1 });
    expect(broad.broad).toBe(true);
    expect(broad.items.map((a) => a.id)).toEqual([...ranked.items.map((a) => a.id)].sort((a, b) => b - a));
    expect(broad.total).toBe(2);
    // Filters still apply, and a page past the first keeps the order.
    const page = searchArticles(store, { q: 'tampereella', limit: 1, offset: 1 }, { morphology: analyser.morphology, broadAt: 1 });
    expect(page.items.map((a) => a.id)).toEqual([broad.items[1]!.id]);
    expect(page.total).toBe(2);
    expect(searchArticles(store, { q: 'tampereella', group: 'roma' }, { morphology: analyser.morphology, broadAt: 1 }).items.map((a) => a.title)).toEqual(['Romanit ja kaupunki']);
    // With town and week filters too: the same articles as ranking finds, newest first.
    const both = (f: Parameters<typeof searchArticles>[1]) => {
      const r = searchArticles(store, f, { morphology: analyser.morphology });
      const b = searchArticles(store, f, { morphology: analyser.morphology, broadAt: 1 });
      expect(b.broad).toBe(r.total > 1); // broadAt 1: more than one match within the week's ids
      expect(b.total).toBe(r.total);
      expect(b.items.map((a) => a.id).sort()).toEqual(r.items.map((a) => a.id).sort());
      return b.items.map((a) => a.title);
    };
    expect(both({ q: 'tampereella', week: '2026-W40' })).toEqual(['Romanit ja kaupunki', 'Kaupunki kasvaa']);
    expect(both({ q: 'tampereella', week: '2026-W41' })).toEqual([]);
    expect(both({ q: 'kaupunki', municipality: '837' })).toEqual(['Romanit ja kaupunki', 'Kaupunki kasvaa']);
    expect(both({ q: 'kaupunki', municipality: '837', week: '2026-W40' })).toEqual(['Romanit ja kaupunki', 'Kaupunki kasvaa']);
    const second = searchArticles(store, { q: 'kaupunki', municipality: '837', week: '2026-W40', limit: 1, offset: 1 }, { morphology: analyser.morphology, broadAt: 1 });
    expect([second.items.map((a) => a.title), second.total]).toEqual([['Kaupunki kasvaa'], 2]);
    // Words common enough to walk a narrow filter instead of ranking: only with such a filter.
    const walked = searchArticles(store, { q: 'kaupunki', week: '2026-W40' }, { morphology: analyser.morphology, filterDrivesAt: 1 });
    expect([walked.broad, walked.items.map((a) => a.title), walked.total]).toEqual([true, ['Romanit ja kaupunki', 'Kaupunki kasvaa', 'Tie korjataan'], 3]); // "kaupungissa" by its base form
    const byTown = searchArticles(store, { q: 'kaupunki', municipality: '837' }, { morphology: analyser.morphology, filterDrivesAt: 1 });
    expect([byTown.broad, byTown.items.map((a) => a.title).sort()]).toEqual([true, ['Kaupunki kasvaa', 'Romanit ja kaupunki']]);
    expect(searchArticles(store, { q: 'kaupunki' }, { morphology: analyser.morphology, filterDrivesAt: 1 }).broad).toBe(false);
  });

  it('Snowball base forms of the analysis and the query meet as well', () => {
    const a = analyseText({ title: 'Maahanmuuttajia', text: 'Maahanmuuttajien kurssi alkaa.' }, lexicons, snowball);
    expect(a.lemmas).toContain(snowball.stem('maahanmuuttajien'));
    expect(queryKeys('maahanmuuttaja', snowball)).toContain(snowball.stem('maahanmuuttajien'));
  });

  describeVoikko('with Voikko', () => {
    it('a query word is looked up by its lemma, typed in any case', () => {
      const v = voikko();
      expect(queryKeys('maahanmuuttajille', v)).toContain('maahanmuuttaja');
      expect(queryKeys('kaupungissa', v)).toContain('kaupunki');
      expect(queryKeys('tampere', v)).toContain('tampere');
      const a = analyseText({ title: 'Romaninaisten kerho', text: 'Kerho kokoontuu kaupungissa.' }, lexicons, v);
      expect(a.lemmas).toEqual(expect.arrayContaining(['romaninainen', 'romani', 'nainen', 'kaupunki', 'kerho']));
    });

    it('"kaupunki" finds "kaupungissa" across consonant gradation, and reanalyse fills the lemmas of an index without them', async () => {
      expect(analyser.morphology.kind).toBe('voikko');
      expect(titles('kaupunki').sort()).toEqual(['Kaupunki kasvaa', 'Romanit ja kaupunki', 'Tie korjataan']);
      // A store whose index has no lemmas (as the migration left it) finds by prefix only.
      store.db.exec(`DELETE FROM article_search; INSERT INTO article_search (rowid, title, body, lemmas) SELECT id, COALESCE(title, ''), text, '' FROM articles;`);
      expect(titles('kaupunki').sort()).toEqual(['Kaupunki kasvaa', 'Romanit ja kaupunki']);
      const r = await reanalyse(store, analyser, { all: true });
      expect(r.analysed).toBe(articles.length);
      expect(titles('kaupunki').sort()).toEqual(['Kaupunki kasvaa', 'Romanit ja kaupunki', 'Tie korjataan']);
    });
  });
});
