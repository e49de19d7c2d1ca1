// A small tagged corpus written through the store's own API (saveArticle, saveAnalysis), with
// hand-built analyses whose evidence offsets are computed from the text, so tests know every
// expected value independently of the export code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Analysis, GroupMention } from '../../src/analyse/index.ts';
import { loadConfig, type AppConfig } from '../../src/config/load.ts';
import { Store, type ArticleInput } from '../../src/store/store.ts';

export interface FixtureArticle {
  key: string;
  title: string;
  text: string;
  feed: string;
  published: string | null;
  language: 'fi' | 'sv' | 'en';
  municipalities: string[];
  /** Mentions by their surface word; the first occurrence in the text (or title) is tagged. */
  mentions: { group: string; surface: string; inTitle?: boolean; tone: 'neg' | 'neu' | 'pos'; frame: string }[];
  tone: 'neg' | 'neu' | 'pos';
  frame: string | null;
  /** Words that decided the article tone (first occurrence in the text). */
  toneWords: string[];
  speaks: string[];
  analysed: boolean;
}

export interface Fixture {
  dir: string;
  store: Store;
  config: AppConfig;
  articles: (FixtureArticle & { id: number })[];
}

const VERSION = 'test-lexicon-1+snowball';

function occurrence(doc: string, word: string, from: number): number {
  const i = doc.indexOf(word, from);
  if (i < 0) throw new Error(`fixture: "${word}" not in the text`);
  return i;
}

export function buildAnalysis(a: FixtureArticle): Analysis {
  const doc = `${a.title}\n\n${a.text}`;
  const bodyOffset = a.title.length + 2;
  const mentions: GroupMention[] = a.mentions.map((m, i) => {
    const start = occurrence(doc, m.surface, m.inTitle ? 0 : bodyOffset);
    return {
      group: m.group,
      start,
      end: start + m.surface.length,
      surface: m.surface,
      lemma: m.surface.toLowerCase().replace(/(ien|ille|ista|it|t|n)$/, ''),
      rule: `compound:${m.group}`,
      sentence: i,
      tone: { label: m.tone, score: m.tone === 'neg' ? -2 : m.tone === 'pos' ? 1.5 : 0, evidence: [] },
      frame: m.frame,
    };
  });
  const toneEvidence = a.toneWords.map((w) => {
    const start = occurrence(doc, w, bodyOffset);
    return { start, end: start + w.length, lemma: w.toLowerCase(), weight: a.tone === 'neg' ? -2 : 1, rule: 'domain' };
  });
  const groups = [...new Set(a.mentions.map((m) => m.group))].sort();
  return {
    language: a.language,
    municipalities: a.municipalities.map((code) => ({ code, score: 3, evidence: [] })),
    mentions,
    groups,
    tone: { label: a.tone, score: a.tone === 'neg' ? -2.5 : a.tone === 'pos' ? 1.25 : 0, evidence: toneEvidence },
    frame: a.frame,
    frames: a.frame ? { [a.frame]: 1 } : {},
    voice: groups.map((g) => {
      const m = mentions.find((x) => x.group === g)!;
      return { group: g, speaks: a.speaks.includes(g), evidence: a.speaks.includes(g) ? [{ start: m.start, end: m.end, rule: 'speaker:group-mention' }] : [] };
    }),
    version: VERSION,
    bodyOffset,
    truncated: false,
  };
}

const FILLER = [
  'Kaupunginvaltuusto käsitteli asiaa maanantaina.',
  'Päätöksestä voi valittaa hallinto-oikeuteen.',
  'Asukkaat ovat kyselleet aikataulusta, ja kaupunki lupaa tiedottaa syksyllä.',
  'Hankkeen kustannusarvio on noin 2,5 miljoonaa euroa.',
];

