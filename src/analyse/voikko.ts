// Finnish morphology from libvoikko (Debian: libvoikko1 + voikko-fi) through the koffi FFI.
// Voikko gives every reading of a word: base form, word class, case, number and the base
// forms of compound parts ("WORDBASES"), which is what group matching needs:
// "turvapaikanhakijakeskuksessa" → turva + paikka + hakija + keskus.
import koffi from 'koffi';
import type { Reading, PartOfSpeech } from './morphology.ts';

const LIBRARY_NAMES = ['libvoikko.so.1', '/usr/lib/x86_64-linux-gnu/libvoikko.so.1', '/usr/lib/aarch64-linux-gnu/libvoikko.so.1', 'libvoikko.1.dylib', 'libvoikko-1.dll'];

// Longer "words" (URLs glued together, base64, a 10,000-character token) are not Finnish
// words; Voikko would only spend time on them.
export const MAX_VOIKKO_WORD = 80;

interface VoikkoApi {
  handle: unknown;
  analyze: (h: unknown, word: string) => unknown;
  freeAnalysis: (a: unknown) => void;
  value: (a: unknown, key: string) => unknown;
  freeValue: (v: unknown) => void;
  terminate: (h: unknown) => void;
}

export interface VoikkoBinding {
  readings(word: string): Reading[];
  close(): void;
}

/**
 * Opens libvoikko with its default dictionary path; throws with the reason when it cannot.
 * MEDIAMITTARI_VOIKKO_LIB and MEDIAMITTARI_VOIKKO_DICT point to a library or dictionary
 * folder elsewhere (a non-Debian layout).
 */
