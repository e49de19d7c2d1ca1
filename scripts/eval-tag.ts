// npm run eval:tag [-- --no-voikko] [--file PATH] [--misses N] [--json]
// Scores the tagger on the hand-labelled Finnish dev sentences (../shared/eval/tagging/dev.tsv;
// scoring as in its README): per-group precision/recall/F1, micro-F1, the false-positive rate
// on sentences with no group, tone macro-F1 and Krippendorff's alpha, frame accuracy, and the
// worst misses.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseText, loadLexicons, openMorphology, type Analysis } from '../src/analyse/index.ts';
import { REPO_ROOT } from '../src/analyse/lexicons.ts';
import { pairedAlpha } from '../src/indicators/alpha.ts';

interface Row {
  id: string;
  sentence: string;
  groups: string[];
  tone: string;
  frame: string;
}

function parseArgs(argv: string[]): { noVoikko: boolean; file: string; misses: number; json: boolean } {
  const out = { noVoikko: false, file: join(REPO_ROOT, '..', 'shared', 'eval', 'tagging', 'dev.tsv'), misses: 15, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-voikko') out.noVoikko = true;
    else if (a === '--json') out.json = true;
    else if (a === '--file') out.file = argv[++i] ?? out.file;
    else if (a === '--misses') out.misses = Number(argv[++i] ?? 15);
    else if (a === '--help' || a === '-h') {
      console.log('usage: eval-tag [--no-voikko] [--file dev.tsv] [--misses N] [--json]');
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  return out;
}

function readRows(file: string): Row[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}"`);
    return i;
  };
  const [id, sentence, groups, tone, frame] = ['id', 'sentence', 'groups', 'tone', 'frame'].map(col) as [number, number, number, number, number];
  return lines.slice(1).map((l) => {
    const f = l.split('\t');
    const g = f[groups] ?? '-';
    return { id: f[id] ?? '', sentence: f[sentence] ?? '', groups: g === '-' ? [] : g.split(',').map((x) => x.trim()), tone: f[tone] ?? '-', frame: f[frame] ?? '-' };
  });
}

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * Krippendorff's alpha, nominal data, two coders, no missing values. With no variation at all
 * (every label the same) this scoring counts the agreement as perfect.
 */
