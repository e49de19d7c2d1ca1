// Analysts' judgements of an article's group tags: validating them against the lexicons,
// storing them (table corrections, migration 4) and reading them back with their history.
// The dashboard's form and the JSON API both go through recordCorrections(), so a judgement
// means the same whichever way it arrives.
//
// A judgement names a group and gives some of its fields (present, tone, frame, voice). Each
// given field that differs from the article's current tags (the analysis with earlier
// corrections applied) is stored as a row; with `confirm` the unchanged ones are stored too,
// as confirmations. machine_value is what the analysis says at that moment, null for a group
// it did not tag. Rows are only ever added: the latest per article, group and field stands.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { loadLexicons, type Lexicons } from '../../analyse/index.ts';
import { DEFAULT_CONFIG_DIR, filesStamp, type AppConfig } from '../../config/load.ts';
import { refreshIndicators, type RefreshResult } from '../../indicators/index.ts';
import type { Store } from '../../store/store.ts';

export const CORRECTION_FIELDS = ['present', 'tone', 'frame', 'voice'] as const;
export type CorrectionField = (typeof CORRECTION_FIELDS)[number];
export const TONE_VALUES = ['neg', 'neu', 'pos'] as const;
export const NOTE_MAX = 2000;

/**
 * What a group the analysis did not tag counts as once an analyst adds it, until its fields
 * are judged too: the same defaults the indicators use (src/indicators/counts.ts).
 */
const ADDED_DEFAULTS: Record<Exclude<CorrectionField, 'present'>, string> = { tone: 'neu', frame: 'other', voice: '0' };

/** The group and frame ids a judgement may name: those of the lexicons the analysis uses. */
export interface CorrectionVocabulary {
  groups: readonly string[];
  frames: readonly string[];
}

let cached: { key: string; files: string[]; stamp: string; vocabulary: CorrectionVocabulary } | null = null;

/**
 * Group and frame ids from <config>/lexicons (or the shipped ones), as openAnalyser finds
 * them. Loading the lexicons takes a few hundred milliseconds, so the result is kept until one
 * of the files they were read from changes.
 */
export function correctionVocabulary(config: AppConfig): CorrectionVocabulary {
  const own = join(config.dir, 'lexicons');
  const dir = existsSync(own) ? own : join(DEFAULT_CONFIG_DIR, 'lexicons');
  const key = `${dir}|${config.files.municipalities}`;
  if (cached && cached.key === key && cached.stamp === filesStamp(cached.files)) return cached.vocabulary;
  const lexicons: Lexicons = loadLexicons({ dir, municipalitiesFile: config.files.municipalities });
  const vocabulary = { groups: lexicons.groups.groups.map((g) => g.id), frames: [...lexicons.frames.ids] };
  cached = { key, files: lexicons.files, stamp: filesStamp(lexicons.files), vocabulary };
  return vocabulary;
}

// ------------------------------------------------------------------ errors

export interface Localised {
  fi: string;
  en: string;
}

/** A judgement that cannot be stored as given: the HTTP status, the field at fault and why. */
export class CorrectionError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly field: string | null,
    readonly text: Localised,
  ) {
    super(text.en);
  }
}

const bad = (field: string, fi: string, en: string) => new CorrectionError(400, field, { fi: `${field}: ${fi}`, en: `${field}: ${en}` });

// ------------------------------------------------------------------ current tags

export interface FieldValues {
  present: string;
  tone: string;
  frame: string;
  voice: string;
}

export interface GroupState {
  group: string;
  /** What the analysis says; null when it did not tag the group. */
  machine: Omit<FieldValues, 'present'> | null;
  /** The analysis with the latest correction of each field applied. */
  current: FieldValues;
  /** Fields an analyst has judged (corrected or confirmed). */
  judged: Set<CorrectionField>;
}

