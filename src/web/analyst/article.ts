// One article with the evidence behind its tags: the analysed text with group mentions, the
// words that set the tone and the quoted voices marked at the offsets the analysis recorded,
// the tags per group with analysts' corrections beside them, and where the story came from.
import type { FastifyRequest } from 'fastify';
import type { Analysis } from '../../analyse/index.ts';
import { groupTags, type GroupTag } from '../../indicators/articles.ts';
import { analysedDocument, evidenceMarks, type EvidenceMark } from '../../pipeline/analysisCommands.ts';
import { formatInstant, formatNumber, strings as reportStrings, type GroupLabels, type Lang } from '../../report/i18n.ts';
import type { Store } from '../../store/store.ts';
import { correctionPanel } from '../corrections/panel.ts';
import { html, query, safeHref, trusted, escapeHtml, type Html } from '../html.ts';
import type { WebContext } from '../server.ts';
import { ANALYST_TEXT } from './strings.ts';

export interface StandingCorrection {
  group: string;
  field: string;
  value: string;
  machineValue: string | null;
  username: string;
  createdAt: number;
  note: string | null;
}

export interface ArticleView {
  id: number;
  url: string;
  /** Where to read the original: canonical, else final, else the address it was reached by. */
  originalUrl: string;
  title: string | null;
  text: string;
  publishedTs: number | null;
  fetchedAt: number;
  author: string | null;
  siteName: string | null;
  language: string | null;
  paywalled: boolean;
  duplicateOf: { id: number; title: string | null } | null;
  copies: { id: number; title: string | null }[];
  sources: { id: string; name: string }[];
  towns: { code: string; name: string; score: number | null }[];
  analysis: Analysis | null;
  analysedAt: number | null;
  /** The analysis's own tags per group. */
  machine: { group: string; mentions: number; tone: string; toneScore: number; frame: string; voice: boolean }[];
  /** The tags as they stand with analysts' corrections. */
  standing: GroupTag[];
  /** The latest correction per group and field. */
  corrections: StandingCorrection[];
}

/** Everything the article page shows; null when there is no such article. */
export function loadArticle(store: Store, id: number): ArticleView | null {
  const db = store.db;
  const a = db
    .prepare(
      `SELECT a.id, a.url, COALESCE(a.canonical_url, a.final_url, a.url) original, a.title, a.text, a.published_ts, a.fetched_at, a.author, a.site_name,
         COALESCE(an.language, a.language) language, a.paywalled, a.duplicate_of, an.result_json, an.analysed_at
       FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE a.id = ?`,
    )
    .get(id) as
    | { id: number; url: string; original: string; title: string | null; text: string; published_ts: number | null; fetched_at: number; author: string | null; site_name: string | null; language: string | null; paywalled: number; duplicate_of: number | null; result_json: string | null; analysed_at: number | null }
    | undefined;
  if (!a) return null;
  const titleOf = db.prepare('SELECT title FROM articles WHERE id = ?').pluck();
  const towns = db
    .prepare(
      `SELECT m.code, m.name_fi name, l.score FROM article_localities l JOIN municipalities m ON m.code = l.municipality_code WHERE l.article_id = ?
       ORDER BY l.score DESC, m.code`,
    )
    .all(id) as { code: string; name: string; score: number | null }[];
  const feedTowns = a.result_json
    ? []
    : (db
        .prepare(
          `SELECT DISTINCT m.code, m.name_fi name, NULL score FROM article_municipalities am JOIN municipalities m ON m.code = am.municipality_code
           WHERE am.article_id = ? AND am.via = 'feed' ORDER BY m.code`,
        )
        .all(id) as { code: string; name: string; score: null }[]);
  const corrections = hasCorrections(store)
    ? (db
        .prepare(
          `SELECT group_id "group", field, CAST(value AS TEXT) value, machine_value machineValue, username, created_at createdAt, note FROM corrections
           WHERE id IN (SELECT MAX(id) FROM corrections WHERE article_id = ? GROUP BY group_id, field) ORDER BY group_id, field`,
        )
        .all(id) as StandingCorrection[])
    : [];
  return {
    id: a.id,
    url: a.url,
    originalUrl: a.original,
    title: a.title,
    text: a.text,
    publishedTs: a.published_ts,
    fetchedAt: a.fetched_at,
    author: a.author,
    siteName: a.site_name,
    language: a.language,
    paywalled: a.paywalled !== 0,
    duplicateOf: a.duplicate_of !== null ? { id: a.duplicate_of, title: titleOf.get(a.duplicate_of) as string | null } : null,
    copies: db.prepare('SELECT id, title FROM articles WHERE duplicate_of = ? ORDER BY id LIMIT 50').all(id) as { id: number; title: string | null }[],
    sources: db
      .prepare(`SELECT s.feed_id id, COALESCE(f.name, s.feed_id) name FROM article_sources s LEFT JOIN feeds f ON f.id = s.feed_id WHERE s.article_id = ? ORDER BY s.first_seen_at, s.feed_id`)
      .all(id) as { id: string; name: string }[],
    towns: [...towns, ...feedTowns],
    analysis: a.result_json ? (JSON.parse(a.result_json) as Analysis) : null,
    analysedAt: a.analysed_at,
    machine: (db.prepare('SELECT group_id "group", mentions, tone, tone_score toneScore, frame, voice FROM article_groups WHERE article_id = ? ORDER BY group_id').all(id) as {
      group: string; mentions: number; tone: string; toneScore: number; frame: string; voice: number;
    }[]).map((g) => ({ ...g, voice: g.voice !== 0 })),
    standing: groupTags(store, [id]).get(id) ?? [],
    corrections,
  };
}

