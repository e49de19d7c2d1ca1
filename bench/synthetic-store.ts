/**
 * Synthetic stores for the benchmarks: a million tagged articles written straight into the
 * store's tables (no fetching, extraction or analysis on the way), deterministic from a seed,
 * generated once and kept under the OS temp dir by generator version, kind and size.
 *
 * Both kinds share one shape: 50 municipalities of very different sizes (a few towns carry
 * most of the news), a local paper per town, 104 weeks of articles stored in time order (ids
 * rise with publication time, as the collector stores them), 5 % syndicated copies,
 * 2 % stored before any analysis, about a third tagged with one or two groups.
 *
 * - 'indicators' holds what the weekly counts read: short placeholder texts, polls every six
 *   hours, weeks 2025-W01…2026-W52, ANALYZE run.
 * - 'dashboard' is a store as the dashboard meets it: the 104 weeks end this week; Finnish-
 *   looking titles, leads and bodies, with the group words (inflected) in the articles tagged
 *   with the group; the full-text index (title, body, base forms); mentions with offsets and
 *   the analysis JSON; feed sources, a regional broadcaster per region beside the papers,
 *   polls every 15 or 30 minutes with outages; analysts and their corrections; indicator counts
 *   refreshed. No ANALYZE: the store never runs it, so queries get the plans a store in use gets.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Analysis } from '../src/analyse/index.ts';
import { prng } from '../src/demo/synthetic.ts';
import { addWeeks, compareWeeks, refreshIndicators, weekOf, weekStart } from '../src/indicators/index.ts';
import { Store } from '../src/store/store.ts';
import { hashPassword } from '../src/web/auth.ts';

export type SyntheticKind = 'indicators' | 'dashboard';

/** Bumped whenever what is generated changes: cached stores of other versions are not reused. */
const GENERATOR_VERSION = 'v3';
export const SYNTHETIC_WEEKS = 104;
const INDICATORS_FIRST_WEEK = '2025-W01';
/** A cached dashboard store is reused while its last week is at most this many weeks old. */
const DASHBOARD_STALE_WEEKS = 4;

export const GROUPS = ['immigrants', 'asylum_seekers', 'refugees', 'roma', 'sami', 'russian_speakers', 'swedish_speakers', 'somalis', 'muslims', 'jews', 'ukrainians', 'estonians', 'other_ethnic'] as const;
export const FRAMES = ['crime_security', 'threat_burden', 'victim_discrimination', 'integration_work', 'culture_community', 'policy_admin', 'other'] as const;
const TONES = ['neg', 'neu', 'pos'] as const;

export interface SyntheticMunicipality {
  code: string;
  nameFi: string;
  region: string;
}

export interface SyntheticFeed {
  id: string;
  name: string;
  url: string;
  kind: 'local_paper' | 'regional_broadcaster';
  /** Codes of the towns it covers. */
  municipalities: string[];
  region: string | null;
  intervalMs: number;
}

export interface SyntheticStore {
  path: string;
  kind: SyntheticKind;
  articles: number;
  firstWeek: string;
  lastWeek: string;
  municipalities: SyntheticMunicipality[];
  feeds: SyntheticFeed[];
  /** Wall time of the generation when it happened in this call; null when a cached store was reused. */
  generatedSeconds: number | null;
  bytes: number;
}

const REGIONS = ['Uusimaa', 'Varsinais-Suomi', 'Satakunta', 'Kanta-Häme', 'Pirkanmaa', 'Päijät-Häme', 'Kymenlaakso', 'Etelä-Karjala', 'Pohjois-Savo', 'Keski-Suomi'];
const TOWN_HEADS = ['Kala', 'Mänty', 'Koivu', 'Lohi', 'Haapa', 'Kivi', 'Pihla', 'Vuori', 'Sammal', 'Karhu'];
const TOWN_TAILS = ['järvi', 'koski', 'lahti', 'niemi', 'vaara', 'salmi', 'joki', 'mäki', 'harju', 'saari'];
const MUNICIPALITY_COUNT = 50;

export const SYNTHETIC_MUNICIPALITIES: SyntheticMunicipality[] = Array.from({ length: MUNICIPALITY_COUNT }, (_, m) => ({
  code: String(m + 1).padStart(3, '0'),
  // Heads and tails paired so that no name repeats: 50 of the 100 pairs.
  nameFi: `${TOWN_HEADS[m % 10]}${TOWN_TAILS[(m + Math.floor(m / 10) * 3) % 10]}`,
  region: REGIONS[m % REGIONS.length]!,
}));

const slug = (s: string) => s.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/[^a-z0-9]+/g, '-');

