// Loading and validating config/: municipalities, feeds and settings. Everything is checked
// at load so that a mistake surfaces as one message naming file, line, field and fix, not as
// a crash in the middle of a poll hours later.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, YamlFile, type ConfigProblem, type YamlCursor } from './yamlFile.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CONFIG_DIR = join(REPO_ROOT, 'config');

export interface Municipality {
  code: string;
  nameFi: string;
  nameSv: string;
  region: string;
  places: string[];
}

export const FEED_KINDS = ['local_paper', 'regional_broadcaster', 'city'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedConfig {
  id: string;
  name: string;
  url: string;
  kind: FeedKind;
  /** Codes of the municipalities the feed covers (from `municipalities:` and `region:`). */
  municipalities: string[];
  region: string | null;
  intervalMs: number;
  enabled: boolean;
  /** Where the feed is defined, for messages that point the operator at it. */
  source: { file: string; line: number };
}

export interface HttpSettings {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxDecodedBytes: number;
  maxRedirects: number;
  retries: number;
  maxRetryWaitMs: number;
  hostMinGapMs: number;
  hostMaxConcurrency: number;
  robotsTtlMs: number;
  respectRobots: boolean;
  allowPrivateAddresses: boolean;
  allowedOrigins: string[];
}

export interface Settings {
  contact: { name: string; url: string | null; email: string };
  userAgent: string;
  http: HttpSettings;
  polling: {
    defaultIntervalMs: number;
    backoffMaxMs: number;
    silentAfterIntervals: number;
    maxItemAttempts: number;
    maxItemsPerPoll: number;
  };
  pipeline: { fetchConcurrency: number };
  store: { path: string; rawHtml: boolean; rawHtmlRetentionMs: number };
}

export interface AppConfig {
  dir: string;
  municipalities: Municipality[];
  feeds: FeedConfig[];
  settings: Settings;
  files: { municipalities: string; feeds: string; settings: string | null };
}

export interface LoadConfigOptions {
  /** Folder with municipalities.yaml, feeds.yaml and settings.yaml. */
  dir?: string;
  /** A feeds file other than <dir>/feeds.yaml (the demo uses its own). */
  feedsFile?: string;
  /** Relative feed URLs are resolved against this (the demo server's address). */
  baseUrl?: string;
  /** Overrides applied after settings.yaml (tests, demo, CLI flags). */
  overrides?: { http?: Partial<HttpSettings>; storePath?: string };
}

const CODE = /^\d{3}$/;
const FEED_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function loadConfig(opts: LoadConfigOptions = {}): AppConfig {
  const dir = resolve(opts.dir ?? DEFAULT_CONFIG_DIR);
  const muniFile = join(dir, 'municipalities.yaml');
  const feedsFile = resolve(opts.feedsFile ?? join(dir, 'feeds.yaml'));
  const settingsPath = join(dir, 'settings.yaml');
  const problems: ConfigProblem[] = [];

  const municipalities = collect(problems, () => loadMunicipalities(muniFile)) ?? [];
  const settings =
    collect(problems, () => loadSettings(existsSync(settingsPath) ? settingsPath : null, dir, opts.overrides)) ??
    loadSettings(null, dir, opts.overrides);
  const feeds =
    collect(problems, () => loadFeeds(feedsFile, municipalities, settings.polling.defaultIntervalMs, opts.baseUrl)) ?? [];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dir,
    municipalities,
    feeds,
    settings,
    files: { municipalities: muniFile, feeds: feedsFile, settings: existsSync(settingsPath) ? settingsPath : null },
  };
}

function collect<T>(problems: ConfigProblem[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) {
      problems.push(...e.problems);
      return undefined;
    }
    throw e;
  }
}

export function loadMunicipalities(path: string): Municipality[] {
  const file = YamlFile.read(path);
  const root = file.root();
  root.rejectUnknownKeys(['municipalities']);
  const list = root.get('municipalities');
  if (!list.isSeq()) list.problem('expected a list of municipalities (code, name_fi, name_sv, region, places)');
  const out: Municipality[] = [];
  const seen = new Map<string, number>();
  for (const m of list.items()) {
    m.rejectUnknownKeys(['code', 'name_fi', 'name_sv', 'region', 'places', 'forms']);
    const code = m.get('code').string({ required: true, pattern: CODE, patternHint: 'a three-digit Statistics Finland code in quotes, e.g. "061"' });
    const nameFi = m.get('name_fi').string({ required: true });
    const nameSv = m.get('name_sv').string({ fallback: nameFi });
    const region = m.get('region').string({ required: true });
    const places = m.get('places').stringList();
    if (code && seen.has(code)) m.get('code').problem(`duplicate code ${code} (first at line ${seen.get(code)})`);
    if (code) seen.set(code, m.line);
    if (code && nameFi && region) out.push({ code, nameFi, nameSv: nameSv ?? nameFi, region, places });
  }
  file.throwIfProblems();
  return out;
}

