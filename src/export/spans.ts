// Evidence offsets as a researcher can use them. The analysis counts offsets in the document
// it read (the title, a blank line, then the text) in UTF-16 units; an export gives them per
// field (title or text) in Unicode code points, which is how Python and R index strings, and,
// under the snippet policy, also inside the snippet that contains them.
import { splitSentences } from '../analyse/index.ts';

export type SpanField = 'title' | 'text' | 'document';

export interface Span {
  /** Which exported string the offsets index: `document` only when the stored text no longer matches the analysed one. */
  field: SpanField;
  start: number;
  end: number;
  /** Index into `snippets`, null when the span lies outside every snippet (or there are none). */
  snippet: number | null;
  snippet_start: number | null;
  snippet_end: number | null;
}

export interface Snippet {
  /** Code-point offsets of the snippet in the article text. */
  start: number;
  end: number;
  text: string;
}

/** How many sentences on each side of a mention's sentence a snippet keeps (the window tone is judged on). */
export const SNIPPET_NEIGHBOURS = 1;

/** UTF-16 index → code-point index, cheap when the string has no characters outside the BMP. */
class CodePoints {
  private readonly astral: boolean;
  constructor(private readonly s: string) {
    this.astral = /[\uD800-\uDFFF]/.test(s);
  }
  at(i: number): number {
    if (!this.astral) return i;
    let n = i;
    for (let k = 1; k < i && k < this.s.length; k++) {
      const c = this.s.charCodeAt(k);
      // The low half of a pair does not start a new code point.
      if (c >= 0xdc00 && c <= 0xdfff) {
        const p = this.s.charCodeAt(k - 1);
        if (p >= 0xd800 && p <= 0xdbff) n--;
      }
    }
    return n;
  }
}

interface Range {
  start: number;
  end: number;
}

/**
 * Sentences of the analysed document, found line by line. The sentence splitter ends every
 * sentence at a line break and decides the rest from the line's own tokens, so splitting one
 * line gives exactly the sentences a whole-document split gives there; an article's snippets
 * then cost a paragraph or two of splitting, not the whole text.
 */
class LineSentences {
  private readonly lines = new Map<number, Range[]>();
  constructor(private readonly doc: string) {}

  private lineAt(lineStart: number): Range[] {
    let s = this.lines.get(lineStart);
    if (!s) {
      let lineEnd = this.doc.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = this.doc.length;
      s = splitSentences(this.doc.slice(lineStart, lineEnd)).map((x) => ({ start: x.start + lineStart, end: x.end + lineStart }));
      this.lines.set(lineStart, s);
    }
    return s;
  }

  private static lineStartOf(doc: string, pos: number): number {
    return pos <= 0 ? 0 : doc.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The sentence holding `pos`, with `n` neighbours on each side (not before `floor`). */
  window(pos: number, n: number, floor: number): Range {
    const ls = LineSentences.lineStartOf(this.doc, pos);
    const line = this.lineAt(ls);
    let i = line.findIndex((r) => pos < r.end);
    if (i < 0) i = line.length - 1;
    const own = line[i];
    if (!own) return { start: pos, end: pos };
    let start = own.start;
    let end = own.end;
    // Walk back n sentences, across line breaks and blank lines.
    let lineStart = ls;
    let idx = i;
    let cur = line;
    for (let k = 0; k < n; k++) {
      while (idx === 0) {
        if (lineStart === 0) break;
        lineStart = LineSentences.lineStartOf(this.doc, lineStart - 1);
        cur = this.lineAt(lineStart);
        idx = cur.length;
      }
      if (idx === 0) break;
      const prev = cur[idx - 1]!;
      if (prev.start < floor) break;
      idx--;
      start = prev.start;
    }
    // And forward.
    lineStart = ls;
    idx = i;
    cur = line;
    for (let k = 0; k < n; k++) {
      while (idx >= cur.length - 1) {
        const nl = this.doc.indexOf('\n', lineStart);
        if (nl < 0) break;
        lineStart = nl + 1;
        cur = this.lineAt(lineStart);
        idx = -1;
      }
      if (idx >= cur.length - 1) break;
      idx++;
      end = cur[idx]!.end;
    }
    return { start, end };
  }
}

export interface RawSpan {
  start: number;
  end: number;
}

export interface LayoutInput {
  title: string | null;
  text: string;
  /** body_offset the analysis recorded. */
  bodyOffset: number;
  /** Spans whose surface must read the same in the rebuilt document (group mentions). */
  check: { start: number; end: number; surface: string }[];
}

/**
 * The analysed document rebuilt from the stored title and text the way analyseText builds it,
 * and the mapping of its offsets to exported fields and snippets.
 */
export class ArticleSpans {
  readonly document: string;
  /** False when the stored title/text no longer give the document the analysis read. */
  readonly matches: boolean;
  readonly snippets: Snippet[] = [];
  private readonly bodyOffset: number;
  private readonly titleLead: number;
  private readonly titleCp: CodePoints | null;
  private readonly textCp: CodePoints;
  private windows: Range[] = [];