function syntheticFeeds(kind: SyntheticKind): SyntheticFeed[] {
  const papers: SyntheticFeed[] = SYNTHETIC_MUNICIPALITIES.map((m, i) => ({
    id: `feed-${m.code}`,
    name: `Paikallislehti ${m.nameFi}`,
    url: `https://lehti${i + 1}.example.fi/feed`,
    kind: 'local_paper',
    municipalities: [m.code],
    region: null,
    intervalMs: kind === 'dashboard' ? 1_800_000 : 21_600_000,
  }));
  if (kind === 'indicators') return papers;
  const regional: SyntheticFeed[] = REGIONS.map((r) => ({
    id: `yle-${slug(r)}`,
    name: `Yle ${r}`,
    url: `https://yle.example.fi/${slug(r)}/feed`,
    kind: 'regional_broadcaster',
    municipalities: SYNTHETIC_MUNICIPALITIES.filter((m) => m.region === r).map((m) => m.code),
    region: r,
    intervalMs: 900_000,
  }));
  return [...papers, ...regional];
}

// ------------------------------------------------------------------ Finnish-looking text

// Base forms of common local-news words, most used first. Nouns take case endings (vowel
// harmony only: the stems are not graded, which is fine for a search index); the rest appear
// as written. Compounds of two nouns make the long tail of rare words every corpus has.
const NOUNS = (
  'kaupunki kunta koulu kirjasto valtuusto hallitus tie katu silta puisto ranta järvi kylä keskusta alue hanke talo koti perhe lapsi nuori ' +
  'vanhus asukas yrittäjä yritys kauppa tori satama asema juna bussi auto pyörä metsä pelto maatila lehmä hevonen koira kissa kala ' +
  'sairaala terveysasema lääkäri hoitaja poliisi palokunta pelastuslaitos onnettomuus tulipalo myrsky lumi sade kevät kesä syksy talvi ' +
  'kokous päätös esitys budjetti talousarvio vero maksu raha euro työ työpaikka työttömyys koulutus opettaja oppilas opiskelija lukio ' +
  'päiväkoti leikkipuisto urheilu seura ottelu joukkue valmentaja halli kenttä uimahalli konsertti festivaali teatteri näyttely museo ' +
  'kirkko seurakunta juhla markkinat messu tapahtuma ilta viikonloppu vuosi kuukausi viikko päivä aamu kello ihminen ihmiset mies nainen ' +
  'tyttö poika isä äiti mummo vaari naapuri kylätalo vesi viemäri sähkö lämpö energia tuulivoima kaava tontti rakennus remontti kustannus ' +
  'hinta palvelu sote hyvinvointialue kotihoito ruoka ravintola kahvila kauppakeskus liikenne nopeusrajoitus risteys kiertoliittymä ' +
  'jalkakäytävä valaistus kuntalainen kaupunginjohtaja kunnanjohtaja puheenjohtaja lautakunta virkamies selvitys tutkimus kysely ' +
  'mielipide kannatus vastustus valitus oikeus käräjäoikeus rikos varkaus ilkivalta sakko tuomio vankila turvallisuus'
).split(' ');
const VERBS: [string, string][] = [
  ['kertoi', 'kertoa'], ['päätti', 'päättää'], ['avaa', 'avata'], ['juhlii', 'juhlia'], ['selvittää', 'selvittää'], ['ehdottaa', 'ehdottaa'],
  ['hyväksyi', 'hyväksyä'], ['hylkäsi', 'hylätä'], ['arvioi', 'arvioida'], ['suunnittelee', 'suunnitella'], ['rakentaa', 'rakentaa'],
  ['korjataan', 'korjata'], ['sulkee', 'sulkea'], ['muuttaa', 'muuttaa'], ['kasvaa', 'kasvaa'], ['väheni', 'vähetä'], ['lisääntyi', 'lisääntyä'],
  ['järjestetään', 'järjestää'], ['osallistui', 'osallistua'], ['toivoo', 'toivoa'], ['vaatii', 'vaatia'], ['sanoo', 'sanoa'], ['muistuttaa', 'muistuttaa'],
  ['kysyi', 'kysyä'], ['vastasi', 'vastata'], ['tarjoaa', 'tarjota'], ['hakee', 'hakea'], ['saa', 'saada'], ['antoi', 'antaa'], ['maksaa', 'maksaa'],
];
const WORDS = 'ja on ei että se myös mukaan vielä noin kuitenkin nyt jo sekä tai kun jos mutta hyvin paljon vähän uusi vanha suuri pieni tärkeä ensi viime tänä'.split(' ');
const BACK = /[aou]/;
const ENDINGS_BACK = ['', '', 'n', 'ssa', 'sta', 'lla', 'lle', 'a', 'ksi', 'n'];
const ENDINGS_FRONT = ['', '', 'n', 'ssä', 'stä', 'llä', 'lle', 'ä', 'ksi', 'n'];

interface GroupWords {
  lemma: string;
  surfaces: string[];
}