export function loadFeeds(path: string, municipalities: Municipality[], defaultIntervalMs: number, baseUrl?: string): FeedConfig[] {
  const file = YamlFile.read(path);
  const root = file.root();
  root.rejectUnknownKeys(['feeds']);
  const list = root.get('feeds');
  if (!list.isSeq()) list.problem('expected a list of feeds (id, name, url, kind, municipalities or region, interval, enabled)');
  const byName = municipalityIndex(municipalities);
  const regions = new Set(municipalities.map((m) => m.region.toLowerCase()));
  const out: FeedConfig[] = [];
  const ids = new Map<string, number>();
  for (const f of list.items()) {
    f.rejectUnknownKeys(['id', 'name', 'url', 'kind', 'municipalities', 'region', 'interval', 'enabled']);
    const id = f.get('id').string({ required: true, pattern: FEED_ID, patternHint: 'an id of lower-case letters, digits, dots, dashes (e.g. yle-pirkanmaa)' });
    const name = f.get('name').string({ fallback: id });
    const url = readFeedUrl(f.get('url'), baseUrl);
    const kindCursor = f.get('kind');
    const kindText = kindCursor.string({ required: true });
    let kind: FeedKind = 'local_paper';
    if (kindText !== undefined) {
      if ((FEED_KINDS as readonly string[]).includes(kindText)) kind = kindText as FeedKind;
      else kindCursor.problem(`expected one of ${FEED_KINDS.join(', ')}, got "${kindText}"`);
    }
    const codes = new Set<string>();
    const muniCursor = f.get('municipalities');
    const refs = muniCursor.stringList();
    for (const [i, ref] of refs.entries()) {
      const m = byName.get(normaliseRef(ref));
      if (m) codes.add(m.code);
      else {
        const item = muniCursor.items()[i] ?? muniCursor;
        item.problem(`unknown municipality "${ref}"; expected a code or name from municipalities.yaml (${municipalities.map((x) => x.nameFi).join(', ')})`);
      }
    }
    const regionCursor = f.get('region');
    const region = regionCursor.string() ?? null;
    // A region only expands to towns when it names one of ours; free text (e.g. "Länsi-Suomi")
    // is kept as a label, so `municipalities:` must then list the towns.
    const regionIsOurs = region !== null && regions.has(region.toLowerCase());
    if (regionIsOurs && refs.length === 0) {
      for (const m of municipalities) if (m.region.toLowerCase() === region.toLowerCase()) codes.add(m.code);
    }
    if (refs.length === 0 && !regionIsOurs) {
      f.problem(`feed "${id ?? '?'}" covers no municipality: add municipalities: [Name, ...] or a region: from municipalities.yaml`);
    }
    const intervalMs = f.get('interval').duration({ fallbackMs: defaultIntervalMs, minMs: 60_000, maxMs: 7 * 86_400_000 });
    const enabled = f.get('enabled').boolean(true);
    if (id) {
      if (ids.has(id)) f.get('id').problem(`duplicate feed id "${id}" (first at line ${ids.get(id)})`);
      ids.set(id, f.line);
    }
    if (id && url) {
      out.push({ id, name: name ?? id, url, kind, municipalities: [...codes], region, intervalMs, enabled, source: { file: path, line: f.line } });
    }
  }
  file.throwIfProblems();
  return out;
}

function readFeedUrl(cursor: YamlCursor, baseUrl?: string): string | undefined {
  const raw = cursor.string({ required: true });
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = baseUrl && !/^[a-z][a-z0-9+.-]*:/i.test(raw) ? new URL(raw, baseUrl) : new URL(raw);
  } catch {
    cursor.problem(`expected an absolute http(s) URL, got "${raw}"`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    cursor.problem(`expected an http or https URL, got scheme "${url.protocol}"`);
    return undefined;
  }
  return url.href;
}

function normaliseRef(ref: string): string {
  return ref.trim().toLowerCase();
}

function municipalityIndex(municipalities: Municipality[]): Map<string, Municipality> {
  const index = new Map<string, Municipality>();
  for (const m of municipalities) {
    index.set(m.code, m);
    index.set(String(Number(m.code)), m); // `061` unquoted in YAML reads as 61
    index.set(normaliseRef(m.nameFi), m);
    index.set(normaliseRef(m.nameSv), m);
  }
  return index;
}

