// A synthetic tagged corpus of any size, inserted straight into the store's tables (no
// extraction, dedup or analysis on the way), for the export benchmark and for tests that need
// an export long enough to interrupt. Deterministic for a given seed.
import type { Analysis } from '../../src/analyse/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { Store } from '../../src/store/store.ts';
import { prng } from '../../src/demo/synthetic.ts';

const SENTENCES = [
  'Kaupunginvaltuusto käsitteli asiaa maanantain kokouksessaan.',
  'Päätöksestä voi valittaa hallinto-oikeuteen kolmenkymmenen päivän kuluessa.',
  'Asukkaat ovat kyselleet hankkeen aikataulusta, ja kaupunki lupaa tiedottaa syksyllä.',
  'Hankkeen kustannusarvio on noin 2,5 miljoonaa euroa, josta valtio maksaa puolet.',
  'Tilaisuus järjestetään kirjaston auditoriossa, ja sinne on vapaa pääsy.',
  'Liikennejärjestelyt muuttuvat keskustassa ensi viikon alusta.',
  'Koulun peruskorjaus valmistuu suunnitelmien mukaan ensi vuoden elokuussa.',
  'Yrittäjäyhdistyksen mukaan alueen palvelut ovat kehittyneet myönteisesti.',
  'Terveysaseman aukioloajat pitenevät arkisin kello kahdeksaan asti.',
  'Urheiluseura juhlii tänä vuonna sataa toimintavuottaan.',
  'Kaupungin talousarvio on tiukka, mutta investoinnit jatkuvat.',
  'Sadevesiviemärin rakentaminen aiheuttaa katkoja vedenjakeluun.',
];

const GROUPS: { group: string; word: string; lemma: string }[] = [
  { group: 'roma', word: 'romanit', lemma: 'romani' },
  { group: 'immigrants', word: 'maahanmuuttajat', lemma: 'maahanmuuttaja' },
  { group: 'sami', word: 'saamelaiset', lemma: 'saamelainen' },
  { group: 'asylum_seekers', word: 'turvapaikanhakijat', lemma: 'turvapaikanhakija' },
  { group: 'ukrainians', word: 'ukrainalaiset', lemma: 'ukrainalainen' },
];

const FRAMES = ['crime_security', 'integration_work', 'culture_community', 'policy_admin', 'victim_discrimination'];
const MUNICIPALITIES = ['061', '102', '422', '543', '564', '837', '851'];


export interface SyntheticOptions {
  articles: number;
  /** Share of articles that mention a group (local news: a minority). */
  mentionShare?: number;
  seed?: number;
  /** Called every 10,000 articles while generating. */
  onProgress?: (done: number) => void;
}

