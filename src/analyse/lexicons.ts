// Loading and validating the lexicons under config/lexicons/ and the place names of
// config/municipalities.yaml. Every mistake is reported with its file, line, field and what
// was expected, all at once, so an operator can fix a file in one go.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, YamlFile, type ConfigProblem, type YamlCursor } from '../config/yamlFile.ts';

export type Lang = 'fi' | 'sv' | 'en';
export const LANGS: readonly Lang[] = ['fi', 'sv', 'en'];

export interface ContextRule {
  near: string[];
  window: number;
  /** Re-label the mention as this group; null drops it. */
  then?: string | null;
  /** Tag this group as well. */
  also?: string;
}

export interface GroupTerm {
  lemma: string;
  prefixes: string[];
  attributive: 'any' | 'people' | 'common';
  scope: 'anywhere' | 'resident';
  position: 'any' | 'head' | 'whole';
  topic: boolean;
  context: ContextRule[];
  exclude: string[];
  line: number;
}

export interface Group {
  id: string;
  label: Record<Lang, string>;
  terms: GroupTerm[];
  /** Token patterns: per position the accepted lemmas, "*" for any token. */
  phrases: string[][][];
  sv: string[];
  en: string[];
  exclude: string[];
}

export interface GroupLexicon {
  populationHeads: string[];
  residenceCues: string[];
  groups: Group[];
}

export interface ToneLexicon {
  thresholds: { negative: number; positive: number };
  neighbourWeight: number;
  negationWindow: number;
  negationFactor: number;
  negators: Record<Lang, string[]>;
  intensifiers: Record<Lang, Map<string, number>>;
  afinn: { fi: Map<string, number>; sv: Map<string, number>; weight: number; ignore: Set<string> };
  domain: Record<Lang, Map<string, number>>;
}

export interface FrameLexicon {
  /** Frame ids in tie-break order. */
  ids: string[];
  fallback: string;
  neighbourWeight: number;
  negativeToneBonus: number;
  cues: Record<Lang, Map<string, { frame: string; weight: number }[]>>;
}

export interface VoiceLexicon {
  speakerWindow: number;
  speechVerbs: Record<Lang, string[]>;
  attribution: Record<Lang, string[]>;
}

export interface Place {
  code: string;
  nameFi: string;
  nameSv: string;
  places: string[];
  /** Inflection stems (Huittis-, Haukiputaa-) matched with Finnish case endings. */
  forms: string[];
}