/** Every group the analysis tagged or an analyst judged, with its machine and current values. */
export function groupStates(db: Database.Database, articleId: number): GroupState[] {
  const machine = db
    .prepare('SELECT group_id, tone, frame, voice FROM article_groups WHERE article_id = ? ORDER BY group_id')
    .all(articleId) as { group_id: string; tone: string; frame: string; voice: number }[];
  const latest = db
    .prepare(
      `SELECT group_id, field, CAST(value AS TEXT) value FROM corrections
       WHERE id IN (SELECT MAX(id) FROM corrections WHERE article_id = ? GROUP BY group_id, field)`,
    )
    .all(articleId) as { group_id: string; field: CorrectionField; value: string }[];
  const states = new Map<string, GroupState>();
  for (const m of machine) {
    const tags = { tone: m.tone, frame: m.frame, voice: String(m.voice) };
    states.set(m.group_id, { group: m.group_id, machine: tags, current: { present: '1', ...tags }, judged: new Set() });
  }
  for (const c of latest) {
    let s = states.get(c.group_id);
    if (!s) states.set(c.group_id, (s = { group: c.group_id, machine: null, current: { present: '0', ...ADDED_DEFAULTS }, judged: new Set() }));
    s.current[c.field] = c.value;
    s.judged.add(c.field);
  }
  return [...states.values()].sort((a, b) => a.group.localeCompare(b.group));
}

// ------------------------------------------------------------------ recording

export interface CorrectionInput {
  articleId: number;
  /** Raw values as they arrive from a form or JSON: validated here. */
  group: unknown;
  present?: unknown;
  tone?: unknown;
  frame?: unknown;
  voice?: unknown;
  note?: unknown;
  /** Store the given fields that equal the current tags too, as confirmations. */
  confirm?: boolean;
  user: { id: number | null; username: string };
  vocabulary: CorrectionVocabulary;
  now?: number;
}

export interface RecordedCorrection {
  id: number;
  group: string;
  field: CorrectionField;
  value: string;
  machineValue: string | null;
  /** The value before this judgement (the current tag it replaced or confirmed). */
  previous: string;
}

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

function text(field: string, v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw bad(field, 'anna yksi tekstiarvo', 'expected a single text value');
}

function flag(field: string, v: unknown): string {
  const s = v === true ? '1' : v === false ? '0' : text(field, v);
  if (s !== '0' && s !== '1') throw bad(field, `"${s}" ei kelpaa; anna 0 tai 1`, `"${s}" is not valid; expected 0 or 1`);
  return s;
}

function oneOf(field: string, v: unknown, allowed: readonly string[], what: Localised): string {
  const s = text(field, v);
  if (!allowed.includes(s)) {
    throw bad(field, `tuntematon ${what.fi} "${s}"; sallitut: ${allowed.join(', ')}`, `unknown ${what.en} "${s}"; expected one of ${allowed.join(', ')}`);
  }
  return s;
}

/** The judgement as field → value, validated. */
function validate(input: CorrectionInput): { group: string; values: Partial<FieldValues>; note: string | null } {
  if (!given(input.group)) throw bad('group', 'ryhmä puuttuu', 'the group is missing');
  const group = oneOf('group', input.group, input.vocabulary.groups, { fi: 'ryhmä', en: 'group' });
  const values: Partial<FieldValues> = {};
  if (given(input.present)) values.present = flag('present', input.present);
  if (given(input.tone)) values.tone = oneOf('tone', input.tone, TONE_VALUES, { fi: 'sävy', en: 'tone' });
  if (given(input.frame)) values.frame = oneOf('frame', input.frame, input.vocabulary.frames, { fi: 'kehys', en: 'frame' });
  if (given(input.voice)) values.voice = flag('voice', input.voice);
  let note: string | null = null;
  if (given(input.note)) {
    note = text('note', input.note);
    if (note.length > NOTE_MAX) throw bad('note', `enintään ${NOTE_MAX} merkkiä`, `at most ${NOTE_MAX} characters`);
    if (note === '') note = null;
  }
  if (Object.keys(values).length === 0) {
    throw new CorrectionError(400, null, {
      fi: 'Anna ainakin yksi kentistä present, tone, frame, voice.',
      en: 'Give at least one of present, tone, frame, voice.',
    });
  }
  return { group, values, note };
}

/**
 * Validates a judgement and stores its rows in one transaction. Throws CorrectionError (404
 * for an unknown article, 400 naming the field for bad input, 400 when nothing would change).
 */