export function loadSettings(path: string | null, configDir: string, overrides: LoadConfigOptions['overrides'] = {}): Settings {
  const file = path ? YamlFile.read(path) : new YamlFile('(defaults)', '{}');
  const root = file.root();
  root.rejectUnknownKeys(['contact', 'http', 'polling', 'pipeline', 'store']);

  const c = root.get('contact');
  c.rejectUnknownKeys(['name', 'url', 'email']);
  const contact = {
    name: c.get('name').string({ fallback: 'Mediamittari' })!,
    url: c.get('url').string({ pattern: /^https?:\/\/\S+$/, patternHint: 'an http(s) URL' }) ?? null,
    email: c.get('email').string({ fallback: 'mediamittari@localhost', pattern: /^[^@\s]+@[^@\s]+$/, patternHint: 'an e-mail address' })!,
  };

  const h = root.get('http');
  h.rejectUnknownKeys([
    'connect_timeout', 'total_timeout', 'max_body', 'max_decoded', 'max_redirects', 'retries', 'max_retry_wait',
    'host_min_gap', 'host_max_concurrency', 'robots_ttl', 'respect_robots', 'allow_private_addresses', 'allowed_origins',
  ]);
  const http: HttpSettings = {
    connectTimeoutMs: h.get('connect_timeout').duration({ fallbackMs: 10_000, minMs: 100 }),
    totalTimeoutMs: h.get('total_timeout').duration({ fallbackMs: 30_000, minMs: 100 }),
    maxBodyBytes: h.get('max_body').bytes({ fallback: 10 * 1024 ** 2, min: 1024 }),
    maxDecodedBytes: h.get('max_decoded').bytes({ fallback: 20 * 1024 ** 2, min: 1024 }),
    maxRedirects: h.get('max_redirects').number({ fallback: 5, min: 0, max: 20, integer: true }),
    retries: h.get('retries').number({ fallback: 2, min: 0, max: 10, integer: true }),
    maxRetryWaitMs: h.get('max_retry_wait').duration({ fallbackMs: 60_000 }),
    hostMinGapMs: h.get('host_min_gap').duration({ fallbackMs: 1000 }),
    hostMaxConcurrency: h.get('host_max_concurrency').number({ fallback: 2, min: 1, max: 32, integer: true }),
    robotsTtlMs: h.get('robots_ttl').duration({ fallbackMs: 86_400_000 }),
    respectRobots: h.get('respect_robots').boolean(true),
    allowPrivateAddresses: h.get('allow_private_addresses').boolean(false),
    allowedOrigins: h.get('allowed_origins').stringList(),
    ...overrides.http,
  };

  const p = root.get('polling');
  p.rejectUnknownKeys(['default_interval', 'backoff_max', 'silent_after_intervals', 'max_item_attempts', 'max_items_per_poll']);
  const polling = {
    defaultIntervalMs: p.get('default_interval').duration({ fallbackMs: 30 * 60_000, minMs: 60_000 }),
    backoffMaxMs: p.get('backoff_max').duration({ fallbackMs: 24 * 3_600_000, minMs: 60_000 }),
    silentAfterIntervals: p.get('silent_after_intervals').number({ fallback: 4, min: 1, max: 100 }),
    maxItemAttempts: p.get('max_item_attempts').number({ fallback: 3, min: 1, max: 20, integer: true }),
    maxItemsPerPoll: p.get('max_items_per_poll').number({ fallback: 500, min: 1, max: 10_000, integer: true }),
  };

  const pl = root.get('pipeline');
  pl.rejectUnknownKeys(['fetch_concurrency']);
  const pipeline = {
    fetchConcurrency: pl.get('fetch_concurrency').number({ fallback: 8, min: 1, max: 256, integer: true }),
  };

  const s = root.get('store');
  s.rejectUnknownKeys(['path', 'raw_html', 'raw_html_retention']);
  const rawPath = overrides.storePath ?? s.get('path').string({ fallback: 'data/mediamittari.db' })!;
  const store = {
    // Relative store paths are relative to the project (the folder holding config/).
    path: rawPath === ':memory:' || isAbsolute(rawPath) ? rawPath : resolve(configDir, '..', rawPath),
    rawHtml: s.get('raw_html').boolean(true),
    rawHtmlRetentionMs: s.get('raw_html_retention').duration({ fallbackMs: 90 * 86_400_000 }),
  };

  file.throwIfProblems();
  const contactPart = [contact.url ? `+${contact.url}` : null, `mailto:${contact.email}`].filter(Boolean).join('; ');
  const userAgent = `Mediamittari/0.1 (${contactPart})`;
  return { contact, userAgent, http, polling, pipeline, store };
}

/**
 * Changes when any of the files is edited (modification time and size), so running processes
 * know to reload what they read from them. A missing file has a stamp of its own.
 */
export function filesStamp(files: readonly (string | null)[]): string {
  return files
    .map((f) => {
      if (!f) return '-';
      try {
        const s = statSync(f);
        return `${s.mtimeMs}:${s.size}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

/** The stamp of a loaded config's files. */
export function configStamp(config: AppConfig): string {
  return filesStamp(Object.values(config.files));
}