export function openVoikko(): VoikkoBinding {
  let lib: ReturnType<typeof koffi.load> | null = null;
  const failures: string[] = [];
  const override = process.env.MEDIAMITTARI_VOIKKO_LIB;
  for (const name of override ? [override] : LIBRARY_NAMES) {
    try {
      lib = koffi.load(name);
      break;
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (!lib) throw new Error(`libvoikko not found (${failures[0] ?? 'no candidates'})`);
  const init = lib.func('void *voikkoInit(_Out_ const char **error, const char *langcode, const char *path)');
  const err: (string | null)[] = [null];
  const handle = init(err, 'fi', process.env.MEDIAMITTARI_VOIKKO_DICT ?? null);
  if (!handle) throw new Error(`voikkoInit failed: ${err[0] ?? 'no Finnish dictionary (voikko-fi)'}`);
  const api: VoikkoApi = {
    handle,
    analyze: lib.func('void *voikkoAnalyzeWordCstr(void *handle, const char *word)'),
    freeAnalysis: lib.func('void voikko_free_mor_analysis(void *analysis)'),
    value: lib.func('void *voikko_mor_analysis_value_cstr(void *analysis, const char *key)'),
    freeValue: lib.func('void voikko_free_mor_analysis_value_cstr(void *value)'),
    terminate: lib.func('void voikkoTerminate(void *handle)'),
  };
  let open = true;
  return {
    readings(word: string): Reading[] {
      if (!open || word.length === 0 || word.length > MAX_VOIKKO_WORD) return [];
      return analyseWord(api, word);
    },
    close(): void {
      if (open) api.terminate(api.handle);
      open = false;
    },
  };
}

function getValue(api: VoikkoApi, analysis: unknown, key: string): string | null {
  const v = api.value(analysis, key);
  if (!v) return null;
  const s = koffi.decode(v, 'char', -1) as string;
  api.freeValue(v);
  return s;
}

function analyseWord(api: VoikkoApi, word: string): Reading[] {
  const list = api.analyze(api.handle, word);
  if (!list) return [];
  const raw: { base: string; cls: string | null; sija: string | null; num: string | null; bases: string | null }[] = [];
  try {
    for (let i = 0; i < 64; i++) {
      const a = koffi.decode(list, i * koffi.sizeof('void *'), 'void *');
      if (!a) break;
      const base = getValue(api, a, 'BASEFORM');
      if (!base) continue;
      raw.push({ base, cls: getValue(api, a, 'CLASS'), sija: getValue(api, a, 'SIJAMUOTO'), num: getValue(api, a, 'NUMBER'), bases: getValue(api, a, 'WORDBASES') });
    }
  } finally {
    api.freeAnalysis(list);
  }
  return toReadings(raw);
}

/** Exported for tests: turns raw Voikko analyses into readings, keeping the fewest-part segmentations. */
export function toReadings(raw: { base: string; cls: string | null; sija: string | null; num: string | null; bases: string | null }[]): Reading[] {
  const withParts = raw.map((r) => ({ r, parts: r.bases ? compoundParts(r.bases, r.base) : null }));
  // Voikko lists every segmentation ("islam+maa+ilma" beside "islam+maailma",
  // "romani+alainen" beside "Romania+lainen"); the one with fewest parts is the usual reading.
  const counts = withParts.filter((x) => x.parts && x.parts.length > 0).map((x) => x.parts!.length);
  const best = counts.length > 0 ? Math.min(...counts) : Infinity;
  const out: Reading[] = [];
  const seen = new Set<string>();
  for (const { r, parts } of withParts) {
    if (Number.isFinite(best) && (!parts || parts.length !== best)) continue;
    const reading: Reading = {
      lemma: r.base,
      parts: parts && parts.length > 0 ? parts : [r.base.toLowerCase()],
      pos: partOfSpeech(r.cls),
      case: r.sija ?? undefined,
      plural: r.num === 'plural',
      proper: properKind(r.cls),
      negativeDerivation: r.bases ? /\(\+(ton|tön)\)$/.test(r.bases) : false,
    };
    const key = `${reading.lemma}|${reading.parts.join('+')}|${reading.pos}|${reading.case}|${reading.plural}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(reading);
  }
  return out;
}

/**
 * WORDBASES looks like "+turva(turva)+paikan(paikka)+haki(hakea)+ja(+ja)+keskus(keskus)".
 * A segment whose base starts with "+" (or has no base after the first) is a derivational
 * suffix and joins the previous part: haki + ja → "hakija". The last part is read off the
 * word's base form, which spells derivations right ("romanialaisuus", "taustainen").
 */
export function compoundParts(wordbases: string, baseform?: string): string[] {
  const segs: { surface: string; base: string | null }[] = [];
  const re = /\+([^+(]*)(?:\(([^)]*)\))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(wordbases)) !== null) {
    const surface = m[1] ?? '';
    if (surface === '' && m[2] === undefined) continue;
    segs.push({ surface, base: m[2] ?? null });
  }
  const parts: { text: string; stem: string; surface: string; derived: boolean }[] = [];
  for (const s of segs) {
    if (s.surface === '-' && s.base === null) continue;
    const surface = s.surface.toLowerCase().replace(/=/g, '');
    const last = parts[parts.length - 1];
    const isSuffix = (s.base !== null && s.base.startsWith('+')) || (s.base === null && last !== undefined && !isFreePrefix(s.surface));
    if (isSuffix && last) {
      const suffix = s.base !== null ? s.base.slice(1) || s.surface : s.surface;
      last.text = (last.derived ? last.text : last.stem) + suffix.toLowerCase();
      last.surface += surface;
      last.derived = true;
      continue;
    }
    const base = (s.base ?? s.surface).replace(/=/g, '');
    parts.push({ text: base.toLowerCase(), stem: surface, surface, derived: false });
  }
  if (baseform && parts.length > 0) {
    const whole = baseform.toLowerCase().replace(/=/g, '');
    if (parts.length === 1) parts[0]!.text = whole.replace(/-/g, '');
    else {
      const prefix = parts.slice(0, -1).map((p) => p.surface).join('');
      const bare = whole.replace(/-/g, '');
      if (bare.startsWith(prefix) && bare.length > prefix.length) parts[parts.length - 1]!.text = bare.slice(prefix.length);
    }
  }
  return parts.map((p) => p.text).filter((p) => p.length > 0);
}

// Bound first parts Voikko lists without a base ("+ulko+maalainen(maalainen)").
function isFreePrefix(surface: string): boolean {
  return /^(ulko|esi|epä|vasta|yli|ali|lähi|kauko|uudis|alku|loppu|jälki|pää)$/i.test(surface);
}

function partOfSpeech(cls: string | null): PartOfSpeech {
  switch (cls) {
    case 'nimisana':
      return 'noun';
    case 'laatusana':
      return 'adjective';
    case 'nimisana_laatusana':
      return 'noun_adjective';
    case 'teonsana':
      return 'verb';
    case 'asemosana':
      return 'pronoun';
    case 'lukusana':
      return 'numeral';
    case 'seikkasana':
      return 'adverb';
    case 'suhdesana':
      return 'adposition';
    case 'sidesana':
      return 'conjunction';
    case 'kieltosana':
      return 'negation';
    case 'etunimi':
    case 'sukunimi':
    case 'paikannimi':
    case 'nimi':
      return 'proper';
    case 'lyhenne':
      return 'abbreviation';
    case 'huudahdussana':
      return 'interjection';
    default:
      return 'other';
  }
}

function properKind(cls: string | null): Reading['proper'] {
  switch (cls) {
    case 'etunimi':
      return 'firstname';
    case 'sukunimi':
      return 'surname';
    case 'paikannimi':
      return 'place';
    case 'nimi':
      return 'name';
    default:
      return undefined;
  }
}