/** Group words as the articles use them, with the base form the analysis gives (compounds too). */
export const GROUP_WORDS: Record<(typeof GROUPS)[number], GroupWords> = {
  immigrants: { lemma: 'maahanmuuttaja', surfaces: ['maahanmuuttajat', 'maahanmuuttajille', 'maahanmuuttajien', 'maahanmuuttajia', 'maahanmuuttajan', 'maahanmuuttajataustaiset'] },
  asylum_seekers: { lemma: 'turvapaikanhakija', surfaces: ['turvapaikanhakijat', 'turvapaikanhakijoille', 'turvapaikanhakijoiden', 'turvapaikanhakijoita'] },
  refugees: { lemma: 'pakolainen', surfaces: ['pakolaiset', 'pakolaisille', 'pakolaisten', 'pakolaisia', 'kiintiöpakolaiset'] },
  roma: { lemma: 'romani', surfaces: ['romanit', 'romanien', 'romaneille', 'romaniväestö', 'romanikulttuuri'] },
  sami: { lemma: 'saamelainen', surfaces: ['saamelaiset', 'saamelaisten', 'saamelaisille', 'saamelaiskäräjät'] },
  russian_speakers: { lemma: 'venäjänkielinen', surfaces: ['venäjänkieliset', 'venäjänkielisille', 'venäjänkielisten'] },
  swedish_speakers: { lemma: 'ruotsinkielinen', surfaces: ['ruotsinkieliset', 'ruotsinkielisille', 'ruotsinkielisten'] },
  somalis: { lemma: 'somali', surfaces: ['somalit', 'somalien', 'somaleille', 'somalitaustaiset'] },
  muslims: { lemma: 'muslimi', surfaces: ['muslimit', 'muslimien', 'muslimeille'] },
  jews: { lemma: 'juutalainen', surfaces: ['juutalaiset', 'juutalaisten', 'juutalaisille'] },
  ukrainians: { lemma: 'ukrainalainen', surfaces: ['ukrainalaiset', 'ukrainalaisille', 'ukrainalaisten', 'ukrainalaisperheet'] },
  estonians: { lemma: 'virolainen', surfaces: ['virolaiset', 'virolaisille', 'virolaisten'] },
  other_ethnic: { lemma: 'vähemmistö', surfaces: ['vähemmistöt', 'vähemmistöille', 'vähemmistöjen'] },
};

// Sentences around a group word: {g} is the group word, [x|lemma] the word that sets the tone.
const MENTION_SENTENCES: Record<(typeof TONES)[number], string[]> = {
  neg: [
    'Poliisin mukaan {g} joutuivat [häirinnän|häirintä] kohteeksi keskustassa.',
    'Valtuutettu [arvosteli|arvostella] jyrkästi {g} koskevaa päätöstä.',
    'Asukkaiden mukaan {g} kohdistuva [uhka|uhka] on kasvanut.',
    'Kyselyn mukaan {g} kokevat [syrjintää|syrjintä] työnhaussa.',
    'Tapahtumassa oli [levottomuutta|levottomuus], ja {g} poistuivat paikalta.',
  ],
  neu: [
    'Kaupunki tarjoaa {g} neuvontaa kirjastolla.',
    'Lautakunta käsitteli {g} palveluja koskevan selvityksen.',
    'Hankkeessa {g} tutustuvat paikallisiin yrityksiin.',
    'Kunnassa asuu noin kaksisataa henkeä, joista osa on {g}.',
  ],
  pos: [
    'Järjestäjien mukaan {g} osallistuivat juhlaan [innokkaasti|innokkaasti].',
    'Kurssi [onnistui|onnistua], ja {g} saivat työpaikan.',
    'Kyläyhdistys [kiittää|kiittää] {g} vapaaehtoistyöstä.',
    'Uusi kerho on [suosittu|suosittu], ja {g} ovat löytäneet sen.',
  ],
};

interface Template {
  parts: [string, string, string];
  evidence: { surface: string; lemma: string } | null;
}

function parseTemplate(s: string): Template {
  const m = /\[([^|\]]+)\|([^\]]+)\]/.exec(s);
  const plain = m ? s.replace(m[0], m[1]!) : s;
  const [before, after] = plain.split('{g}') as [string, string];
  return { parts: [before, '', after], evidence: m ? { surface: m[1]!, lemma: m[2]! } : null };
}

const TEMPLATES = {
  neg: MENTION_SENTENCES.neg.map(parseTemplate),
  neu: MENTION_SENTENCES.neu.map(parseTemplate),
  pos: MENTION_SENTENCES.pos.map(parseTemplate),
};

/**
 * The noun vocabulary by rank: the listed nouns, then compounds of them in a fixed shuffled
 * order. Nouns are drawn Zipf–Mandelbrot (weight 1 / (rank + 50)): the commonest noun is in
 * about a quarter of the articles, a noun of rank 1,000 in one or two in a hundred, one of
 * rank 20,000 in about one in a thousand, as in news text.
 */