export function recordCorrections(db: Database.Database, input: CorrectionInput): RecordedCorrection[] {
  const { group, values, note } = validate(input);
  const now = input.now ?? Date.now();
  const insert = db.prepare(
    `INSERT INTO corrections (article_id, group_id, field, value, machine_value, user_id, username, created_at, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM articles WHERE id = ?').get(input.articleId) === undefined) {
      throw new CorrectionError(404, null, { fi: `Juttua ${input.articleId} ei ole.`, en: `There is no article ${input.articleId}.` });
    }
    const state = groupStates(db, input.articleId).find((s) => s.group === group);
    const current: FieldValues = state?.current ?? { present: '0', ...ADDED_DEFAULTS };
    const machine: FieldValues | null = state?.machine ? { present: '1', ...state.machine } : null;
    // A group marked absent has no tone, frame or voice to judge.
    const fields = values.present === '0' ? (['present'] as const) : CORRECTION_FIELDS.filter((f) => values[f] !== undefined);
    if (values.present !== '1' && current.present === '0' && fields.some((f) => f !== 'present')) {
      throw bad('present', `ryhmää ei ole merkitty juttuun; lisää se arvolla present=1`, 'the group is not tagged in this article; add it with present=1');
    }
    const out: RecordedCorrection[] = [];
    for (const field of fields) {
      const value = values[field]!;
      if (value === current[field] && !input.confirm) continue;
      const machineValue = machine ? machine[field] : null;
      const r = insert.run(input.articleId, group, field, value, machineValue, input.user.id, input.user.username, now, note);
      out.push({ id: Number(r.lastInsertRowid), group, field, value, machineValue, previous: current[field] });
    }
    if (out.length === 0) {
      throw new CorrectionError(400, null, {
        fi: 'Mikään ei muuttunut: arvot ovat samat kuin nykyiset tagit. Vahvista tagit, jos ne ovat oikein.',
        en: 'Nothing changed: the values equal the current tags. Confirm the tags if they are right.',
      });
    }
    return out;
  })();
}

/**
 * Records a judgement and brings the indicators up to date at once, so the municipality's
 * figures show it on the next page load.
 */
export function recordAndRefresh(store: Store, input: CorrectionInput): { rows: RecordedCorrection[]; refresh: RefreshResult } {
  const rows = recordCorrections(store.db, input);
  return { rows, refresh: refreshIndicators(store) };
}

// ------------------------------------------------------------------ history

export interface CorrectionRecord {
  id: number;
  group: string;
  field: CorrectionField;
  value: string;
  machineValue: string | null;
  /** What the tag was before: the previous judgement of the field, else the analysis's value. */
  previous: string | null;
  userId: number | null;
  username: string;
  createdAt: number;
  note: string | null;
  /** The latest judgement of its group and field: the one the indicators apply. */
  applied: boolean;
}

/** An article's judgements, oldest first. */
export function correctionsOf(db: Database.Database, articleId: number): CorrectionRecord[] {
  const rows = db
    .prepare(
      `SELECT id, group_id, field, CAST(value AS TEXT) value, machine_value, user_id, username, created_at, note
       FROM corrections WHERE article_id = ? ORDER BY id`,
    )
    .all(articleId) as {
    id: number;
    group_id: string;
    field: CorrectionField;
    value: string;
    machine_value: string | null;
    user_id: number | null;
    username: string;
    created_at: number;
    note: string | null;
  }[];
  const last = new Map<string, CorrectionRecord>();
  const out: CorrectionRecord[] = [];
  for (const r of rows) {
    const key = `${r.group_id}|${r.field}`;
    const before = last.get(key);
    if (before) before.applied = false;
    const rec: CorrectionRecord = {
      id: r.id,
      group: r.group_id,
      field: r.field,
      value: r.value,
      machineValue: r.machine_value,
      previous: before ? before.value : r.machine_value,
      userId: r.user_id,
      username: r.username,
      createdAt: r.created_at,
      note: r.note,
      applied: true,
    };
    last.set(key, rec);
    out.push(rec);
  }
  return out;
}
