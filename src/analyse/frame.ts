// Frame of a group mention from lemma cues in its sentence (neighbours weigh less); the
// article's main frame is the one most of its mentions take.
import { factsOf, neighbours, type Doc } from './doc.ts';
import { MODIFIER_WEIGHT, type ToneResult } from './tone.ts';

export type FrameScores = Map<string, number>;

export function sentenceFrames(doc: Doc): FrameScores[] {
  const out: FrameScores[] = [];
  for (const s of doc.sentences) {
    const scores: FrameScores = new Map();
    for (let i = s.tokenStart; i < s.tokenEnd; i++) {
      const t = doc.tokens[i]!;
      if (!t.isWord) continue;
      const hit = factsOf(doc, t).frames;
      if (!hit) continue;
      const scale = hit.head ? 1 : MODIFIER_WEIGHT;
      for (const { frame, weight } of hit.value) scores.set(frame, (scores.get(frame) ?? 0) + weight * scale);
    }
    out.push(scores);
  }
  return out;
}

// Frames in which the group's relations are strained; a negative window tips ties toward them.
const NEGATIVE_FRAMES = new Set(['victim_discrimination', 'threat_burden', 'crime_security']);

export function frameAround(doc: Doc, frames: FrameScores[], sentence: number, tone: ToneResult): { frame: string; scores: FrameScores } {
  const lex = doc.lexicons.frames;
  const scores: FrameScores = new Map(frames[sentence]);
  for (const k of neighbours(doc, sentence)) {
    const f = frames[k];
    if (!f || lex.neighbourWeight === 0) continue;
    for (const [frame, w] of f) scores.set(frame, (scores.get(frame) ?? 0) + w * lex.neighbourWeight);
  }
  if (tone.label === 'neg' && lex.negativeToneBonus > 0) {
    for (const [frame, w] of scores) if (NEGATIVE_FRAMES.has(frame) && w > 0) scores.set(frame, w + lex.negativeToneBonus);
  }
  let best = lex.fallback;
  let bestScore = 0;
  for (const id of lex.ids) {
    const w = scores.get(id) ?? 0;
    if (w > bestScore) {
      best = id;
      bestScore = w;
    }
  }
  return { frame: best, scores };
}

/** Main frame and the share of mentions per frame. */
export function articleFrames(doc: Doc, mentionFrames: { frame: string; scores: FrameScores }[]): { frame: string | null; frames: Record<string, number> } {
  if (mentionFrames.length === 0) return { frame: null, frames: {} };
  const counts = new Map<string, number>();
  const weight = new Map<string, number>();
  for (const m of mentionFrames) {
    counts.set(m.frame, (counts.get(m.frame) ?? 0) + 1);
    weight.set(m.frame, (weight.get(m.frame) ?? 0) + (m.scores.get(m.frame) ?? 0));
  }
  const order = doc.lexicons.frames.ids;
  const ranked = [...counts.keys()].sort(
    (a, b) => counts.get(b)! - counts.get(a)! || weight.get(b)! - weight.get(a)! || order.indexOf(a) - order.indexOf(b),
  );
  const frames: Record<string, number> = {};
  for (const [f, c] of counts) frames[f] = Math.round((c / mentionFrames.length) * 1000) / 1000;
  return { frame: ranked[0] ?? null, frames };
}