const VOCABULARY: string[] = (() => {
  const shuffle = prng(99);
  const compounds: string[] = [];
  for (const a of NOUNS) for (const b of NOUNS) if (a !== b && a.length + b.length <= 22) compounds.push(a + b);
  for (let i = compounds.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [compounds[i], compounds[j]] = [compounds[j]!, compounds[i]!];
  }
  return [...NOUNS, ...compounds];
})();
const RANK_OFFSET = 50;
const CUMULATIVE = (() => {
  const c = new Float64Array(VOCABULARY.length);
  let sum = 0;
  for (let r = 0; r < c.length; r++) c[r] = sum += 1 / (r + 1 + RANK_OFFSET);
  return c;
})();

/** The noun of a rank drawn by its weight: a binary search of the cumulative weights. */
function nounRank(u: number): number {
  const target = u * CUMULATIVE[CUMULATIVE.length - 1]!;
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Words that occur in many, some or few articles, for searches that hit. */
export const SEARCH_WORDS = {
  /** Ranks 1–12: each in roughly a fifth to a quarter of the articles. */
  common: VOCABULARY.slice(0, 12),
  /** Ranks 300–339: each in about 3 % of the articles. */
  middle: VOCABULARY.slice(300, 340),
  /** Ranks 5,000–5,039: each in about 3 articles in a thousand. */
  rare: VOCABULARY.slice(5000, 5040),
  groups: Object.values(GROUP_WORDS).flatMap((g) => [g.lemma, g.surfaces[1]!]),
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Writes articles in Finnish-looking sentences; offsets are kept for mentions and evidence. */
class TextWriter {
  private readonly names: string[];

  constructor(private readonly rand: () => number) {
    const syl = ['ka', 'ko', 'la', 'li', 'ma', 'mi', 'no', 'pa', 'pe', 'ri', 'ro', 'sa', 'se', 'ta', 'te', 'va', 'vi', 'ju', 'hu', 'ky', 'lä', 'mä', 'jo', 'ne', 'ke', 'tu'];
    const end = ['nen', 'la', 'lä', 'o', 'niemi', 'mäki', 'nen', 'ri'];
    // Proper names: the long tail of rare words every real corpus has.
    this.names = Array.from({ length: 6000 }, (_, i) => cap(`${syl[i % 26]}${syl[Math.floor(i / 26) % 26]}${end[Math.floor(i / 676) % 8]}`));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  /** One word with its base form, Zipf-like: a few words are everywhere, most are rare. */
  word(): [string, string] {
    const r = this.rand();
    if (r < 0.25) {
      const w = WORDS[Math.floor(WORDS.length * this.rand() ** 2)]!;
      return [w, w];
    }
    if (r < 0.4) return this.pick(VERBS);
    if (r < 0.45) {
      const n = this.pick(this.names);
      return [n, n.toLowerCase()];
    }
    const base = VOCABULARY[nounRank(this.rand())]!;
    // Vowel harmony follows the last part of a compound.
    const endings = BACK.test(base.slice(-6)) ? ENDINGS_BACK : ENDINGS_FRONT;
    return [base + this.pick(endings), base];
  }

  sentence(lemmas: Set<string>, words = 6 + Math.floor(this.rand() * 9)): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const [w, l] = this.word();
      lemmas.add(l);
      out.push(out.length === 0 ? cap(w) : w);
    }
    return out.join(' ') + '.';
  }
}

interface Mention {
  group: string;
  start: number;
  end: number;
  surface: string;
  lemma: string;
  sentence: number;
  tone: (typeof TONES)[number];
  score: number;
  evidence: { start: number; end: number; lemma: string }[];
  frame: string;
}

interface Tag {
  group: (typeof GROUPS)[number];
  mentions: number;
  tone: (typeof TONES)[number];
  score: number;
  frame: string;
  voice: boolean;
}

interface WrittenArticle {
  title: string;
  lead: string;
  text: string;
  paragraphs: string[];
  lemmas: string;
  mentions: Mention[];
  words: number;
}

/** An article about its town, with the group words of its tags where the tags say. */
function writeArticle(w: TextWriter, rand: () => number, town: string, tags: Tag[]): WrittenArticle {
  const lemmas = new Set<string>();
  const titleWords = [w.word(), w.word(), w.word()];
  for (const [, l] of titleWords) lemmas.add(l);
  let title = `${cap(titleWords[0]![0])} ${titleWords[1]![0]} ${titleWords[2]![0]} – ${town}`;
  lemmas.add(town.toLowerCase());
  const headline = tags.length > 0 && rand() < 0.3 ? tags[0]! : null;
  if (headline) {
    const g = GROUP_WORDS[headline.group];
    const s = g.surfaces[Math.floor(rand() * g.surfaces.length)]!;
    title = `${cap(s)} ${titleWords[1]![0]} ${titleWords[2]![0]} – ${town}`;
  }
  const bodyOffset = title.length + 2;
  const lead = w.sentence(lemmas, 12 + Math.floor(rand() * 8));
  const paragraphs: string[] = [];
  const mentions: Mention[] = [];
  // Which paragraphs carry which mention: tags are spread over the body.
  const nParagraphs = 4 + Math.floor(rand() * 6);
  const placements: { paragraph: number; tag: Tag }[] = [];
  for (const t of tags) for (let k = 0; k < t.mentions; k++) placements.push({ paragraph: Math.floor(rand() * nParagraphs), tag: t });
  let at = 0; // length of the text written so far
  let sentenceNo = 2; // the title and the lead are sentences 0 and 1
  let words = 0;
  for (let p = 0; p < nParagraphs; p++) {
    if (p > 0) at += 2; // '\n\n'
    const sentences: string[] = [];
    let length = 0;
    const add = (s: string) => {
      if (sentences.length > 0) length += 1;
      sentences.push(s);
      length += s.length;
      sentenceNo++;
      words += s.split(' ').length;
    };
    const nSentences = 2 + Math.floor(rand() * 3);
    for (let s = 0; s < nSentences; s++) add(w.sentence(lemmas));
    for (const { tag } of placements.filter((x) => x.paragraph === p)) {
      const g = GROUP_WORDS[tag.group];
      const surface = g.surfaces[Math.floor(rand() * g.surfaces.length)]!;
      const template = TEMPLATES[tag.tone][Math.floor(rand() * TEMPLATES[tag.tone].length)]!;
      const [before, , after] = template.parts;
      const sentence = cap(before + surface + after);
      const sentenceStart = bodyOffset + at + length + (sentences.length > 0 ? 1 : 0);
      const start = sentenceStart + before.length;
      const evidence: Mention['evidence'] = [];
      if (template.evidence) {
        const e = sentence.indexOf(template.evidence.surface);
        evidence.push({ start: sentenceStart + e, end: sentenceStart + e + template.evidence.surface.length, lemma: template.evidence.lemma });
        lemmas.add(template.evidence.lemma);
      }
      mentions.push({ group: tag.group, start, end: start + surface.length, surface, lemma: g.lemma, sentence: sentenceNo, tone: tag.tone, score: tag.score, evidence, frame: tag.frame });
      lemmas.add(g.lemma);
      for (const word of sentence.slice(0, -1).split(/[ ,]+/)) if (word !== surface) lemmas.add(word.toLowerCase());
      add(sentence);
    }
    const paragraph = sentences.join(' ');
    paragraphs.push(paragraph);
    at += paragraph.length;
  }
  if (headline) {
    const g = GROUP_WORDS[headline.group];
    const surface = title.split(' ')[0]!;
    mentions.unshift({ group: headline.group, start: 0, end: surface.length, surface: surface.toLowerCase(), lemma: g.lemma, sentence: 0, tone: headline.tone, score: headline.score, evidence: [], frame: headline.frame });
  }
  return { title, lead, text: paragraphs.join('\n\n'), paragraphs, lemmas: [...lemmas].join(' '), mentions, words };
}

// ------------------------------------------------------------------ the store

function storeFileName(kind: SyntheticKind, articles: number, lastWeek: string): string {
  return kind === 'indicators' ? `indicators-${GENERATOR_VERSION}-${articles}.db` : `dashboard-${GENERATOR_VERSION}-${articles}-${lastWeek}.db`;
}

function removeDb(path: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
}

/**
 * The cached store of this kind and size, generated when missing (or with `fresh`). A dashboard
 * store ends in the week it was generated and is reused for a few weeks after.
 */
export async function syntheticStore(opts: { kind: SyntheticKind; articles: number; fresh?: boolean; log?: (line: string) => void }): Promise<SyntheticStore> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dir = join(tmpdir(), 'mediamittari-bench');
  mkdirSync(dir, { recursive: true });
  const thisWeek = weekOf(Date.now());
  let lastWeek = opts.kind === 'indicators' ? addWeeks(INDICATORS_FIRST_WEEK, SYNTHETIC_WEEKS - 1) : thisWeek;
  let path = join(dir, storeFileName(opts.kind, opts.articles, lastWeek));
  if (opts.kind === 'dashboard') {
    const prefix = `dashboard-${GENERATOR_VERSION}-${opts.articles}-`;
    const cached = readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.db'))
      .map((f) => f.slice(prefix.length, -3))
      .sort(compareWeeks);
    const recent = cached.filter((w) => compareWeeks(w, addWeeks(thisWeek, -DASHBOARD_STALE_WEEKS)) >= 0).at(-1);
    if (recent && !opts.fresh) {
      lastWeek = recent;
      path = join(dir, storeFileName(opts.kind, opts.articles, lastWeek));
    }
    for (const w of cached) if (w !== lastWeek) removeDb(join(dir, storeFileName(opts.kind, opts.articles, w)));
  }
  const firstWeek = addWeeks(lastWeek, -(SYNTHETIC_WEEKS - 1));
  const feeds = syntheticFeeds(opts.kind);
  let generatedSeconds: number | null = null;
  if (opts.fresh || !existsSync(path)) {
    const t0 = performance.now();
    await generate(path, opts.kind, opts.articles, firstWeek, feeds, log);
    generatedSeconds = (performance.now() - t0) / 1000;
    log(`generated ${opts.articles.toLocaleString('en')} articles (${opts.kind}) in ${generatedSeconds.toFixed(1)} s → ${path} (${(dbBytes(path) / 1e6).toFixed(0)} MB)`);
  } else {
    log(`reusing ${path} (${(dbBytes(path) / 1e6).toFixed(0)} MB; --fresh to generate again)`);
  }
  return { path, kind: opts.kind, articles: opts.articles, firstWeek, lastWeek, municipalities: SYNTHETIC_MUNICIPALITIES, feeds, generatedSeconds, bytes: dbBytes(path) };
}