/** The corpus: varied towns, groups, tones, frames, languages, feeds and weeks, and awkward characters. */
export function fixtureArticles(): FixtureArticle[] {
  const base = (i: number, over: Partial<FixtureArticle>): FixtureArticle => ({
    key: `a${i}`,
    title: `Uutinen ${i}`,
    text: `${FILLER[i % 4]} Juttu numero ${i}. ${FILLER[(i + 1) % 4]}\n\n${FILLER[(i + 2) % 4]}`,
    feed: 'aamulehti',
    published: `2026-11-0${(i % 7) + 2}T10:00:00+02:00`,
    language: 'fi',
    municipalities: ['837'],
    mentions: [],
    tone: 'neu',
    frame: null,
    toneWords: [],
    speaks: [],
    analysed: true,
    ...over,
  });
  const list: FixtureArticle[] = [
    base(1, {
      title: 'Romaninaisten kimppuun hyökättiin Hervannassa, "poliisi tutkii"',
      text:
        'Hervannassa kaksi romaninaista joutui maanantaina pahoinpitelyn kohteeksi. Poliisi tutkii tapausta, ja epäilty on otettu kiinni.\n\n' +
        'Tapahtumapaikan lähellä asuva kertoo kuulleensa huutoja. – Tämä on pelottavaa, hän sanoo.\n\n' +
        'Romaniyhdistyksen puheenjohtaja sanoo, että syrjintä on arkea. Yhdistys järjestää ensi viikolla tilaisuuden.',
      mentions: [
        { group: 'roma', surface: 'Romaninaisten', inTitle: true, tone: 'neg', frame: 'crime_security' },
        { group: 'roma', surface: 'romaninaista', tone: 'neg', frame: 'crime_security' },
        { group: 'roma', surface: 'Romaniyhdistyksen', tone: 'neg', frame: 'victim_discrimination' },
      ],
      tone: 'neg',
      frame: 'crime_security',
      toneWords: ['pahoinpitelyn', 'syrjintä'],
      speaks: ['roma'],
      published: '2026-11-03T08:15:00+02:00',
    }),
    base(2, {
      title: 'Maahanmuuttajat, kieli ja työ: kurssi alkaa',
      text: 'Kurssi on tarkoitettu maahanmuuttajille 😀, jotka haluavat oppia suomea. Opettaja kertoo, että kysyntä on suurta.\n\nIlmoittautuminen päättyy perjantaina.',
      mentions: [{ group: 'immigrants', surface: 'maahanmuuttajille', tone: 'pos', frame: 'integration_work' }],
      tone: 'pos',
      frame: 'integration_work',
      toneWords: ['haluavat'],
      municipalities: ['837', '061'],
      feed: 'tamperelainen',
      published: '2026-11-04T12:00:00+02:00',
    }),
    base(3, {
      title: 'Samerna firade nationaldagen i Torneå',
      text: 'Samerna i Torneå firade sin nationaldag med musik. Festen samlade hundra personer.',
      language: 'sv',
      mentions: [{ group: 'sami', surface: 'Samerna', tone: 'pos', frame: 'culture_community' }],
      tone: 'pos',
      frame: 'culture_community',
      toneWords: ['firade'],
      municipalities: ['851'],
      feed: 'lapin-kansa',
      published: '2026-10-24T18:30:00+03:00',
    }),
    base(4, {
      title: 'Turvapaikanhakijoiden vastaanottokeskus suljetaan Lieksassa',
      text: 'Lieksan vastaanottokeskus suljetaan vuoden lopussa. Turvapaikanhakijat siirretään Joensuuhun.\n\nKaupunki menettää kaksikymmentä työpaikkaa.',
      mentions: [{ group: 'asylum_seekers', surface: 'Turvapaikanhakijat', tone: 'neu', frame: 'policy_admin' }],
      tone: 'neu',
      frame: 'policy_admin',
      municipalities: ['422'],
      feed: 'lieksan-lehti',
      published: '2026-10-27T07:00:00+02:00',
    }),
    base(5, { title: 'Kirjasto, "lukuhaaste" ja kesä', published: null, feed: 'forssan-lehti', municipalities: ['061'] }),
    base(6, { title: 'Analysoimaton juttu', analysed: false, municipalities: [], feed: 'forssan-lehti' }),
    base(7, {
      title: 'Ukrainalaiset perheet saivat asunnot Oulusta',
      text: 'Oulu on järjestänyt asunnon kolmellekymmenelle perheelle. Ukrainalaiset perheet kiittävät kaupunkia.\n\nAsunnot sijaitsevat Kaakkurissa.',
      mentions: [{ group: 'ukrainians', surface: 'Ukrainalaiset', tone: 'pos', frame: 'integration_work' }],
      tone: 'pos',
      frame: 'integration_work',
      toneWords: ['kiittävät'],
      speaks: ['ukrainians'],
      municipalities: ['564'],
      feed: 'kaleva-oulun-seutu',
      published: '2026-11-10T09:00:00+02:00',
    }),
    base(8, {
      title: 'Romanit ja maahanmuuttajat keskustelivat',
      text: 'Tampereella romanit ja maahanmuuttajat kokoontuivat keskustelemaan. Tilaisuus oli rauhallinen.',
      mentions: [
        { group: 'roma', surface: 'romanit', tone: 'neu', frame: 'culture_community' },
        { group: 'immigrants', surface: 'maahanmuuttajat', tone: 'neg', frame: 'threat_burden' },
      ],
      tone: 'neu',
      frame: 'culture_community',
      published: '2026-11-08T21:59:00+02:00',
    }),
  ];
  for (let i = 9; i <= 24; i++) list.push(base(i, { feed: i % 2 ? 'aamulehti' : 'tampere-kaupunki', municipalities: i % 3 ? ['837'] : ['543'] }));
  // A syndicated story and its later copy: the copy is stored with duplicate_of.
  const story =
    'Pirkanmaan hyvinvointialue avaa uuden terveysaseman Hervantaan ensi vuoden alussa. Asemalla työskentelee kolmekymmentä hoitajaa ja ' +
    'kymmenen lääkäriä. Hyvinvointialueen mukaan asema palvelee noin kolmeakymmentätuhatta asukasta, ja sen aukioloajat ovat arkisin ' +
    'kahdeksasta kahdeksaan. Vanhan aseman tilat myydään, ja kaupunki on kiinnostunut ostamaan ne nuorisotilaksi. Päätös myynnistä tehdään keväällä.';
  list.push(base(25, { title: 'Hervantaan uusi terveysasema', text: story, published: '2026-11-05T06:00:00+02:00' }));
  list.push(base(26, { title: 'Uusi terveysasema Hervantaan', text: story.replace('keväällä', 'maaliskuussa'), feed: 'tamperelainen', published: '2026-11-05T09:00:00+02:00' }));
  return list;
}

