// Tokens and sentences with character offsets into the original text, so that every tag can
// point at the exact span an analyst sees. Nothing here rewrites the text: HTML remnants,
// odd scripts and stray quotes become ordinary tokens rather than errors.

export type TokenKind = 'word' | 'number' | 'punct';

export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
}

export interface Sentence {
  index: number;
  start: number;
  end: number;
  /** Tokens [tokenStart, tokenEnd) of the sentence in the tokenize() output. */
  tokenStart: number;
  tokenEnd: number;
  /** Paragraph number (paragraphs are separated by a blank line). */
  paragraph: number;
}

// Words keep inner hyphens, apostrophes and the colon of Finnish abbreviation endings
// ("ääri-islamistinen", "Yli-Ii", "EU:n", "YK:ta"); numbers keep decimal separators.
const TOKEN_RE = /([\p{L}\p{M}][\p{L}\p{M}\p{N}]*(?:[-'’:][\p{L}\p{M}\p{N}]+)*)|(\p{N}+(?:[.,:]\p{N}+)*(?:[-'’:][\p{L}\p{M}\p{N}]+)*)|(\S)/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(text)) !== null) {
    const kind: TokenKind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'number' : 'punct';
    tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length, kind });
  }
  return tokens;
}

// Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
const ABBREVIATIONS = new Set([
  'esim', 'mm', 'ns', 'yms', 'jne', 'klo', 'n', 'ym', 's', 'ks', 'vrt', 'toim', 'os', 'prof', 'tri', 'dos',
  'ts', 'eli', 'ml', 'mt', 'kts', 'huom', 'vs', 'ap', 'ip', 'kk', 'v', 'vv', 'ed', 'nro', 'puh', 'p', 'ven',
  'engl', 'ruots', 'lat', 'saks', 'ransk', 'kirj', 'joht', 'pj', 'siht', 'apul', 'kansanedust', 'ma', 'ti',
  'ke', 'to', 'pe', 'la', 'su', 't', 'mr', 'mrs', 'dr', 'st', 'bl', 'a', 'b', 'c', 'e', 'kl', 'resp', 'f',
]);

const SENTENCE_END = new Set(['.', '!', '?', '…']);
const OPENERS = new Set(['"', '”', '“', '„', '«', '»', "'", '–', '—', '-', '(', '[']);

function startsSentence(tok: Token | undefined): boolean {
  if (!tok) return true;
  const c = tok.text[0]!;
  if (tok.kind === 'number') return true;
  if (tok.kind === 'punct') return OPENERS.has(c);
  return c !== c.toLowerCase() || c === c.toUpperCase(); // upper case, or a script without case
}

function hasNewline(text: string, from: number, to: number, twice: boolean): boolean {
  const i = text.indexOf('\n', from);
  if (i < 0 || i >= to) return false;
  if (!twice) return true;
  const j = text.indexOf('\n', i + 1);
  return j >= 0 && j < to;
}

/** Sentences over an already tokenized text (the analysis tokenizes once). */
export function sentencesOf(text: string, tokens: Token[]): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = 0;
  let first = 0;
  const close = (endTok: number): void => {
    if (endTok <= first) return;
    const a = tokens[first]!;
    const b = tokens[endTok - 1]!;
    out.push({ index: out.length, start: a.start, end: b.end, tokenStart: first, tokenEnd: endTok, paragraph });
    first = endTok;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const next = tokens[i + 1];
    if (next) {
      // A line break ends a sentence (headlines, list items); a blank line ends a paragraph.
      if (hasNewline(text, tok.end, next.start, false)) {
        close(i + 1);
        if (hasNewline(text, tok.end, next.start, true)) paragraph++;
        continue;
      }
    }
    if (tok.kind !== 'punct' || !SENTENCE_END.has(tok.text)) continue;
    // Keep a run of terminal punctuation and closing quotes/brackets with this sentence.
    let j = i;
    while (tokens[j + 1] && tokens[j + 1]!.kind === 'punct' && /^[.!?…"”’»)\]]$/.test(tokens[j + 1]!.text) && tokens[j + 1]!.start === tokens[j]!.end) j++;
    const after = tokens[j + 1];
    if (after && after.start === tokens[j]!.end && after.kind !== 'punct') continue; // "www.example.fi", "3.5"
    if (tok.text === '.') {
      const prev = tokens[i - 1];
      if (prev && prev.end === tok.start) {
        if (prev.kind === 'word' && ABBREVIATIONS.has(prev.text.toLowerCase())) continue;
        // An initial ("J. Smith") or an ordinal ("20. kesäkuuta") does not end a sentence.
        if (prev.kind === 'word' && prev.text.length === 1 && prev.text !== prev.text.toLowerCase()) continue;
        if (prev.kind === 'number' && after && !startsSentence(after)) continue;
      }
    }
    if (!startsSentence(after)) continue;
    close(j + 1);
    i = j;
  }
  close(tokens.length);
  return out;
}

export function splitSentences(text: string): Sentence[] {
  return sentencesOf(text, tokenize(text));
}
