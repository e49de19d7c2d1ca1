import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '../../src/config/load.ts';
import { openAnalyser, type Analyser } from '../../src/pipeline/stages.ts';
import { reanalyse } from '../../src/pipeline/reanalyse.ts';
import { Store } from '../../src/store/store.ts';

const texts = [
  ['Romaniperheitä uhkailtiin Tampereella', 'Romaniperheitä uhkailtiin Hervannassa viikonloppuna. Poliisi tutkii tapausta laittomana uhkauksena.'],
  ['Kielikahvila avautuu', 'Maahanmuuttajille suunnattu kielikahvila avautuu Oulun pääkirjastossa. Vapaaehtoiset auttavat suomen kielen harjoittelussa.'],
  ['Tie korjataan', 'Lieksan keskustan läpi kulkeva tie korjataan syksyn aikana. Liikenne ohjataan kiertotielle.'],
];

let dir: string;
let store: Store;
let analyser: Analyser;
const config = loadConfig();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mm-reanalyse-'));
  store = new Store(join(dir, 'store.db'));
  store.syncConfig(config);
  for (let i = 0; i < 30; i++) {
    const [title, text] = texts[i % texts.length]!;
    store.saveArticle({
      url: `https://lehti.test/${i}`, finalUrl: null, canonicalUrl: null, title: `${title} (${i})`, lead: null, paragraphs: [text!], text: `${text} Juttu numero ${i}.`,
      published: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00+03:00`, modified: null, author: null, section: null, siteName: null, language: 'fi',
      paywalled: false, usedFeedFallback: false, wordCount: 20, httpStatus: 200, fetchedAt: 1,
    });
  }
  analyser = openAnalyser(config);
});
afterAll(() => {
  analyser?.morphology.close();
  store?.close();
});

describe('reanalyse', () => {
  it('tags every unanalysed article, resumes after an interruption, and skips what is current', async () => {
    const abort = new AbortController();
    const first = await reanalyse(store, analyser, { batchSize: 7, signal: abort.signal, onProgress: (done) => done >= 14 && abort.abort() });
    expect(first).toMatchObject({ candidates: 30, analysed: 14, interrupted: true });
    const second = await reanalyse(store, analyser, { batchSize: 7 });
    expect(second).toMatchObject({ candidates: 16, analysed: 16, interrupted: false });
    const third = await reanalyse(store, analyser);
    expect(third).toMatchObject({ candidates: 0, analysed: 0 });
    const rows = store.db.prepare('SELECT COUNT(*) n, COUNT(DISTINCT version) v FROM analyses').get();
    expect(rows).toEqual({ n: 30, v: 1 });
    const roma = store.db.prepare(`SELECT COUNT(*) n FROM article_groups WHERE group_id = 'roma' AND tone = 'neg'`).get() as { n: number };
    expect(roma.n).toBe(10);
  });

  it('--all re-tags everything; --since limits by publication date; results are replaced, not added', async () => {
    const mentionsBefore = (store.db.prepare('SELECT COUNT(*) n FROM group_mentions').get() as { n: number }).n;
    const all = await reanalyse(store, analyser, { all: true });
    expect(all).toMatchObject({ candidates: 30, analysed: 30, changed: 0 });
    expect((store.db.prepare('SELECT COUNT(*) n FROM group_mentions').get() as { n: number }).n).toBe(mentionsBefore);
    const since = await reanalyse(store, analyser, { all: true, since: Date.parse('2026-10-20T00:00:00+03:00') });
    // Articles 19…27 are dated 20–28 October; 28 and 29 wrap round to 1 and 2 October.
    expect(since.candidates).toBe(9);
  });

  it('show prints the evidence of a stored article; analyse tags standard input', () => {
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', input, timeout: 60_000 });
    const shown = run(['--db', join(dir, 'store.db'), 'show', '1']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/mention roma "Romaniperheitä" at \d+–\d+ \(lemma romani, rule [^)]+\) → tone neg by uhkailla-/);
    expect(shown.stdout).toContain('[[Romaniperheitä|roma]] {-uhkailtiin}');
    expect(run(['--db', join(dir, 'store.db'), 'show', '999']).status).toBe(1);
    expect(run(['show', 'x']).status).toBe(2);

    const tagged = run(['analyse', '--lines', '--json', '-'], `${texts[0]![1]}\n\n${texts[2]![1]}\n`);
    expect(tagged.status).toBe(0);
    const docs = tagged.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ language: 'fi', groups: ['roma'], tone: { label: 'neg' }, municipalities: ['837'] });
    expect(docs[0].mentions[0]).toMatchObject({ group: 'roma', start: 0, end: 14, lemma: 'romani' });
    expect(docs[1]).toMatchObject({ groups: [], municipalities: ['422'], frame: null });
  });
});