export interface Lexicons {
  /** Hash of the lexicon files, the place file and the analysis code. */
  version: string;
  groups: GroupLexicon;
  tone: ToneLexicon;
  frames: FrameLexicon;
  voice: VoiceLexicon;
  places: Place[];
  files: string[];
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
const ID = /^[a-z][a-z0-9_]*$/;

export interface LoadLexiconsOptions {
  /** Folder with groups.yaml, tone.yaml, frames.yaml, voice.yaml (default <repo>/config/lexicons). */
  dir?: string;
  /** Default <repo>/config/municipalities.yaml. */
  municipalitiesFile?: string;
}

export function loadLexicons(opts: LoadLexiconsOptions = {}): Lexicons {
  const dir = opts.dir ?? join(REPO_ROOT, 'config', 'lexicons');
  const muniFile = opts.municipalitiesFile ?? join(REPO_ROOT, 'config', 'municipalities.yaml');
  const problems: ConfigProblem[] = [];
  const texts: [string, string][] = [];
  const read = <T>(file: string, parse: (f: YamlFile) => T): T | null => {
    let f: YamlFile;
    try {
      f = YamlFile.read(file);
    } catch (e) {
      if (e instanceof ConfigError) {
        problems.push(...e.problems);
        return null;
      }
      throw e;
    }
    texts.push([file, readFileSync(file, 'utf8')]);
    const value = f.problems.length === 0 ? parse(f) : null;
    problems.push(...f.problems);
    return value;
  };
  const groups = read(join(dir, 'groups.yaml'), parseGroups);
  const tone = read(join(dir, 'tone.yaml'), (f) => parseTone(f, dir, problems, texts));
  const frames = read(join(dir, 'frames.yaml'), parseFrames);
  const voice = read(join(dir, 'voice.yaml'), parseVoice);
  const places = read(muniFile, parsePlaces);
  if (problems.length > 0 || !groups || !tone || !frames || !voice || !places) throw new ConfigError(problems);
  return { version: versionOf(texts), groups, tone, frames, voice, places, files: texts.map(([f]) => f) };
}

// The analysis code is part of the version: a changed rule re-tags as surely as a changed list.
function versionOf(texts: [string, string][]): string {
  const h = createHash('sha256');
  // By file name, not path: the same lexicons give the same version wherever they lie.
  const named = texts.map(([file, text]) => [basename(file), text] as const);
  for (const [name, text] of named.sort((a, b) => a[0].localeCompare(b[0]))) {
    h.update(name).update('\0').update(text).update('\0');
  }
  try {
    for (const name of readdirSync(HERE).filter((n) => n.endsWith('.ts')).sort()) {
      h.update(name).update('\0').update(readFileSync(join(HERE, name))).update('\0');
    }
  } catch {
    h.update('code-unreadable');
  }
  return `a1-${h.digest('hex').slice(0, 12)}`;
}

// ---------------------------------------------------------------- readers

function lemmaList(c: YamlCursor, required = false): string[] {
  const out: string[] = [];
  for (const s of c.stringList({ required })) {
    if (s.trim() === '') c.problem('expected a non-empty word');
    else out.push(s.trim());
  }
  return out;
}

function enumOf<T extends string>(c: YamlCursor, allowed: readonly T[], fallback: T): T {
  const s = c.string({ fallback });
  if (s === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(s)) {
    c.problem(`expected one of ${allowed.join(', ')}, got "${s}"`);
    return fallback;
  }
  return s as T;
}

function perLang<T>(c: YamlCursor, read: (c: YamlCursor) => T, empty: () => T): Record<Lang, T> {
  if (!c.isMissing() && !c.isMap()) c.problem('expected a mapping with fi, sv and en');
  c.rejectUnknownKeys(LANGS);
  return { fi: c.get('fi').isMissing() ? empty() : read(c.get('fi')), sv: c.get('sv').isMissing() ? empty() : read(c.get('sv')), en: c.get('en').isMissing() ? empty() : read(c.get('en')) };
}

function numberMap(c: YamlCursor, opts: { min?: number; max?: number } = {}): Map<string, number> {
  const out = new Map<string, number>();
  if (c.isMissing()) return out;
  if (!c.isMap()) {
    c.problem('expected a mapping of word: number');
    return out;
  }
  for (const key of c.keys()) {
    const v = c.get(key).number({ fallback: NaN, ...opts });
    if (c.get(key).isMissing()) c.get(key).problem('expected a number');
    else if (!Number.isNaN(v)) out.set(key, v);
  }
  return out;
}

function parseGroups(f: YamlFile): GroupLexicon {
  const root = f.root();
  root.rejectUnknownKeys(['population_heads', 'residence_cues', 'groups']);
  const populationHeads = lemmaList(root.get('population_heads'));
  const residenceCues = lemmaList(root.get('residence_cues'));
  const list = root.get('groups');
  if (!list.isSeq()) list.problem('expected a list of groups (id, label, terms, phrases, sv, en, exclude)');
  const groups: Group[] = [];
  const seen = new Map<string, number>();
  const refs: { c: YamlCursor; id: string }[] = [];
  for (const g of list.items()) {
    g.rejectUnknownKeys(['id', 'label', 'terms', 'phrases', 'sv', 'en', 'exclude']);
    const id = g.get('id').string({ required: true, pattern: ID, patternHint: 'a lower-case id such as immigrants' });
    if (id && seen.has(id)) g.get('id').problem(`duplicate group id "${id}" (first at line ${seen.get(id)})`);
    if (id) seen.set(id, g.line);
    const labelC = g.get('label');
    const label = perLang(labelC, (c) => c.string({ required: true }) ?? '', () => id ?? '');
    const terms: GroupTerm[] = [];
    const termsC = g.get('terms');
    if (!termsC.isSeq()) termsC.problem('expected a list of terms (a lemma, or { lemma, prefixes, attributive, scope, position, topic, context, exclude })');
    for (const t of termsC.items()) {
      const term = parseTerm(t, refs);
      if (term) terms.push(term);
    }
    if (termsC.isSeq() && terms.length === 0) termsC.problem('expected at least one term');
    const phrases: string[][][] = [];
    for (const p of g.get('phrases').items()) {
      const words = p.stringList({ required: true });
      if (words.length < 2) p.problem('expected a phrase of at least two words');
      else phrases.push(words.map((w) => w.split('|').map((x) => x.trim().toLowerCase()).filter((x) => x !== '')));
    }
    if (!g.get('phrases').isMissing() && !g.get('phrases').isSeq()) g.get('phrases').problem('expected a list of phrases, each a list of lemmas');
    const sv = lemmaList(g.get('sv'));
    const en = lemmaList(g.get('en'));
    const exclude = lemmaList(g.get('exclude'));
    if (id) groups.push({ id, label, terms, phrases, sv, en, exclude });
  }
  const ids = new Set(groups.map((g) => g.id));
  for (const r of refs) if (!ids.has(r.id)) r.c.problem(`unknown group "${r.id}"; expected one of: ${[...ids].join(', ')} or none`);
  return { populationHeads, residenceCues, groups };
}

function parseTerm(t: YamlCursor, refs: { c: YamlCursor; id: string }[]): GroupTerm | null {
  const base: GroupTerm = { lemma: '', prefixes: [], attributive: 'any', scope: 'anywhere', position: 'any', topic: false, context: [], exclude: [], line: t.line };
  if (!t.isMap()) {
    const lemma = t.string({ required: true });
    return lemma ? { ...base, lemma } : null;
  }
  t.rejectUnknownKeys(['lemma', 'prefixes', 'attributive', 'scope', 'position', 'topic', 'context', 'exclude']);
  const lemma = t.get('lemma').string({ required: true });
  const context: ContextRule[] = [];
  const ctxC = t.get('context');
  if (!ctxC.isMissing() && !ctxC.isSeq()) ctxC.problem('expected a list of { near, window, then | also }');
  for (const c of ctxC.items()) {
    c.rejectUnknownKeys(['near', 'window', 'then', 'also']);
    const near = lemmaList(c.get('near'), true);
    const window = c.get('window').number({ fallback: 3, min: 1, max: 50, integer: true });
    const hasThen = !c.get('then').isMissing();
    const hasAlso = !c.get('also').isMissing();
    if (hasThen === hasAlso) c.problem('expected exactly one of then: <group id | none> or also: <group id>');
    const then = hasThen ? c.get('then').string({ required: true }) : undefined;
    const also = hasAlso ? c.get('also').string({ required: true }) : undefined;
    if (then !== undefined && then !== 'none') refs.push({ c: c.get('then'), id: then });
    if (also !== undefined) refs.push({ c: c.get('also'), id: also });
    context.push({ near, window, ...(hasThen ? { then: then === 'none' ? null : (then ?? null) } : {}), ...(also !== undefined ? { also } : {}) });
  }
  if (!lemma) return null;
  return {
    ...base,
    lemma,
    prefixes: lemmaList(t.get('prefixes')).map((p) => p.toLowerCase()),
    attributive: enumOf(t.get('attributive'), ['any', 'people', 'common'] as const, 'any'),
    scope: enumOf(t.get('scope'), ['anywhere', 'resident'] as const, 'anywhere'),
    position: enumOf(t.get('position'), ['any', 'head', 'whole'] as const, 'any'),
    topic: t.get('topic').boolean(false),
    context,
    exclude: lemmaList(t.get('exclude')),
  };
}

function parseTone(f: YamlFile, dir: string, problems: ConfigProblem[], texts: [string, string][]): ToneLexicon {
  const root = f.root();
  root.rejectUnknownKeys(['thresholds', 'neighbour_weight', 'negation_window', 'negation_factor', 'negators', 'intensifiers', 'afinn', 'domain']);
  const th = root.get('thresholds');
  th.rejectUnknownKeys(['negative', 'positive']);
  const negative = th.get('negative').number({ fallback: -1.5, max: 0 });
  const positive = th.get('positive').number({ fallback: 1.5, min: 0 });
  const afinnC = root.get('afinn');
  afinnC.rejectUnknownKeys(['fi', 'sv', 'weight', 'ignore']);
  const loadList = (c: YamlCursor): Map<string, number> => {
    const name = c.string({ required: true });
    if (!name) return new Map();
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      c.problem(`cannot read word list ${path}`);
      return new Map();
    }
    texts.push([path, text]);
    return parseWordList(path, text, problems);
  };
  return {
    thresholds: { negative, positive },
    neighbourWeight: root.get('neighbour_weight').number({ fallback: 0.5, min: 0, max: 1 }),
    negationWindow: root.get('negation_window').number({ fallback: 3, min: 1, max: 10, integer: true }),
    negationFactor: root.get('negation_factor').number({ fallback: -0.6, min: -2, max: 0 }),
    negators: perLang(root.get('negators'), (c) => lemmaList(c), () => []),
    intensifiers: perLang(root.get('intensifiers'), (c) => numberMap(c, { min: 0, max: 5 }), () => new Map()),
    afinn: {
      fi: loadList(afinnC.get('fi')),
      sv: loadList(afinnC.get('sv')),
      weight: afinnC.get('weight').number({ fallback: 0.35, min: 0, max: 2 }),
      ignore: new Set(lemmaList(afinnC.get('ignore')).map((w) => w.toLowerCase())),
    },
    domain: perLang(root.get('domain'), (c) => numberMap(c, { min: -5, max: 5 }), () => new Map()),
  };
}

