// Prints what the demo corpus contains: articles per source and week, per town and week,
// the group/tone/frame mix and the two planted weeks the indicators must notice.
//   npx tsx src/demo/stats.ts [corpus-dir]

import { loadDemoCorpus, DEFAULT_CORPUS_DIR, DEMO_GROUPS, DEMO_FRAMES, type DemoArticle } from './corpus.ts';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isoWeek } from './time.ts';

export const CORPUS_WEEKS: readonly string[] = Array.from({ length: 12 }, (_, i) => `2026-W${36 + i}`);

const weekOf = (a: DemoArticle): string => isoWeek(new Date(a.published));

function perWeek(articles: DemoArticle[]): number[] {
  return CORPUS_WEEKS.map((w) => articles.filter((a) => weekOf(a) === w).length);
}

function row(label: string, counts: number[], extra: string[] = []): string {
  const total = counts.reduce((s, n) => s + n, 0);
  return `${label.padEnd(22)}${counts.map((n) => String(n).padStart(4)).join('')}${String(total).padStart(7)}${extra.map((x) => x.padStart(10)).join('')}`;
}

function header(label: string, extra: string[] = []): string {
  return `${label.padEnd(22)}${CORPUS_WEEKS.map((w) => w.slice(-3).padStart(4)).join('')}${'total'.padStart(7)}${extra.map((x) => x.padStart(10)).join('')}`;
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function corpusReport(dir: string = DEFAULT_CORPUS_DIR): string {
  const corpus = loadDemoCorpus(dir);
  const { sources, articles } = corpus;
  const out: string[] = [];
  const feeds = sources.flatMap((s) => s.feeds);
  out.push(`Demo corpus: ${articles.length} articles, ${sources.length} sources, ${feeds.length} feeds (${dir})`);
  out.push('');

  out.push('Articles per source and ISO week');
  out.push(header('source', ['groups', 'paywalled', 'syndic.']));
  for (const s of sources) {
    const own = articles.filter((a) => a.source === s.id);
    out.push(row(s.id, perWeek(own), [
      pct(own.filter((a) => a.groups.length > 0).length, own.length),
      String(own.filter((a) => a.paywalled).length),
      String(own.filter((a) => a.syndicated_from).length),
    ]));
  }
  out.push(row('all sources', perWeek(articles), [
    pct(articles.filter((a) => a.groups.length > 0).length, articles.length),
    String(articles.filter((a) => a.paywalled).length),
    String(articles.filter((a) => a.syndicated_from).length),
  ]));
  out.push('');

  out.push('Articles per feed and ISO week');
  out.push(header('feed'));
  for (const f of feeds) out.push(row(f.id, perWeek(articles.filter((a) => a.feeds.includes(f.id)))));
  out.push('');

  const towns = new Map<string, string>();
  for (const s of sources) s.municipalities.forEach((name, i) => towns.set(s.municipalityCodes[i] ?? '', name));
  const townRows = [...towns].sort((a, b) => a[0].localeCompare(b[0]));
  out.push('Articles about each configured town per ISO week (all sources; ground truth)');
  out.push(header('town', ['groups', 'neg']));
  for (const [code, name] of townRows) {
    const about = articles.filter((a) => a.municipalities.includes(code));
    out.push(row(`${name} (${code})`, perWeek(about), [
      pct(about.filter((a) => a.groups.length > 0).length, about.length),
      String(about.filter((a) => a.tone === 'neg').length),
    ]));
  }
  out.push(row('no configured town', perWeek(articles.filter((a) => a.municipalities.length === 0))));
  out.push('');

  out.push('Negative group articles per town per ISO week');
  out.push(header('town'));
  for (const [code, name] of townRows) {
    out.push(row(`${name} (${code})`, perWeek(articles.filter((a) => a.municipalities.includes(code) && a.tone === 'neg'))));
  }
  out.push('');

  out.push('Groups (articles; neg / neu / pos; with voice)');
  for (const g of DEMO_GROUPS) {
    const of = articles.filter((a) => a.groups.includes(g));
    const t = (tone: string): number => of.filter((a) => a.tone === tone).length;
    out.push(`  ${g.padEnd(18)}${String(of.length).padStart(4)}   ${t('neg')} / ${t('neu')} / ${t('pos')}   voice ${of.filter((a) => a.voice).length}`);
  }
  out.push(`Frames: ${DEMO_FRAMES.map((f) => `${f} ${articles.filter((a) => a.frame === f).length}`).join(', ')}`);
  out.push('');

  // The planted weeks: what an indicator and the coverage figure should pick up.
  out.push('Planted weeks');
  const tampere = articles.filter((a) => a.municipalities.includes('837'));
  const negRoma = perWeek(tampere.filter((a) => a.groups.includes('roma') && a.tone === 'neg'));
  const w45 = CORPUS_WEEKS.indexOf('2026-W45');
  const otherNegRoma = negRoma.filter((_, i) => i !== w45);
  out.push(`  Tampere 2026-W45: ${negRoma[w45]} negative roma articles; other weeks max ${Math.max(...otherNegRoma)}, ` +
    `total ${otherNegRoma.reduce((s, n) => s + n, 0)} over 11 weeks`);
  const lieksa = perWeek(articles.filter((a) => a.municipalities.includes('422')));
  const lieksaOwn = perWeek(articles.filter((a) => a.source === 'lieksan-viesti'));
  const w42 = CORPUS_WEEKS.indexOf('2026-W42');
  const others = lieksa.filter((_, i) => i !== w42);
  out.push(`  Lieksa 2026-W42: ${lieksa[w42]} articles about Lieksa (${lieksaOwn[w42]} in Lieksan Viesti); ` +
    `other weeks min ${Math.min(...others)}, median ${median(others)}`);
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(corpusReport(process.argv[2] ?? DEFAULT_CORPUS_DIR));
}
