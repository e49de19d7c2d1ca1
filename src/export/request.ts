// Turning what a user typed into an export request, against what the store and the config
// know: municipalities by name (Finnish or Swedish) or code, the group and frame catalogue,
// feed ids. Every mistake is reported at once with the accepted values, before anything is
// read or written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type Database from 'better-sqlite3';
import { DEFAULT_CONFIG_DIR, type AppConfig } from '../config/load.ts';
import type { ExportRequest } from './export.ts';
import { ExportRequestError } from './file.ts';
import type { ExportFormat } from './formats.ts';
import { LANGUAGES, TONES, type ExportFilters, type TextPolicy } from './query.ts';
import { parsePeriodBound, PeriodError, type PeriodBound } from './time.ts';

export interface Catalogue {
  municipalities: { code: string; names: string[] }[];
  groups: string[];
  frames: string[];
  feeds: string[];
}

/** The frames of DESIGN.md; frames.yaml may add more. */
const DESIGN_FRAMES = ['crime_security', 'threat_burden', 'victim_discrimination', 'integration_work', 'culture_community', 'policy_admin', 'other'];

function lexiconFile(config: Pick<AppConfig, 'dir'>, name: string): string {
  const own = join(config.dir, 'lexicons', name);
  return existsSync(own) ? own : join(DEFAULT_CONFIG_DIR, 'lexicons', name);
}

function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    // A broken lexicon is reported where it is loaded for analysis; here the store's own values still apply.
    return null;
  }
}

/**
 * What a request may name: the configured catalogue, plus whatever the store already holds
 * (a group or feed dropped from config still has its articles).
 */
export function loadCatalogue(config: Pick<AppConfig, 'dir' | 'municipalities' | 'feeds'>, db: Database.Database): Catalogue {
  const groups = new Set<string>();
  const g = readYaml(lexiconFile(config, 'groups.yaml')) as { groups?: { id?: unknown }[] } | null;
  for (const x of g?.groups ?? []) if (typeof x?.id === 'string') groups.add(x.id);
  for (const r of db.prepare('SELECT DISTINCT group_id FROM article_groups').all() as { group_id: string }[]) groups.add(r.group_id);

  const frames = new Set(DESIGN_FRAMES);
  const f = readYaml(lexiconFile(config, 'frames.yaml')) as { frames?: Record<string, unknown>; fallback?: unknown } | null;
  for (const k of Object.keys(f?.frames ?? {})) frames.add(k);
  if (typeof f?.fallback === 'string') frames.add(f.fallback);

  const munis = new Map<string, Set<string>>();
  for (const m of config.municipalities) munis.set(m.code, new Set([m.nameFi, m.nameSv]));
  for (const m of db.prepare('SELECT code, name_fi, name_sv FROM municipalities').all() as { code: string; name_fi: string; name_sv: string }[]) {
    const names = munis.get(m.code) ?? new Set<string>();
    names.add(m.name_fi).add(m.name_sv);
    munis.set(m.code, names);
  }
  const feeds = new Set(config.feeds.map((x) => x.id));
  for (const r of db.prepare('SELECT id FROM feeds').all() as { id: string }[]) feeds.add(r.id);
  return {
    municipalities: [...munis].map(([code, names]) => ({ code, names: [...names] })),
    groups: [...groups].sort(),
    frames: [...frames].sort(),
    feeds: [...feeds].sort(),
  };
}

/** What the command line gives: lists may repeat an option or separate values with commas. */
export interface RawExportOptions {
  format: ExportFormat;
  text?: TextPolicy;
  from?: string;
  to?: string;
  municipality?: string[];
  group?: string[];
  tone?: string[];
  frame?: string[];
  language?: string[];
  source?: string[];
  originals?: boolean;
  bom?: boolean;
}

/** Splits repeated, comma-separated option values into one list. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

const fold = (s: string) => s.trim().toLocaleLowerCase('fi');

export function resolveRequest(raw: RawExportOptions, cat: Catalogue): ExportRequest {
  const problems: string[] = [];
  const known = (what: string, option: string, values: string[], allowed: readonly string[]): string[] => {
    const bad = values.filter((v) => !allowed.includes(v));
    for (const b of bad) problems.push(`--${option} ${b}: unknown ${what}; known: ${allowed.join(', ')}`);
    return values;
  };

  let from: PeriodBound | undefined;
  let to: PeriodBound | undefined;
  for (const [end, value] of [['from', raw.from], ['to', raw.to]] as const) {
    if (value === undefined) continue;
    try {
      if (end === 'from') from = parsePeriodBound(value, end);
      else to = parsePeriodBound(value, end);
    } catch (e) {
      if (!(e instanceof PeriodError)) throw e;
      problems.push(e.message);
    }
  }
  if (from && to && from.at >= to.at) problems.push(`--from ${from.input} is after --to ${to.input}: the period is empty`);

  const municipalities: string[] = [];
  for (const m of splitList(raw.municipality)) {
    const hit = cat.municipalities.find((c) => c.code === m.padStart(3, '0') && /^\d{1,3}$/.test(m)) ?? cat.municipalities.find((c) => c.names.some((n) => fold(n) === fold(m)));
    if (hit) {
      if (!municipalities.includes(hit.code)) municipalities.push(hit.code);
    } else {
      const names = cat.municipalities.map((c) => `${c.names[0]} (${c.code})`).join(', ');
      problems.push(`--municipality ${m}: unknown municipality; known: ${names}`);
    }
  }
  const filters: ExportFilters = {
    from,
    to,
    municipalities,
    groups: known('group', 'group', splitList(raw.group), cat.groups),
    tones: known('tone', 'tone', splitList(raw.tone), TONES),
    frames: known('frame', 'frame', splitList(raw.frame), cat.frames),
    languages: known('language', 'language', splitList(raw.language), LANGUAGES),
    sources: known('feed', 'source', splitList(raw.source), cat.feeds),
    originalsOnly: Boolean(raw.originals),
  };
  if (raw.bom && raw.format !== 'csv') problems.push(`--bom is for CSV only (the format is ${raw.format})`);
  if (problems.length > 0) throw new ExportRequestError(problems.join('\n'));
  return { format: raw.format, text: raw.text ?? 'snippet', filters, bom: Boolean(raw.bom) };
}