/** AFINN format: one `word<TAB>score` per line, score an integer in −5…5. */
export function parseWordList(path: string, text: string, problems: ConfigProblem[]): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const tab = line.lastIndexOf('\t');
    const word = tab > 0 ? line.slice(0, tab).trim() : '';
    const score = tab > 0 ? Number(line.slice(tab + 1).trim()) : NaN;
    if (word === '' || !Number.isInteger(score) || score < -5 || score > 5) {
      problems.push({ file: path, line: i + 1, field: 'entry', message: `expected "word<TAB>score" with an integer score in -5…5, got "${line.slice(0, 60)}"` });
      continue;
    }
    out.set(word.toLowerCase(), score);
  }
  return out;
}

function parseFrames(f: YamlFile): FrameLexicon {
  const root = f.root();
  root.rejectUnknownKeys(['neighbour_weight', 'fallback', 'negative_tone_bonus', 'frames']);
  const framesC = root.get('frames');
  if (!framesC.isMap()) framesC.problem('expected a mapping of frame id → { fi, sv, en } cue maps');
  const ids: string[] = [];
  const cues: Record<Lang, Map<string, { frame: string; weight: number }[]>> = { fi: new Map(), sv: new Map(), en: new Map() };
  for (const id of framesC.keys()) {
    const fc = framesC.get(id);
    if (!ID.test(id)) fc.problem('expected a lower-case frame id');
    ids.push(id);
    const maps = perLang(fc, (c) => numberMap(c, { min: 0, max: 10 }), () => new Map<string, number>());
    for (const lang of LANGS) {
      for (const [word, weight] of maps[lang]) {
        const key = word;
        const list = cues[lang].get(key) ?? [];
        list.push({ frame: id, weight });
        cues[lang].set(key, list);
      }
    }
  }
  const fallback = root.get('fallback').string({ fallback: 'other' }) ?? 'other';
  if (framesC.isMap() && !ids.includes(fallback)) root.get('fallback').problem(`expected one of the frames (${ids.join(', ')}), got "${fallback}"`);
  return {
    ids,
    fallback,
    neighbourWeight: root.get('neighbour_weight').number({ fallback: 0.5, min: 0, max: 1 }),
    negativeToneBonus: root.get('negative_tone_bonus').number({ fallback: 0, min: 0, max: 5 }),
    cues,
  };
}