export function krippendorffNominal(a: string[], b: string[]): number {
  return pairedAlpha(a, b) ?? 1;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const rows = readRows(args.file);
  const lexicons = loadLexicons();
  const { morphology, notice } = openMorphology({ prefer: args.noVoikko ? 'snowball' : 'voikko' });
  if (notice) console.error(notice);
  const t0 = performance.now();
  const results: { row: Row; a: Analysis }[] = rows.map((row) => ({ row, a: analyseText({ text: row.sentence }, lexicons, morphology) }));
  const ms = performance.now() - t0;

  // Groups: micro over (sentence, group) pairs.
  const allGroups = lexicons.groups.groups.map((g) => g.id);
  const per = new Map(allGroups.map((g) => [g, { tp: 0, fp: 0, fn: 0, support: 0 }]));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let noGroup = 0;
  let noGroupFired = 0;
  const fnByTerm = new Map<string, string[]>();
  const fpByRule = new Map<string, string[]>();
  for (const { row, a } of results) {
    const gold = new Set(row.groups);
    const pred = new Set(a.groups);
    if (gold.size === 0) {
      noGroup++;
      if (pred.size > 0) noGroupFired++;
    }
    for (const g of gold) {
      const s = per.get(g) ?? { tp: 0, fp: 0, fn: 0, support: 0 };
      per.set(g, s);
      s.support++;
      if (pred.has(g)) {
        s.tp++;
        tp++;
      } else {
        s.fn++;
        fn++;
        fnByTerm.set(g, [...(fnByTerm.get(g) ?? []), row.id]);
      }
    }
    for (const g of pred) {
      if (gold.has(g)) continue;
      const s = per.get(g) ?? { tp: 0, fp: 0, fn: 0, support: 0 };
      per.set(g, s);
      s.fp++;
      fp++;
      const rules = a.mentions.filter((m) => m.group === g).map((m) => m.rule);
      const key = `${g} ← ${rules[0] ?? '?'}`;
      fpByRule.set(key, [...(fpByRule.get(key) ?? []), row.id]);
    }
  }
  const microP = tp / Math.max(1, tp + fp);
  const microR = tp / Math.max(1, tp + fn);
  const microF = f1(microP, microR);

  // Tone and frame over the sentences whose gold names a group.
  const labelled = results.filter(({ row }) => row.groups.length > 0);
  const goldTone = labelled.map(({ row }) => row.tone);
  const predTone = labelled.map(({ a }) => (a.groups.length > 0 ? a.tone.label : 'neu'));
  const toneClasses = ['neg', 'neu', 'pos'];
  const toneConf = new Map<string, number>();
  const toneF1 = toneClasses.map((c) => {
    let ctp = 0;
    let cfp = 0;
    let cfn = 0;
    for (let i = 0; i < goldTone.length; i++) {
      const g = goldTone[i]!;
      const p = predTone[i]!;
      if (c === toneClasses[0]) toneConf.set(`${g}→${p}`, (toneConf.get(`${g}→${p}`) ?? 0) + 1);
      if (g === c && p === c) ctp++;
      else if (p === c) cfp++;
      else if (g === c) cfn++;
    }
    const p = ctp / Math.max(1, ctp + cfp);
    const r = ctp / Math.max(1, ctp + cfn);
    return { c, p, r, f: f1(p, r), n: ctp + cfn };
  });
  const toneMacro = toneF1.reduce((s, x) => s + x.f, 0) / toneF1.length;
  const alpha = krippendorffNominal(goldTone, predTone);
  const frameConf = new Map<string, number>();
  let frameOk = 0;
  for (const { row, a } of labelled) {
    const p = a.frame ?? '(none)';
    if (p === row.frame) frameOk++;
    else frameConf.set(`${row.frame} → ${p}`, (frameConf.get(`${row.frame} → ${p}`) ?? 0) + 1);
  }
  const frameAcc = frameOk / Math.max(1, labelled.length);
  const langOk = results.filter(({ a }) => a.language === 'fi').length;

  if (args.json) {
    console.log(JSON.stringify({ morphology: morphology.kind, sentences: rows.length, micro: { p: microP, r: microR, f1: microF }, fpRateNoGroup: noGroupFired / Math.max(1, noGroup), toneMacroF1: toneMacro, toneAlpha: alpha, frameAccuracy: frameAcc, perGroup: Object.fromEntries(per), ms }));
    morphology.close();
    return;
  }

  const out: string[] = [];
  out.push(`Tagging eval — ${rows.length} sentences (${labelled.length} with groups, ${noGroup} without), morphology: ${morphology.kind}, lexicons ${lexicons.version}`);
  out.push('');
  out.push('group               support    P      R      F1    (tp/fp/fn)');
  for (const [g, s] of [...per].sort((a, b) => b[1].support - a[1].support || a[0].localeCompare(b[0]))) {
    if (s.support === 0 && s.fp === 0) continue;
    const p = s.tp / Math.max(1, s.tp + s.fp);
    const r = s.tp / Math.max(1, s.tp + s.fn);
    const flag = s.support >= 10 && f1(p, r) < 0.8 ? '  < 0.80' : '';
    out.push(`${g.padEnd(20)}${String(s.support).padStart(7)}  ${p.toFixed(3)}  ${r.toFixed(3)}  ${f1(p, r).toFixed(3)}  (${s.tp}/${s.fp}/${s.fn})${flag}`);
  }
  out.push('');
  out.push(`group micro        P ${microP.toFixed(3)}  R ${microR.toFixed(3)}  F1 ${microF.toFixed(3)}   (target ≥ 0.92)`);
  out.push(`FP rate, no-group sentences: ${noGroupFired}/${noGroup} = ${pct(noGroupFired / Math.max(1, noGroup))}   (target ≤ 20%)`);
  out.push(`tone macro-F1 ${toneMacro.toFixed(3)}   (target ≥ 0.65)   Krippendorff's alpha (nominal) ${alpha.toFixed(3)}`);
  out.push(`   ${toneF1.map((x) => `${x.c}: P ${x.p.toFixed(2)} R ${x.r.toFixed(2)} F1 ${x.f.toFixed(3)} (n=${x.n})`).join('   ')}`);
  out.push(`frame accuracy ${frameAcc.toFixed(3)} (${frameOk}/${labelled.length})   (target ≥ 0.60)`);
  out.push(`language detected as fi: ${langOk}/${rows.length}`);
  out.push(`time: ${ms.toFixed(0)} ms for ${rows.length} sentences`);
  out.push('');
  out.push('Worst misses');
  out.push('  groups missed (gold → not found):');
  for (const [g, ids] of [...fnByTerm].sort((a, b) => b[1].length - a[1].length)) out.push(`    ${g}: ${ids.length}  e.g. ${ids.slice(0, 6).join(' ')}`);
  out.push('  groups over-tagged (found, not in gold) by rule:');
  for (const [k, ids] of [...fpByRule].sort((a, b) => b[1].length - a[1].length).slice(0, 15)) out.push(`    ${k}: ${ids.length}  e.g. ${ids.slice(0, 5).join(' ')}`);
  out.push(`  tone (gold→tagger): ${[...toneConf].filter(([k]) => k.split('→')[0] !== k.split('→')[1]).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  out.push(`  frame (gold → tagger): ${[...frameConf].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (args.misses > 0) {
    out.push('');
    out.push(`Sentences with group errors (first ${args.misses}):`);
    let shown = 0;
    for (const { row, a } of results) {
      const gold = [...row.groups].sort().join(',') || '-';
      const pred = a.groups.join(',') || '-';
      if (gold === pred) continue;
      if (shown++ >= args.misses) break;
      const rules = a.mentions.map((m) => `${m.surface}=${m.group}[${m.rule}]`).join(' ');
      out.push(`  ${row.id}  gold ${gold}  tagger ${pred}  ${rules}`);
      out.push(`      ${row.sentence.slice(0, 160)}`);
    }
  }
  console.log(out.join('\n'));
  morphology.close();
}

// Run when executed (npm run eval:tag), not when the metrics are imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