/** Creates (or fills) a store at `path` with `articles` synthetic analysed articles. */
export function generateSyntheticStore(path: string, opts: SyntheticOptions): void {
  const rnd = prng(opts.seed ?? 7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const share = opts.mentionShare ?? 0.2;
  const store = new Store(path);
  const config = loadConfig({ overrides: { storePath: path } });
  store.syncConfig(config);
  const feeds = config.feeds.map((f) => f.id);
  const db = store.db;
  db.pragma('synchronous = OFF');
  const article = db.prepare(
    `INSERT INTO articles (id, url, canonical_url, final_url, title, lead, text, paragraphs_json, published_at, published_ts, language,
       paywalled, used_feed_fallback, word_count, text_hash, duplicate_of, http_status, fetched_at, stored_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, '[]', ?, ?, 'fi', 0, 0, ?, ?, ?, 200, ?, ?)`,
  );
  const source = db.prepare('INSERT INTO article_sources (article_id, feed_id, item_key, first_seen_at) VALUES (?, ?, ?, ?)');
  const locality = db.prepare('INSERT INTO article_localities (article_id, municipality_code, score) VALUES (?, ?, ?)');
  const analysis = db.prepare(
    `INSERT INTO analyses (article_id, version, analysed_at, language, tone, tone_score, frame, body_offset, truncated, result_json)
     VALUES (?, ?, ?, 'fi', ?, ?, ?, ?, 0, ?)`,
  );
  const mention = db.prepare(
    `INSERT INTO group_mentions (article_id, group_id, start, end, surface, lemma, rule, sentence, tone, tone_score, frame)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare('INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, ?, 1, ?, ?, ?, ?)');
  const first = ((db.prepare('SELECT MAX(id) m FROM articles').get() as { m: number | null }).m ?? 0) + 1;
  const t0 = Date.parse('2026-01-05T06:00:00Z');
  const version = 'synthetic-1+voikko';

  const insertRange = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const title = `${pick(['Kaupunki', 'Valtuusto', 'Koulu', 'Seura', 'Kirjasto'])} ${pick(['päätti', 'kertoi', 'avaa', 'juhlii', 'selvittää'])} asiaa ${id}`;
      const body: string[] = [];
      for (let p = 0; p < 3; p++) {
        const para: string[] = [];
        for (let s = 0; s < 3; s++) para.push(pick(SENTENCES));
        body.push(para.join(' '));
      }
      const g = rnd() < share ? pick(GROUPS) : null;
      let mentionAt = -1;
      let evidenceAt = -1;
      const negative = rnd() < 0.3;
      if (g) {
        const sentence = negative ? `Poliisin mukaan ${g.word} joutuivat häirinnän kohteeksi.` : `Järjestäjien mukaan ${g.word} osallistuivat juhlaan innokkaasti.`;
        body[1] = `${body[1]} ${sentence}`;
      }
      const text = body.join('\n\n');
      const bodyOffset = title.length + 2;
      if (g) {
        mentionAt = bodyOffset + text.indexOf(g.word);
        evidenceAt = bodyOffset + text.indexOf(negative ? 'häirinnän' : 'innokkaasti');
      }
      const published = t0 + Math.floor(rnd() * 320 * 86_400_000);
      const fetched = published + 600_000;
      const muni = pick(MUNICIPALITIES);
      const dup = id > first + 100 && rnd() < 0.01 ? id - 1 - Math.floor(rnd() * 100) : null;
      article.run(
        id,
        `https://synthetic.example/${id}`,
        `https://synthetic.example/c/${id}`,
        `https://synthetic.example/${id}`,
        title,
        text,
        new Date(published).toISOString(),
        published,
        text.split(/\s+/).length,
        `h${id}`,
        dup,
        fetched,
        fetched,
      );
      source.run(id, pick(feeds), `https://synthetic.example/${id}`, fetched);
      locality.run(id, muni, 3);
      const tone = g ? (negative ? 'neg' : 'pos') : 'neu';
      const toneScore = g ? (negative ? -2 : 1.5) : 0;
      const frame = g ? (negative ? 'crime_security' : pick(FRAMES)) : null;
      const evidence = g ? [{ start: evidenceAt, end: evidenceAt + (negative ? 9 : 11), lemma: negative ? 'häirintä' : 'innokkaasti', weight: toneScore, rule: 'domain' }] : [];
      const result: Analysis = {
        language: 'fi',
        municipalities: [{ code: muni, score: 3, evidence: [{ start: 0, end: 5, lemma: 'paikka', weight: 3, rule: 'name-form+title' }] }],
        mentions: g
          ? [{ group: g.group, start: mentionAt, end: mentionAt + g.word.length, surface: g.word, lemma: g.lemma, rule: `lemma:${g.lemma}`, sentence: 5, tone: { label: tone, score: toneScore, evidence }, frame: frame! }]
          : [],
        groups: g ? [g.group] : [],
        tone: { label: tone, score: toneScore, evidence },
        frame,
        frames: frame ? { [frame]: 1 } : {},
        voice: g ? [{ group: g.group, speaks: false, evidence: [] }] : [],
        version,
        bodyOffset,
        truncated: false,
      };
      analysis.run(id, version, fetched + 1000, tone, toneScore, frame, bodyOffset, JSON.stringify(result));
      if (g) {
        mention.run(id, g.group, mentionAt, mentionAt + g.word.length, g.word, g.lemma, `lemma:${g.lemma}`, 5, tone, toneScore, frame);
        tag.run(id, g.group, tone, toneScore, frame, 0);
      }
    }
  });
  const step = 10_000;
  for (let from = first; from < first + opts.articles; from += step) {
    insertRange(from, Math.min(from + step, first + opts.articles));
    opts.onProgress?.(Math.min(from + step, first + opts.articles) - first);
  }
  db.pragma('synchronous = NORMAL');
  store.close();
}