function hasCorrections(store: Store): boolean {
  return store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'`).get() !== undefined;
}

// ------------------------------------------------------------------ the marked text

interface Labels {
  lang: Lang;
  labels: GroupLabels;
}

function markOpen(m: EvidenceMark, piece: [number, number], l: Labels): string {
  const t = ANALYST_TEXT[l.lang];
  const r = reportStrings(l.lang);
  const at = `data-start="${piece[0]}" data-end="${piece[1]}"`;
  if (m.kind === 'group') {
    return `<mark class="group" data-group="${escapeHtml(m.group)}" ${at} title="${escapeHtml(t.mentionTitle(l.labels.label(m.group, l.lang), m.lemma, m.rule))}">`;
  }
  if (m.kind === 'tone') {
    const cls = m.weight < 0 ? 'tone-neg' : 'tone-pos';
    const sign = m.weight < 0 ? r.tone.neg! : r.tone.pos!;
    return `<mark class="${cls}" ${at} title="${escapeHtml(t.toneTitle(sign, m.lemma, formatNumber(m.weight, l.lang, 1), m.rule))}">`;
  }
  return `<mark class="voice" data-group="${escapeHtml(m.group)}" ${at} title="${escapeHtml(t.voiceTitle(l.labels.label(m.group, l.lang), m.rule))}">`;
}

/**
 * The document from..to as HTML with its marks. Word marks (mentions, tone words) never
 * overlap each other, nor voices each other; where the two layers cross, the text is cut into
 * pieces so that every piece sits inside at most one mark of each layer, voice outermost.
 */