function dbBytes(path: string): number {
  return ['', '-wal'].reduce((n, s) => n + (existsSync(path + s) ? statSync(path + s).size : 0), 0);
}

/** municipalities.yaml and feeds.yaml describing the store's towns and feeds, for a server over it. */
export function writeSyntheticConfig(store: SyntheticStore, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const byCode = new Map(store.municipalities.map((m) => [m.code, m]));
  writeFileSync(
    join(dir, 'municipalities.yaml'),
    stringify({ municipalities: store.municipalities.map((m) => ({ code: m.code, name_fi: m.nameFi, name_sv: m.nameFi, region: m.region, places: [] })) }),
  );
  writeFileSync(
    join(dir, 'feeds.yaml'),
    stringify({
      feeds: store.feeds.map((f) => ({
        id: f.id,
        name: f.name,
        url: f.url,
        kind: f.kind,
        ...(f.region ? { region: f.region } : { municipalities: f.municipalities.map((c) => byCode.get(c)!.nameFi) }),
        interval: `${f.intervalMs / 60_000}m`,
      })),
    }),
  );
}

async function generate(path: string, kind: SyntheticKind, articles: number, firstWeek: string, feeds: SyntheticFeed[], log: (line: string) => void): Promise<void> {
  removeDb(path);
  const dashboard = kind === 'dashboard';
  const store = new Store(path);
  const db = store.db;
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const rand = prng(42);
  const textRand = prng(4242);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const writer = new TextWriter(textRand);
  // The indicators' placeholder text: made-up words, Zipf-like in use, so TF-IDF has something to find.
  const vocab = Array.from({ length: 3000 }, (_, i) => `sana${i.toString(36)}${'aeiouyäö'[i % 8]}`);
  const word = () => vocab[Math.floor(vocab.length * textRand() ** 3)]!;
  const municipalities = SYNTHETIC_MUNICIPALITIES;
  const start = weekStart(firstWeek);
  const span = dashboard ? Math.min(SYNTHETIC_WEEKS * 7 * 86_400_000, Date.now() - 3_600_000 - start) : SYNTHETIC_WEEKS * 7 * 86_400_000;
  const byRegion = new Map<string, SyntheticFeed>(feeds.filter((f) => f.region).map((f) => [f.region!, f]));
  const analysts = dashboard ? ['aino.analyytikko', 'eero.analyytikko', 'kaisa.analyytikko'] : [];
  const hash = dashboard ? await hashPassword(randomBytes(24).toString('base64')) : '';

  db.transaction(() => {
    const muni = db.prepare('INSERT INTO municipalities (code, name_fi, name_sv, region) VALUES (?, ?, ?, ?)');
    for (const m of municipalities) muni.run(m.code, m.nameFi, m.nameFi, m.region);
    const feed = db.prepare(`INSERT INTO feeds (id, name, url, kind, region, interval_ms, enabled) VALUES (?, ?, ?, ?, ?, ?, 1)`);
    const link = db.prepare('INSERT INTO feed_municipalities (feed_id, municipality_code) VALUES (?, ?)');
    for (const f of feeds) {
      feed.run(f.id, f.name, f.url, f.kind, f.region, f.intervalMs);
      for (const c of f.municipalities) link.run(f.id, c);
    }
    const poll = db.prepare(`INSERT INTO polls (feed_id, started_at, duration_ms, outcome, http_status, items, new_items, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const f of feeds) {
      // A few feed-weeks with the feed down all week, so coverage has something to flag.
      let downUntil = 0;
      let last = { attempt: 0, success: 0 };
      for (let t = start; t < start + span; t += f.intervalMs) {
        if (dashboard && t >= downUntil && rand() < f.intervalMs / (7 * 86_400_000) / 100) downUntil = t + 7 * 86_400_000;
        const error = t < downUntil || rand() < 0.03;
        if (dashboard) poll.run(f.id, t, 40 + Math.floor(rand() * 400), error ? 'error' : rand() < 0.6 ? 'not_modified' : 'ok', error ? 503 : 200, error ? 0 : 20, error ? 0 : rand() < 0.3 ? 1 : 0, error ? 'HTTP 503' : null);
        else poll.run(f.id, t, 50, error ? 'error' : 'ok', null, 10, 1, null);
        last = { attempt: t, success: error ? last.success : t };
      }
      if (dashboard) {
        db.prepare('UPDATE feeds SET last_attempt_at = ?, last_success_at = ?, last_new_item_at = ?, next_poll_at = ?, last_status = 200 WHERE id = ?')
          .run(last.attempt, last.success, last.success, last.attempt + f.intervalMs, f.id);
      }
    }
    if (dashboard) {
      const user = db.prepare(`INSERT INTO users (username, role, password_hash, created_at) VALUES (?, 'analyst', ?, ?)`);
      for (const a of analysts) user.run(a, hash, start);
    }
  })();

  const article = db.prepare(
    `INSERT INTO articles (id, url, canonical_url, final_url, title, lead, text, paragraphs_json, published_at, published_ts, author, site_name, language,
       paywalled, used_feed_fallback, word_count, text_hash, duplicate_of, http_status, fetched_at, stored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)`,
  );
  const source = db.prepare('INSERT INTO article_sources (article_id, feed_id, item_key, first_seen_at) VALUES (?, ?, ?, ?)');
  const feedTown = db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, ?, 'feed')`);
  const analysis = db.prepare(
    `INSERT INTO analyses (article_id, version, analysed_at, language, tone, tone_score, frame, body_offset, truncated, result_json)
     VALUES (?, ?, ?, 'fi', ?, ?, ?, ?, 0, ?)`,
  );
  const place = db.prepare('INSERT INTO article_localities (article_id, municipality_code, score) VALUES (?, ?, ?)');
  const group = db.prepare('INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const mention = db.prepare(
    `INSERT INTO group_mentions (article_id, group_id, start, end, surface, lemma, rule, sentence, tone, tone_score, frame)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const search = db.prepare('INSERT INTO article_search (rowid, title, body, lemmas) VALUES (?, ?, ?, ?)');
  const correction = db.prepare(
    `INSERT INTO corrections (article_id, group_id, field, value, machine_value, user_id, username, created_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const version = dashboard ? 'a1-5f3c2e9d0b7a+voikko' : 'bench';
  let corrections = 0;

  const insertRange = db.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) {
      // Ids in time order, as the collector stores articles as they come.
      const ts = start + Math.floor(((id - 1 + rand()) / articles) * span);
      const m = Math.floor(municipalities.length * rand() ** 1.5); // some towns much bigger than others
      const town = municipalities[m]!;
      const dup = id > 100 && rand() < 0.05 ? id - 1 - Math.floor(rand() * 50) : null;
      const analysed = rand() >= 0.02; // the rest were stored before analysis existed: they count by their feed
      const groups: (typeof GROUPS)[number][] = [];
      if (analysed && rand() < 0.35) {
        groups.push(pick(GROUPS));
        if (rand() < 0.3) groups.push(pick(GROUPS));
      }
      const tags: Tag[] = [...new Set(groups)].map((g) => {
        const tone = pick(TONES);
        return { group: g, tone, score: tone === 'neg' ? -rand() : tone === 'pos' ? rand() : 0, mentions: 1 + Math.floor(rand() * 4), frame: pick(FRAMES), voice: rand() < 0.3 };
      });
      const otherTown = analysed && rand() < 0.2 ? Math.floor(municipalities.length * rand()) : m;
      const regional = dashboard && rand() < 0.25 ? byRegion.get(town.region)! : null;
      const via = regional ?? feeds[m]!;
      const fetched = ts + 600_000;
      const url = dashboard ? `${via.url.replace(/\/feed$/, '')}/uutiset/${id}` : `https://lehti${m + 1}.example.fi/a/${id}`;

      if (dashboard) {
        const a = writeArticle(writer, textRand, town.nameFi, tags);
        const undated = textRand() < 0.01;
        article.run(
          id, url, url, url, a.title, a.lead, a.text, JSON.stringify(a.paragraphs), undated ? null : new Date(ts).toISOString(), undated ? null : ts,
          `${writer.word()[0]} ${writer.word()[0]}`, via.name, 'fi', a.words, `h${id}`, dup, 200, fetched, fetched,
        );
        source.run(id, via.id, url, fetched);
        for (const c of via.municipalities) feedTown.run(id, c);
        search.run(id, a.title, a.text, analysed ? a.lemmas : '');
        if (!analysed) continue;
        const score = tags.reduce((s, t) => s + t.score, 0);
        const tone = tags.some((t) => t.tone === 'neg') ? 'neg' : tags[0]?.tone ?? 'neu';
        const frame = tags.length ? tags[0]!.frame : null;
        const bodyOffset = a.title.length + 2;
        const result: Analysis = {
          language: 'fi',
          municipalities: [{ code: town.code, score: 3, evidence: [{ start: a.title.length - town.nameFi.length, end: a.title.length, lemma: town.nameFi.toLowerCase(), weight: 3, rule: 'name+title' }] }],
          mentions: a.mentions.map((x) => ({
            group: x.group, start: x.start, end: x.end, surface: x.surface, lemma: x.lemma, rule: `lemma:${x.lemma}`, sentence: x.sentence,
            tone: { label: x.tone, score: x.score, evidence: x.evidence.map((e) => ({ ...e, weight: x.score, rule: 'afinn' })) }, frame: x.frame,
          })),
          groups: tags.map((t) => t.group),
          tone: { label: tone, score, evidence: a.mentions.flatMap((x) => x.evidence.map((e) => ({ ...e, weight: x.score, rule: 'afinn' }))) },
          frame,
          frames: Object.fromEntries(tags.map((t) => [t.frame, 1 / tags.length])),
          voice: tags.map((t) => ({ group: t.group, speaks: t.voice, evidence: [] })),
          version,
          bodyOffset,
          truncated: false,
        };
        analysis.run(id, version, fetched + 1000, tone, score, frame, bodyOffset, JSON.stringify(result));
        place.run(id, town.code, 3);
        if (otherTown !== m) place.run(id, municipalities[otherTown]!.code, 1);
        for (const x of a.mentions) mention.run(id, x.group, x.start, x.end, x.surface, x.lemma, `lemma:${x.lemma}`, x.sentence, x.tone, x.score, x.frame);
        for (const t of tags) {
          group.run(id, t.group, a.mentions.filter((x) => x.group === t.group).length, t.tone, t.score, t.frame, t.voice ? 1 : 0);
          // One tag in a hundred has been looked at by an analyst: mostly confirmed, some corrected.
          if (textRand() < 0.01) {
            const u = Math.floor(textRand() * analysts.length);
            const field = (['tone', 'frame', 'voice', 'present'] as const)[Math.floor(textRand() * 4)]!;
            const machine = field === 'tone' ? t.tone : field === 'frame' ? t.frame : field === 'voice' ? (t.voice ? '1' : '0') : '1';
            const confirm = textRand() < 0.6;
            const value = confirm ? machine : field === 'tone' ? (t.tone === 'neg' ? 'neu' : 'neg') : field === 'frame' ? 'other' : machine === '1' ? '0' : '1';
            correction.run(id, t.group, field, value, machine, u + 1, analysts[u]!, fetched + Math.floor(textRand() * 14 * 86_400_000), confirm ? null : 'tarkistettu tekstistä');
            corrections++;
          }
        }
      } else {
        const text = Array.from({ length: 40 }, word).join(' ');
        article.run(id, url, null, null, `Otsikko ${word()} ${word()}`, `Ingressi ${word()} ${word()} ${word()}`, text, '[]', null, ts, null, null, null, 40, `h${id}`, dup, null, fetched, fetched);
        feedTown.run(id, town.code);
        if (!analysed) continue;
        const tone = tags.some((t) => t.tone === 'neg') ? 'neg' : tags[0]?.tone ?? 'neu';
        analysis.run(id, version, fetched + 100_000, tone, 0, tags.length ? pick(FRAMES) : null, 0, '{}');
        place.run(id, town.code, 1);
        if (otherTown !== m) place.run(id, municipalities[otherTown]!.code, 1);
        for (const t of tags) group.run(id, t.group, t.mentions, t.tone, t.score, t.frame, t.voice ? 1 : 0);
      }
    }
  });
  const t0 = performance.now();
  const step = 20_000;
  for (let from = 1; from <= articles; from += step) {
    insertRange(from, Math.min(from + step - 1, articles));
    if (process.stderr.isTTY) process.stderr.write(`\r  ${Math.min(from + step - 1, articles).toLocaleString('en')} articles`);
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  log(`  articles written in ${((performance.now() - t0) / 1000).toFixed(1)} s${dashboard ? ` (${corrections.toLocaleString('en')} corrections)` : ''}`);
  db.pragma('synchronous = NORMAL');
  if (dashboard) {
    const r = refreshIndicators(store);
    log(`  indicator counts for ${r.weeks.length} weeks in ${(r.ms / 1000).toFixed(1)} s`);
  } else {
    db.exec('ANALYZE');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}
