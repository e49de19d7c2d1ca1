// CLI commands around the analysis: tag any text (`analyse`), re-tag the store after a
// lexicon change (`reanalyse`), and print an article with the evidence behind its tags (`show`).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Analysis } from '../analyse/index.ts';
import type { AppConfig } from '../config/load.ts';
import type { Logger } from '../log/logger.ts';
import { createProgress } from '../log/progress.ts';

export interface CommandEnv {
  load(): AppConfig;
  logger(beforeWrite?: () => void): Logger;
  setExit(code: number): void;
}

function print(line: string): void {
  process.stdout.write(line + '\n');
}

/** The fields researchers script against, in a stable shape. */
export function analysisJson(a: Analysis): Record<string, unknown> {
  return {
    language: a.language,
    municipalities: a.municipalities.map((m) => m.code),
    groups: a.groups,
    mentions: a.mentions.map((m) => ({ group: m.group, start: m.start, end: m.end, surface: m.surface, lemma: m.lemma, rule: m.rule, tone: m.tone.label, frame: m.frame })),
    tone: { label: a.tone.label, score: round(a.tone.score), evidence: a.tone.evidence.map((e) => ({ start: e.start, end: e.end, lemma: e.lemma, weight: e.weight, rule: e.rule })) },
    frame: a.frame,
    frames: a.frames,
    voice: a.voice.map((v) => ({ group: v.group, speaks: v.speaks, evidence: v.evidence })),
    version: a.version,
    bodyOffset: a.bodyOffset,
    truncated: a.truncated,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The document the analysis read and its evidence offsets count in: the title (as analyseText
 * trims it), a blank line, then the text.
 */
export function analysedDocument(title: string | null, text: string): string {
  const t = (title ?? '').slice(0, 2000).trim();
  return t ? `${t}\n\n${text}` : text;
}

/** One piece of evidence in the analysed document: offsets into it, and what it shows. */
export type EvidenceMark =
  | { kind: 'group'; start: number; end: number; group: string; lemma: string; rule: string }
  | { kind: 'tone'; start: number; end: number; weight: number; lemma: string; rule: string }
  | { kind: 'voice'; start: number; end: number; group: string; rule: string };

/**
 * The evidence of an analysis as marks over the document, in order. Group mentions and tone
 * words form one layer without overlaps (a tone word inside a mention, or the same word
 * setting the tone of two mentions, is shown once: the earliest-starting, longest mark wins);
 * voices (the speech verb and the speaker) are a second layer that may overlap the first.
 */
export function evidenceMarks(document: string, a: Analysis): { words: EvidenceMark[]; voices: EvidenceMark[] } {
  const words: EvidenceMark[] = [
    ...a.mentions.map((m): EvidenceMark => ({ kind: 'group', start: m.start, end: m.end, group: m.group, lemma: m.lemma, rule: m.rule })),
    ...a.mentions.flatMap((m) => m.tone.evidence).map((e): EvidenceMark => ({ kind: 'tone', start: e.start, end: e.end, weight: e.weight, lemma: e.lemma, rule: e.rule })),
  ];
  const voices = a.voice.flatMap((v) => v.evidence.map((e): EvidenceMark => ({ kind: 'voice', start: e.start, end: e.end, group: v.group, rule: e.rule })));
  return { words: withoutOverlaps(words, document.length), voices: withoutOverlaps(voices, document.length) };
}

function withoutOverlaps(marks: EvidenceMark[], length: number): EvidenceMark[] {
  marks.sort((x, y) => x.start - y.start || y.end - x.end);
  const kept: EvidenceMark[] = [];
  let until = -1;
  for (const m of marks) {
    if (m.start >= until && m.start < m.end && m.end <= length) {
      kept.push(m);
      until = m.end;
    }
  }
  return kept;
}

/**
 * The document with its evidence marked: group mentions as [[mention|group]], words that
 * set the tone as {+word} / {-word}. Offsets are into `document`.
 */
export function markEvidence(document: string, a: Analysis): string {
  let out = '';
  let pos = 0;
  for (const m of evidenceMarks(document, a).words) {
    const [open, close] = m.kind === 'group' ? ['[[', `|${m.group}]]`] : m.kind === 'tone' ? [m.weight < 0 ? '{-' : '{+', '}'] : ['', ''];
    out += document.slice(pos, m.start) + open + document.slice(m.start, m.end) + close;
    pos = m.end;
  }
  return out + document.slice(pos);
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (data += d));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

export function registerAnalysisCommands(program: Command, env: CommandEnv): void {
  program
    .command('analyse')
    .alias('analyze')
    .description('tag text from a file or standard input: language, municipalities, group mentions, tone, frame, voice')
    .argument('[file]', "a text file, or '-' (the default) for standard input")
    .option('--lines', 'one document per line')
    .option('--json', 'one JSON object per document: language, municipalities, groups, mentions, tone, frame, voice')
    .option('--snowball', 'use the Snowball stemmer even when Voikko is installed')
    .action(async (file: string | undefined, opts: { lines?: boolean; json?: boolean; snowball?: boolean }) => {
      const config = env.load();
      const log = env.logger();
      const { openAnalyser } = await import('./stages.ts');
      const { analyseText } = await import('../analyse/index.ts');
      const analyser = openAnalyser(config, { prefer: opts.snowball ? 'snowball' : undefined });
      if (analyser.notice) log.warn(`notice: ${analyser.notice}`);
      try {
        const input = !file || file === '-' ? await readStdin() : readFileSync(file, 'utf8');
        const docs = opts.lines ? input.split(/\r?\n/).filter((l) => l.trim().length > 0) : [input];
        for (const text of docs) {
          const a = analyseText({ text }, analyser.lexicons, analyser.morphology);
          if (opts.json) {
            print(JSON.stringify(analysisJson(a)));
            continue;
          }
          print(`language ${a.language ?? '?'} · municipalities ${a.municipalities.map((m) => m.code).join(', ') || '—'} · groups ${a.groups.join(', ') || '—'} · tone ${a.tone.label} (${round(a.tone.score)}) · frame ${a.frame ?? '—'}${a.voice.some((v) => v.speaks) ? ` · voice ${a.voice.filter((v) => v.speaks).map((v) => v.group).join(', ')}` : ''}`);
          if (a.mentions.length > 0) print(markEvidence(text, a).trim() + '\n');
        }
        env.setExit(0);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        process.stderr.write(`${err.code === 'ENOENT' ? `no such file: ${file}` : err.message}\n`);
        env.setExit(1);
      } finally {
        analyser.morphology.close();
      }
    });

  program
    .command('reanalyse')
    .alias('reanalyze')
    .description('re-tag stored articles after a lexicon change; resumable (articles already at the current version are skipped)')
    .option('--since <date>', 'only articles published on or after this date (YYYY-MM-DD)')
    .option('--all', 'also re-tag articles already analysed with the current version')
    .action(async (opts: { since?: string; all?: boolean }) => {
      let since: number | undefined;
      if (opts.since) {
        since = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(opts.since) ? `${opts.since}T00:00:00+02:00` : opts.since);
        if (!Number.isFinite(since)) {
          process.stderr.write(`--since: expected a date such as 2026-10-01, got "${opts.since}"\n`);
          return env.setExit(2);
        }
      }
      const config = env.load();
      const progress = createProgress();
      const log = env.logger(() => progress.clear());
      const { Store } = await import('../store/store.ts');
      const { openAnalyser } = await import('./stages.ts');
      const { reanalyse } = await import('./reanalyse.ts');
      const store = new Store(config.settings.store.path);
      store.syncConfig(config);
      const analyser = openAnalyser(config);
      if (analyser.notice) log.warn(`notice: ${analyser.notice}`);
      const abort = new AbortController();
      const stop = () => {
        log.info('stopping after the current batch; run again to continue');
        abort.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let lastLog = 0;
      try {
        const s = await reanalyse(store, analyser, {
          since,
          all: opts.all,
          signal: abort.signal,
          onProgress: (done, total) => {
            progress.update({ analysed: done, of: total }, 'reanalyse');
            if (!process.stderr.isTTY && Date.now() - lastLog > 5000) {
              lastLog = Date.now();
              log.info('reanalyse progress', { analysed: done, total });
            }
          },
        });
        progress.done();
        log.info(s.interrupted ? 'reanalyse interrupted' : 'reanalyse done', { ...s });
        env.setExit(s.interrupted ? 1 : 0);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        analyser.morphology.close();
        store.close();
      }
    });

  program
    .command('show')
    .description('an article with the evidence behind its tags: group mentions, the words that set the tone, quoted voices')
    .argument('<article-id>', 'article id (see status or the exports)')
    .option('--json', 'the article and its analysis as one JSON object')
    .action(async (idText: string, opts: { json?: boolean }) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id <= 0) {
        process.stderr.write(`article id must be a positive whole number, got "${idText}"\n`);
        return env.setExit(2);
      }
      const config = env.load();
      const { Store } = await import('../store/store.ts');
      const store = new Store(config.settings.store.path);
      try {
        const row = store.db
          .prepare(
            `SELECT a.id, a.url, a.title, a.text, a.published_at, a.author, a.language, a.paywalled, a.duplicate_of, an.result_json,
               (SELECT group_concat(feed_id, ', ') FROM article_sources s WHERE s.article_id = a.id) feeds
             FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE a.id = ?`,
          )
          .get(id) as
          | { id: number; url: string; title: string | null; text: string; published_at: string | null; author: string | null; language: string | null; paywalled: number; duplicate_of: number | null; result_json: string | null; feeds: string | null }
          | undefined;
        if (!row) {
          process.stderr.write(`no article ${id} in ${config.settings.store.path}\n`);
          return env.setExit(1);
        }
        const analysis = row.result_json ? (JSON.parse(row.result_json) as Analysis) : null;
        if (opts.json) {
          const { result_json: _omit, ...article } = row;
          print(JSON.stringify({ article, analysis: analysis ? analysisJson(analysis) : null }));
          return env.setExit(0);
        }
        print(`#${row.id} ${row.title ?? '(no title)'}`);
        print(`${row.url}\npublished ${row.published_at ?? '—'} · ${row.author ?? '—'} · ${row.language ?? '?'} · via ${row.feeds ?? '—'}${row.paywalled ? ' · paywalled' : ''}${row.duplicate_of ? ` · copy of #${row.duplicate_of}` : ''}`);
        if (!analysis) {
          print('\nnot analysed yet (run `mediamittari reanalyse`)');
          return env.setExit(0);
        }
        const a = analysis;
        print(`\nanalysis ${a.version}`);
        print(`municipalities: ${a.municipalities.map((m) => `${m.code} (${round(m.score)})`).join(', ') || '—'}`);
        print(`groups: ${a.groups.join(', ') || '—'}   tone: ${a.tone.label} (${round(a.tone.score)})   frame: ${a.frame ?? '—'}`);
        for (const m of a.mentions) {
          const words = m.tone.evidence.map((e) => `${e.lemma}${e.weight > 0 ? '+' : ''}${e.weight}`).join(' ');
          print(`  mention ${m.group} "${m.surface}" at ${m.start}–${m.end} (lemma ${m.lemma}, rule ${m.rule}) → tone ${m.tone.label}${words ? ` by ${words}` : ''}, frame ${m.frame}`);
        }
        const document = analysedDocument(row.title, row.text);
        for (const v of a.voice) {
          const quotes = v.evidence.map((e) => `"${document.slice(e.start, e.end).slice(0, 120)}" (${e.rule})`).join('; ');
          print(`  voice ${v.group}: ${v.speaks ? 'a member of the group speaks' : 'talked about only'}${quotes ? ` — ${quotes}` : ''}`);
        }
        print('\n' + markEvidence(document, a));
        env.setExit(0);
      } finally {
        store.close();
      }
    });
}
