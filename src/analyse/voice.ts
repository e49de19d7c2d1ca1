// Voice: does a member of the group speak in the article, or is the group only talked about?
// A speech verb ("sanoo", "kertoo", ...) or an attribution ("Alin mukaan") has a speaker in
// its clause; the group speaks when that speaker is a group mention denoting people
// ("maahanmuuttajat kertovat", "kertoo somalitaustainen Ahmed Ali") or a person the article
// has described as a group member ("somalitaustainen Ahmed Ali" ... "– ..., Ali sanoo.").
import { factsOf, type Doc, type TokenInfo } from './doc.ts';
import type { RawMention } from './groups.ts';

export interface VoiceEvidence {
  start: number;
  end: number;
  rule: string;
}

export interface Voice {
  group: string;
  speaks: boolean;
  evidence: VoiceEvidence[];
}

const CLAUSE_BREAK = new Set([',', '.', ';', ':', '!', '?', '–', '—', '"', '”', '“', '»', '«', '(', ')']);

function isName(t: TokenInfo | undefined): boolean {
  return t !== undefined && t.isWord && t.capital && !t.initial;
}

/** Names attached to a group description: "somalitaustainen Ahmed Ali", "Ahmed Ali, somalitaustainen yrittäjä". */
function describedPersons(doc: Doc, mentions: RawMention[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  const add = (t: TokenInfo, group: string): void => {
    const set = names.get(t.lower) ?? new Set<string>();
    set.add(group);
    names.set(t.lower, set);
  };
  for (const m of mentions) {
    if (!m.people) continue;
    // Right after the mention (optionally after a people noun: "somalitaustainen yrittäjä Ahmed Ali").
    let j = m.tokenEnd;
    if (doc.tokens[j] && !doc.tokens[j]!.capital && doc.tokens[j]!.isWord && factsOf(doc, doc.tokens[j]!).people) j++;
    for (let k = 0; k < 3 && isName(doc.tokens[j + k]) && doc.tokens[j + k]!.sentence === m.sentence; k++) add(doc.tokens[j + k]!, m.group);
    // An apposition before it: "Ahmed Ali, 34, somalitaustainen ..." / "Ahmed Ali, somalitaustainen".
    let i = m.tokenStart - 1;
    while (i >= 0 && doc.tokens[i]!.sentence === m.sentence && (doc.tokens[i]!.tok.kind === 'number' || doc.tokens[i]!.tok.text === ',')) i--;
    if (i < m.tokenStart - 1) for (let k = 0; k < 3 && isName(doc.tokens[i - k]) && doc.tokens[i - k]!.sentence === m.sentence; k++) add(doc.tokens[i - k]!, m.group);
  }
  return names;
}

interface SpeechEvent {
  anchor: TokenInfo;
  rule: string;
  /** Token ranges that may hold the speaker. */
  from: number;
  to: number;
}

function speechEvents(doc: Doc): SpeechEvent[] {
  const window = doc.lexicons.voice.speakerWindow;
  const out: SpeechEvent[] = [];
  for (const s of doc.sentences) {
    for (let i = s.tokenStart; i < s.tokenEnd; i++) {
      const t = doc.tokens[i]!;
      if (!t.isWord) continue;
      const facts = factsOf(doc, t);
      const verb = facts.speechVerb;
      const attribution = !verb && facts.attribution;
      if (!verb && !attribution) continue;
      // The speaker stands in the verb's own clause; an attribution's speaker precedes it.
      let from = i;
      while (from > s.tokenStart && i - from < window && !CLAUSE_BREAK.has(doc.tokens[from - 1]!.tok.text)) from--;
      let to = i + 1;
      if (verb) while (to < s.tokenEnd && to - i <= window && !CLAUSE_BREAK.has(doc.tokens[to]!.tok.text)) to++;
      out.push({ anchor: t, rule: `${verb ? 'speech-verb' : 'attribution'}:${t.known ? t.readings[0]!.lemma : t.lower}`, from, to });
    }
  }
  return out;
}

const SPEAKER_CASES = new Set(['nimento', 'omanto', '', undefined]);

export function detectVoice(doc: Doc, mentions: RawMention[], groups: string[]): Voice[] {
  const result = new Map<string, Voice>(groups.map((g) => [g, { group: g, speaks: false, evidence: [] }]));
  if (mentions.length === 0) return [...result.values()];
  const persons = describedPersons(doc, mentions);
  const byToken = new Map<number, RawMention[]>();
  for (const m of mentions) for (let k = m.tokenStart; k < m.tokenEnd; k++) byToken.set(k, [...(byToken.get(k) ?? []), m]);
  for (const ev of speechEvents(doc)) {
    for (let k = ev.from; k < ev.to; k++) {
      if (k === ev.anchor.index) continue;
      const t = doc.tokens[k]!;
      for (const m of byToken.get(k) ?? []) {
        if (!m.people) continue;
        // The speaker is the subject (or, for "X:n mukaan", the genitive), not an object.
        if (t.readings.length > 0 && !t.readings.some((r) => SPEAKER_CASES.has(r.case))) continue;
        const v = result.get(m.group);
        if (!v) continue;
        v.speaks = true;
        if (v.evidence.length < 6) v.evidence.push({ start: ev.anchor.tok.start, end: ev.anchor.tok.end, rule: ev.rule }, { start: m.start, end: m.end, rule: 'speaker:group-mention' });
      }
      if (isName(t)) {
        for (const g of persons.get(t.lower) ?? []) {
          const v = result.get(g);
          if (!v) continue;
          v.speaks = true;
          if (v.evidence.length < 6) v.evidence.push({ start: ev.anchor.tok.start, end: ev.anchor.tok.end, rule: ev.rule }, { start: t.tok.start, end: t.tok.end, rule: 'speaker:described-person' });
        }
      }
    }
  }
  return [...result.values()];
}
