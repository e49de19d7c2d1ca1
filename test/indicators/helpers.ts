// Building small stores by hand: municipalities, feeds, polls and tagged articles written
// straight into the tables the indicators read, so that a test controls every number.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.ts';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface GroupTagInput {
  group: string;
  tone: 'neg' | 'neu' | 'pos';
  frame: string;
  voice?: boolean;
  mentions?: number;
  toneScore?: number;
}

export interface ArticleSpec {
  published: string | null;
  fetched?: string;
  title?: string;
  text?: string;
  url?: string;
  /** Municipality codes from the analysis; ignored when `analysed` is false. */
  localities?: string[];
  /** Municipality codes of the feeds the article came through. */
  feedTowns?: string[];
  groups?: GroupTagInput[];
  duplicateOf?: number;
  analysed?: boolean;
  analysedAt?: number;
}

export class FixtureStore {
  readonly store: Store;
  private nextId = 1;

  constructor(readonly path: string) {
    this.store = new Store(path);
  }

  get db() {
    return this.store.db;
  }

  municipality(code: string, nameFi: string, nameSv = nameFi): this {
    this.db.prepare('INSERT INTO municipalities (code, name_fi, name_sv, region) VALUES (?, ?, ?, ?)').run(code, nameFi, nameSv, 'Testimaa');
    return this;
  }

  feed(id: string, towns: string[], opts: { enabled?: boolean } = {}): this {
    this.db
      .prepare(`INSERT INTO feeds (id, name, url, kind, interval_ms, enabled) VALUES (?, ?, ?, 'local_paper', 1800000, ?)`)
      .run(id, id, `https://${id}.example.fi/feed`, opts.enabled === false ? 0 : 1);
    for (const t of towns) this.db.prepare('INSERT INTO feed_municipalities (feed_id, municipality_code) VALUES (?, ?)').run(id, t);
    return this;
  }

  poll(feedId: string, at: string, outcome: 'ok' | 'not_modified' | 'unchanged' | 'error' | 'gone'): this {
    this.db
      .prepare('INSERT INTO polls (feed_id, started_at, duration_ms, outcome, items, new_items) VALUES (?, ?, 100, ?, 0, 0)')
      .run(feedId, Date.parse(at), outcome);
    return this;
  }

  article(spec: ArticleSpec): number {
    const id = this.nextId++;
    const published = spec.published === null ? null : Date.parse(spec.published);
    const fetched = spec.fetched ? Date.parse(spec.fetched) : (published ?? Date.parse('2026-01-01T00:00:00Z')) + 600_000;
    const text = spec.text ?? `Juttu numero ${id}.`;
    this.db
      .prepare(
        `INSERT INTO articles (id, url, title, text, paragraphs_json, published_at, published_ts, paywalled, used_feed_fallback, word_count,
           text_hash, duplicate_of, fetched_at, stored_at)
         VALUES (?, ?, ?, ?, '[]', ?, ?, 0, 0, ?, ?, ?, ?, ?)`,
      )
      .run(id, spec.url ?? `https://lehti.example.fi/a/${id}`, spec.title ?? `Juttu ${id}`, text, spec.published, published, text.split(/\s+/).length,
        `hash-${id}`, spec.duplicateOf ?? null, fetched, fetched);
    for (const t of spec.feedTowns ?? []) {
      this.db.prepare(`INSERT INTO article_municipalities (article_id, municipality_code, via) VALUES (?, ?, 'feed')`).run(id, t);
    }
    if (spec.analysed !== false) this.analyse(id, spec);
    return id;
  }

  /** (Re)writes the article's analysis the way Store.saveAnalysis lays it out. */
  analyse(id: number, spec: Pick<ArticleSpec, 'localities' | 'groups' | 'analysedAt'>): void {
    const groups = spec.groups ?? [];
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM article_groups WHERE article_id = ?').run(id);
      this.db.prepare('DELETE FROM article_localities WHERE article_id = ?').run(id);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO analyses (article_id, version, analysed_at, language, tone, tone_score, frame, body_offset, truncated, result_json)
           VALUES (?, 'test', ?, 'fi', ?, 0, ?, 0, 0, '{}')`,
        )
        .run(id, spec.analysedAt ?? Date.parse('2026-06-01T00:00:00Z'), groups.some((g) => g.tone === 'neg') ? 'neg' : 'neu', groups[0]?.frame ?? null);
      for (const c of spec.localities ?? []) this.db.prepare('INSERT INTO article_localities (article_id, municipality_code, score) VALUES (?, ?, 1)').run(id, c);
      for (const g of groups) {
        this.db
          .prepare('INSERT INTO article_groups (article_id, group_id, mentions, tone, tone_score, frame, voice) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(id, g.group, g.mentions ?? 1, g.tone, g.toneScore ?? (g.tone === 'neg' ? -1 : g.tone === 'pos' ? 1 : 0), g.frame, g.voice ? 1 : 0);
      }
    })();
  }

  close(): void {
    this.store.close();
  }
}

/** An indicators.yaml with the shipped indicator list and the given settings. */
export function writeCatalogue(dir: string, settings: { coverage: Record<string, number>; alerts: Record<string, number> }, indicatorsYaml: string): string {
  const path = join(dir, 'indicators.yaml');
  const block = (name: string, values: Record<string, number>) => `${name}:\n${Object.entries(values).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`;
  writeFileSync(path, `${block('coverage', settings.coverage)}${block('alerts', settings.alerts)}\n${indicatorsYaml}`);
  return path;
}

/** RFC 4180 CSV as records keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}