export function renderMarked(document: string, from: number, to: number, words: readonly EvidenceMark[], voices: readonly EvidenceMark[], l: Labels): string {
  const inRange = (m: EvidenceMark) => m.end > from && m.start < to;
  const w = words.filter(inRange);
  const v = voices.filter(inRange);
  const cuts = new Set<number>([from, to]);
  for (const m of [...w, ...v]) {
    cuts.add(Math.max(from, m.start));
    cuts.add(Math.min(to, m.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const covering = (marks: EvidenceMark[], a: number, b: number) => marks.find((m) => m.start <= a && m.end >= b);
  // Consecutive pieces under the same marks are joined.
  const pieces: { a: number; b: number; w?: EvidenceMark; v?: EvidenceMark }[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a === b) continue;
    const pw = covering(w, a, b);
    const pv = covering(v, a, b);
    const prev = pieces.at(-1);
    if (prev && prev.w === pw && prev.v === pv) prev.b = b;
    else pieces.push({ a, b, w: pw, v: pv });
  }
  let out = '';
  for (const p of pieces) {
    const text = escapeHtml(document.slice(p.a, p.b));
    let s = p.w ? `${markOpen(p.w, [p.a, p.b], l)}${text}</mark>` : text;
    if (p.v) s = `${markOpen(p.v, [p.a, p.b], l)}${s}</mark>`;
    out += s;
  }
  return out;
}

/** The analysed document as a title line and paragraphs (split at blank lines), evidence marked. */
export function markedDocument(document: string, analysis: Analysis | null, l: Labels): Html {
  const { words, voices } = analysis ? evidenceMarks(document, analysis) : { words: [], voices: [] };
  const bodyStart = analysis ? analysis.bodyOffset : 0;
  const blocks: string[] = [];
  if (bodyStart > 0) blocks.push(`<p class="doc-title">${renderMarked(document, 0, Math.max(0, bodyStart - 2), words, voices, l)}</p>`);
  const para = /\n[ \t]*\n\s*/g;
  let start = bodyStart;
  let m: RegExpExecArray | null;
  para.lastIndex = bodyStart;
  const close = (end: number) => {
    if (document.slice(start, end).trim()) blocks.push(`<p>${renderMarked(document, start, end, words, voices, l)}</p>`);
  };
  while ((m = para.exec(document)) !== null) {
    close(m.index);
    start = m.index + m[0].length;
  }
  close(document.length);
  return trusted(blocks.join('\n'));
}

// ------------------------------------------------------------------ the page

export function articlePage(ctx: WebContext, req: FastifyRequest, id: number): { title: string; body: Html } | null {
  const view = Number.isSafeInteger(id) && id > 0 ? loadArticle(ctx.store, id) : null;
  if (!view) return null;
  const lang = req.lang;
  const t = ANALYST_TEXT[lang];
  const r = reportStrings(lang);
  const label = (g: string) => ctx.labels.label(g, lang);
  const a = view.analysis;
  const document = analysedDocument(view.title, view.text);
  // Offsets are valid only for the document the analysis read: its title must still be the same.
  const fits = a !== null && a.bodyOffset === (document.length - view.text.length);
  const corrections = new Map(view.corrections.map((c) => [`${c.group}|${c.field}`, c]));
  const groups = [...new Set([...view.machine.map((g) => g.group), ...view.standing.map((g) => g.group), ...view.corrections.map((c) => c.group)])].sort();

  const meta = html`<dl class="article-meta">
    <dt>${t.published}</dt><dd>${view.publishedTs !== null ? formatInstant(view.publishedTs, lang) : '–'} <span class="muted">(${t.fetched} ${formatInstant(view.fetchedAt, lang)})</span></dd>
    <dt>${t.sources}</dt><dd>${view.sources.length === 0 ? '–' : view.sources.map((s, i) => html`${i > 0 ? ', ' : ''}<a href="/articles${query({ source: s.id })}">${s.name}</a>`)}${view.siteName ? html` <span class="muted">(${view.siteName})</span>` : ''}</dd>
    ${view.author ? html`<dt>${t.author}</dt><dd>${view.author}</dd>` : ''}
    <dt>${t.towns}</dt><dd>${view.towns.length === 0 ? '–' : view.towns.map((m, i) => html`${i > 0 ? ', ' : ''}<a href="/m/${m.code}">${m.name}</a>`)}</dd>
    <dt>${t.language}</dt><dd>${view.language ? t.languages[view.language] ?? view.language : '–'}</dd>
    <dt>${t.original}</dt><dd><a href="${safeHref(view.originalUrl)}" rel="noopener noreferrer" class="original">${view.originalUrl}</a>${view.paywalled ? html` <span class="badge">${t.paywalled}</span>` : ''}</dd>
    ${view.duplicateOf ? html`<dt>${t.duplicateOf}</dt><dd><a href="/articles/${view.duplicateOf.id}" class="duplicate-of">#${view.duplicateOf.id} ${view.duplicateOf.title ?? t.untitled}</a></dd>` : ''}
    ${view.copies.length > 0 ? html`<dt>${t.copiesOfThis}</dt><dd>${view.copies.map((c, i) => html`${i > 0 ? ', ' : ''}<a href="/articles/${c.id}">#${c.id} ${c.title ?? t.untitled}</a>`)}</dd>` : ''}
    ${a ? html`<dt>${t.articleTone}</dt><dd class="tone-${a.tone.label}">${r.tone[a.tone.label] ?? a.tone.label} (${formatNumber(a.tone.score, lang, 2)})${a.frame ? html` · ${t.mainFrame}: ${r.frames[a.frame] ?? a.frame}` : ''}</dd>` : ''}
  </dl>`;

  const changed = (g: string, field: string, machine: string | undefined, show: (v: string) => string): Html => {
    const c = corrections.get(`${g}|${field}`);
    const base = machine !== undefined ? show(machine) : '–';
    if (!c) return html`${base}`;
    const when = formatInstant(c.createdAt, lang);
    if (machine !== undefined && c.value === machine) return html`${base} <span class="corr confirmed" title="${c.note ?? ''}">✓ ${t.confirmedBy(c.username, when)}</span>`;
    return html`<s class="muted" title="${t.machine}">${base}</s> → <strong class="corr" title="${c.note ?? ''}">${show(c.value)}</strong> <span class="muted">${t.correctedBy(c.username, when)}</span>`;
  };
  const yesNo = (v: string) => (v === '1' || v === 'true' ? t.speaks : t.talkedAbout);
  const groupTable = groups.length === 0 ? '' : html`<h2>${t.perGroup}</h2>
    <table class="article-groups">
      <thead><tr><th>${t.group}</th><th class="num">${t.mentions}</th><th>${t.tone}</th><th>${t.frame}</th><th>${t.voice}</th></tr></thead>
      <tbody>${groups.map((g) => {
        const m = view.machine.find((x) => x.group === g);
        const present = corrections.get(`${g}|present`);
        const removed = present?.value === '0';
        const added = !m && present?.value === '1';
        return html`<tr data-group="${g}" class="${removed ? 'removed' : ''}">
          <td><a href="/articles${query({ group: g })}">${label(g)}</a>
            ${removed ? html` <span class="badge">${t.removed}</span> <span class="muted">${t.correctedBy(present!.username, formatInstant(present!.createdAt, lang))}</span>` : ''}
            ${added ? html` <span class="badge">${t.added}</span> <span class="muted">${t.correctedBy(present!.username, formatInstant(present!.createdAt, lang))}</span>` : ''}</td>
          <td class="num">${m ? m.mentions : '–'}</td>
          <td>${changed(g, 'tone', m?.tone, (v) => r.tone[v] ?? v)}${m ? html` <span class="muted">(${formatNumber(m.toneScore, lang, 2)})</span>` : ''}</td>
          <td>${changed(g, 'frame', m?.frame, (v) => r.frames[v] ?? v)}</td>
          <td>${changed(g, 'voice', m ? (m.voice ? '1' : '0') : undefined, yesNo)}</td>
        </tr>`;
      })}</tbody>
    </table>`;

  const legend = html`<p class="legend" aria-label="${t.legend}"><strong>${t.legend}:</strong>
    <mark class="group">${t.legendGroup}</mark> <mark class="tone-neg">${t.legendNeg}</mark>
    <mark class="tone-pos">${t.legendPos}</mark> <mark class="voice">${t.legendVoice}</mark></p>`;
  const text = html`<h2>${t.evidence}</h2>
    ${a ? html`<p class="muted">${t.analysis(a.version, view.analysedAt !== null ? formatInstant(view.analysedAt, lang) : '–')}</p>` : html`<p class="notice">${t.notAnalysed}</p>`}
    ${a && !fits ? html`<p class="notice">${t.offsetsStale}</p>` : ''}
    ${a?.truncated ? html`<p class="notice">${t.truncated}</p>` : ''}
    ${legend}
    <div class="article-text" lang="${view.language ?? ''}">${markedDocument(document, fits ? a : null, { lang, labels: ctx.labels })}</div>`;

  const body = html`${meta}${groupTable}${text}${correctionPanel(ctx, req, view.id)}`;
  return { title: view.title ?? t.untitled, body };
}