export function buildFixture(articles = fixtureArticles()): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'mm-export-'));
  const config = loadConfig({ overrides: { storePath: join(dir, 'store.db') } });
  const store = new Store(join(dir, 'store.db'));
  store.syncConfig(config);
  const out: (FixtureArticle & { id: number })[] = [];
  let t = Date.parse('2026-11-12T10:00:00Z');
  for (const a of articles) {
    const url = `https://news.example/${a.feed}/${a.key}`;
    t += 60_000;
    store.recordFeedItems(a.feed, [{ itemKey: url, url, guid: null, title: a.title, description: null, author: null, publishedAt: a.published }], t);
    const input: ArticleInput = {
      url,
      finalUrl: url,
      canonicalUrl: `https://news.example/c/${a.key}`,
      title: a.title,
      lead: null,
      paragraphs: a.text.split('\n\n'),
      text: a.text,
      published: a.published,
      modified: null,
      author: null,
      section: null,
      siteName: null,
      language: a.language,
      paywalled: a.key === 'a9',
      usedFeedFallback: false,
      wordCount: a.text.split(/\s+/).length,
      httpStatus: 200,
      fetchedAt: t,
    };
    const saved = store.saveArticle(input, t);
    if (a.analysed) store.saveAnalysis(saved.articleId, buildAnalysis(a), t + 1000);
    out.push({ ...a, id: saved.articleId });
  }
  return { dir, store, config, articles: out };
}