function parseVoice(f: YamlFile): VoiceLexicon {
  const root = f.root();
  root.rejectUnknownKeys(['speaker_window', 'speech_verbs', 'attribution']);
  const speechVerbs = perLang(root.get('speech_verbs'), (c) => [...new Set(lemmaList(c, true))], () => []);
  if (speechVerbs.fi.length === 0) root.get('speech_verbs').get('fi').problem('expected at least one Finnish speech verb');
  return {
    speakerWindow: root.get('speaker_window').number({ fallback: 4, min: 1, max: 12, integer: true }),
    speechVerbs,
    attribution: perLang(root.get('attribution'), (c) => lemmaList(c), () => []),
  };
}

function parsePlaces(f: YamlFile): Place[] {
  // The municipality file belongs to the config loader; here only the fields the analysis
  // reads are checked, and other fields are left to that loader.
  const list = f.root().get('municipalities');
  if (!list.isSeq()) list.problem('expected a list of municipalities (code, name_fi, name_sv, places, forms)');
  const out: Place[] = [];
  for (const m of list.items()) {
    const code = m.get('code').string({ required: true, pattern: /^\d{3}$/, patternHint: 'a three-digit municipality code in quotes' });
    const nameFi = m.get('name_fi').string({ required: true });
    const nameSv = m.get('name_sv').string({ fallback: nameFi });
    const places = m.get('places').stringList();
    const forms = m.get('forms').stringList();
    if (code && nameFi) out.push({ code, nameFi, nameSv: nameSv ?? nameFi, places, forms });
  }
  return out;
}
