import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/yamlFile.ts';
import { loadLexicons } from '../../src/analyse/index.ts';
import { REPO_ROOT } from '../../src/analyse/lexicons.ts';
import { lexicons } from './helpers.ts';

const SOURCE = join(REPO_ROOT, 'config', 'lexicons');
const MUNICIPALITIES = join(REPO_ROOT, 'config', 'municipalities.yaml');
const dirs: string[] = [];

function copyLexicons(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lexicons-'));
  dirs.push(dir);
  for (const f of readdirSync(SOURCE)) copyFileSync(join(SOURCE, f), join(dir, f));
  return dir;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test edit did not apply to ${file}`);
  writeFileSync(path, next);
}

function loadError(dir: string): ConfigError {
  try {
    loadLexicons({ dir, municipalitiesFile: MUNICIPALITIES });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('loadLexicons', () => {
  it('loads the shipped lexicons with every group of the catalogue', () => {
    expect(lexicons.groups.groups.map((g) => g.id)).toEqual([
      'immigrants', 'asylum_seekers', 'refugees', 'roma', 'sami', 'russian_speakers', 'swedish_speakers',
      'somalis', 'muslims', 'jews', 'ukrainians', 'estonians', 'other_ethnic',
    ]);
    expect(lexicons.frames.ids).toEqual(['crime_security', 'threat_burden', 'victim_discrimination', 'integration_work', 'culture_community', 'policy_admin', 'other']);
    expect(lexicons.tone.afinn.fi.size).toBeGreaterThan(2000);
    expect(lexicons.places.map((p) => p.nameFi)).toContain('Nurmijärvi');
    expect(lexicons.version).toMatch(/^a1-[0-9a-f]{12}$/);
  });

  it('names the file, line, field and what was expected', () => {
    const dir = copyLexicons();
    edit(dir, 'groups.yaml', '{ lemma: ulkomaalainen, attributive: people }', '{ lemma: ulkomaalainen, attributive: humans }');
    edit(dir, 'groups.yaml', 'then: refugees }', 'then: refugies }');
    edit(dir, 'frames.yaml', 'fallback: other', 'fallback: misc');
    edit(dir, 'tone.yaml', '    rasismi: -3\n', '    rasismi: very bad\n');
    const err = loadError(dir);
    const lines = readFileSync(join(dir, 'groups.yaml'), 'utf8').split('\n');
    const attrLine = lines.findIndex((l) => l.includes('attributive: humans')) + 1;
    expect(err.message).toContain(`groups.yaml:${attrLine}: groups[0].terms[3].attributive: expected one of any, people, common, got "humans"`);
    expect(err.message).toMatch(/groups\.yaml:\d+: groups\[1\]\.terms\[2\]\.context\[0\]\.then: unknown group "refugies"/);
    expect(err.message).toMatch(/frames\.yaml:\d+: fallback: expected one of the frames/);
    expect(err.message).toMatch(/tone\.yaml:\d+: domain\.fi\.rasismi: expected a number, got string "very bad"/);
  });

  it('reports unknown fields (typos must not pass silently) and bad word-list lines', () => {
    const dir = copyLexicons();
    edit(dir, 'voice.yaml', 'speaker_window: 4', 'speaker_windw: 4');
    edit(dir, 'AFINN-fi-165.txt', /^luopua\t-2$/m, 'luopua minus two');
    const err = loadError(dir);
    expect(err.message).toMatch(/voice\.yaml:\d+: speaker_windw: unknown field; expected one of: speaker_window, speech_verbs, attribution/);
    expect(err.message).toMatch(/AFINN-fi-165\.txt:1: entry: expected "word<TAB>score"/);
  });

  it('reports YAML syntax errors and missing files', () => {
    const dir = copyLexicons();
    writeFileSync(join(dir, 'frames.yaml'), 'frames: [unclosed\n');
    rmSync(join(dir, 'voice.yaml'));
    const err = loadError(dir);
    expect(err.message).toMatch(/frames\.yaml:\d+: YAML syntax/);
    expect(err.message).toContain('voice.yaml:0: file not found');
  });

  it('changes its version when a lexicon changes', () => {
    const dir = copyLexicons();
    const before = loadLexicons({ dir, municipalitiesFile: MUNICIPALITIES }).version;
    expect(before).toBe(lexicons.version);
    edit(dir, 'tone.yaml', '    rasismi: -3\n', '    rasismi: -4\n');
    expect(loadLexicons({ dir, municipalitiesFile: MUNICIPALITIES }).version).not.toBe(before);
  });
});