  constructor(private readonly input: LayoutInput) {
    const rawTitle = (input.title ?? '').slice(0, 2000);
    const title = rawTitle.trim();
    this.document = title ? `${title}\n\n${input.text}` : input.text;
    this.bodyOffset = title ? title.length + 2 : 0;
    this.titleLead = rawTitle.length - rawTitle.trimStart().length;
    this.matches =
      this.bodyOffset === input.bodyOffset && input.check.every((c) => this.document.slice(c.start, c.end) === c.surface);
    this.titleCp = input.title ? new CodePoints(input.title) : null;
    this.textCp = new CodePoints(input.text);
  }

  /** Builds the snippets around these mention offsets (body sentences only; the title is exported whole). */
  buildSnippets(mentionStarts: number[], neighbours = SNIPPET_NEIGHBOURS): Snippet[] {
    if (!this.matches) return this.snippets;
    const sentences = new LineSentences(this.document);
    const ranges = mentionStarts
      .filter((s) => s >= this.bodyOffset)
      .map((s) => sentences.window(s, neighbours, this.bodyOffset))
      .sort((a, b) => a.start - b.start);
    const merged: Range[] = [];
    for (const r of ranges) {
      const last = merged.at(-1);
      // Overlapping windows, and windows with nothing but white space between them, are one passage.
      if (last && (r.start <= last.end || this.document.slice(last.end, r.start).trim() === '')) {
        last.end = Math.max(last.end, r.end);
      } else merged.push({ ...r });
    }
    this.windows = merged;
    for (const w of merged) {
      const a = w.start - this.bodyOffset;
      const b = w.end - this.bodyOffset;
      this.snippets.push({ start: this.textCp.at(a), end: this.textCp.at(b), text: this.input.text.slice(a, b) });
    }
    return this.snippets;
  }

  /** The words at document offsets, as written. */
  surface(r: RawSpan): string {
    return this.document.slice(r.start, r.end);
  }

  span(r: RawSpan): Span {
    if (!this.matches) return { field: 'document', start: r.start, end: r.end, snippet: null, snippet_start: null, snippet_end: null };
    if (this.bodyOffset > 0 && r.end <= this.bodyOffset - 2 && this.titleCp) {
      const s = r.start + this.titleLead;
      const e = r.end + this.titleLead;
      return { field: 'title', start: this.titleCp.at(s), end: this.titleCp.at(e), snippet: null, snippet_start: null, snippet_end: null };
    }
    if (r.start >= this.bodyOffset) {
      const start = this.textCp.at(r.start - this.bodyOffset);
      const end = this.textCp.at(r.end - this.bodyOffset);
      const k = this.windows.findIndex((w) => r.start >= w.start && r.end <= w.end);
      if (k < 0) return { field: 'text', start, end, snippet: null, snippet_start: null, snippet_end: null };
      const base = this.snippets[k]!.start;
      return { field: 'text', start, end, snippet: k, snippet_start: start - base, snippet_end: end - base };
    }
    return { field: 'document', start: r.start, end: r.end, snippet: null, snippet_start: null, snippet_end: null };
  }
}
