// Editing feeds.yaml as text an operator wrote: the shipped file round-trips byte for byte
// around an edit, the file's own list style is kept, and a save replaces the file in one
// step (through a symlink too) or not at all.
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/yamlFile.ts';
import { applyFeedEdit, contentHash, feedFieldsOf, InvalidFeedEdit, saveFeedsFile, StaleFeedsFile, UnknownFeed, type FeedFields } from '../../src/web/operator/feedsFile.ts';

const shipped = readFileSync(join(DEFAULT_CONFIG_DIR, 'feeds.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'mm-feedsfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fields = (over: Partial<FeedFields>): FeedFields => ({ id: 'uusi', name: '', url: 'https://uusi.example/feed', kind: 'local_paper', municipalities: [], region: '', interval: '', enabled: true, ...over });

describe('editing the shipped feeds.yaml', () => {
  it('disabling adds one line, enabling takes it away again: the file is as it was', () => {
    const off = applyFeedEdit(shipped, { op: 'enable', id: 'yle-lappi', enabled: false });
    expect(off.text).toBe(shipped.replace(/(id: yle-lappi\n(?: {4}.*\n)*? {4}interval: 15m\n)/, '$1    enabled: false\n'));
    expect(applyFeedEdit(off.text, { op: 'enable', id: 'yle-lappi', enabled: true }).text).toBe(shipped);
  });

  it('a new feed goes after the last one, in the file’s style, without an enabled: true the file never writes', () => {
    const { text, index } = applyFeedEdit(shipped, { op: 'add', fields: fields({ name: 'Uusi lehti: Lieksa', municipalities: ['Lieksa', 'Oulu'], interval: '45m' }) });
    expect(text).toBe(`${shipped}  - id: uusi\n    name: "Uusi lehti: Lieksa"\n    url: https://uusi.example/feed\n    kind: local_paper\n    municipalities: [Lieksa, Oulu]\n    interval: 45m\n`);
    expect(index).toBe(loadConfig().feeds.length);
  });

  it('an edit touches only the fields that changed; clearing a field removes its key', () => {
    const before = feedFieldsOf(shipped, 'aamulehti')!;
    expect(before).toEqual({ id: 'aamulehti', name: 'Aamulehti, tuoreimmat', url: 'https://www.aamulehti.fi/rss/tuoreimmat.xml', kind: 'regional_broadcaster', municipalities: [], region: 'Pirkanmaa', interval: '30m', enabled: true });
    expect(applyFeedEdit(shipped, { op: 'update', id: 'aamulehti', fields: before }).text).toBe(shipped);
    const { text } = applyFeedEdit(shipped, { op: 'update', id: 'aamulehti', fields: { ...before, region: '', municipalities: ['Tampere'], interval: '' } });
    expect(text).toBe(shipped.replace('    region: Pirkanmaa\n    interval: 30m\n  - id: lapin-kansa', '    municipalities: [Tampere]\n  - id: lapin-kansa'));
  });

  it('an unknown feed is named', () => {
    expect(() => applyFeedEdit(shipped, { op: 'enable', id: 'ei-ole', enabled: false })).toThrow(UnknownFeed);
  });
});

describe('other ways of writing the file', () => {
  it('keeps unindented lists, padded flow lists, block lists and a closing comment', () => {
    // One indentation for all lists of the file: a file that mixes both gets the top list's.
    const text = [
      '# hand-written',
      'feeds:',
      '- id: a',
      '  url: https://a.example/feed',
      '  kind: city',
      '  municipalities: [ Oulu ]',
      '- id: b',
      '  url: https://b.example/feed',
      '  kind: city',
      '  municipalities:',
      '  - Tornio',
      '# closing note',
      '',
    ].join('\n');
    const added = applyFeedEdit(text, { op: 'add', fields: fields({ municipalities: ['Lieksa'] }) }).text;
    expect(added).toBe(text.replace('# closing note\n', '- id: uusi\n  url: https://uusi.example/feed\n  kind: local_paper\n  municipalities: [ Lieksa ]\n# closing note\n'));
    const edited = applyFeedEdit(text, { op: 'update', id: 'b', fields: { ...feedFieldsOf(text, 'b')!, municipalities: ['Tornio', 'Oulu'] } }).text;
    expect(edited).toBe(text.replace('  - Tornio\n', '  - Tornio\n  - Oulu\n'));
  });

  it('an empty file gets its list', () => {
    expect(applyFeedEdit('# nothing yet\n', { op: 'add', fields: fields({ region: 'Lappi' }) }).text).toBe(
      '# nothing yet\n\nfeeds:\n  - id: uusi\n    url: https://uusi.example/feed\n    kind: local_paper\n    region: Lappi\n',
    );
  });

  it('a file that is not YAML is not edited', () => {
    expect(() => applyFeedEdit('feeds: [\n', { op: 'add', fields: fields({}) })).toThrow(InvalidFeedEdit);
  });
});

describe('saving', () => {
  const validate = (candidate: string) => loadConfig({ feedsFile: candidate, overrides: { storePath: ':memory:' } });

  it('replaces the file behind a symlink, keeps the link, and leaves no temporary file', () => {
    const real = join(dir, 'real-feeds.yaml');
    const link = join(dir, 'feeds.yaml');
    writeFileSync(real, shipped);
    symlinkSync(real, link);
    const saved = saveFeedsFile(link, { op: 'enable', id: 'yle-lappi', enabled: false }, { baseHash: contentHash(shipped), validate });
    expect(saved.changed).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('enabled: false');
    expect(saved.hash).toBe(contentHash(readFileSync(real, 'utf8')));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing when the result does not load, or the file is not what the form saw', () => {
    const path = join(dir, 'plain-feeds.yaml');
    writeFileSync(path, shipped);
    let error: unknown;
    try {
      saveFeedsFile(path, { op: 'add', fields: fields({ municipalities: ['Turku'] }) }, { baseHash: contentHash(shipped), validate });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFeedEdit);
    const invalid = error as InvalidFeedEdit;
    expect(invalid.index).toBe(loadConfig().feeds.length);
    expect(invalid.problems.map((p) => [p.file, p.field])).toEqual([[path, `feeds[${invalid.index}].municipalities[0]`]]);
    expect(() => saveFeedsFile(path, { op: 'add', fields: fields({ region: 'Lappi' }) }, { baseHash: contentHash('something else'), validate })).toThrow(StaleFeedsFile);
    expect(readFileSync(path, 'utf8')).toBe(shipped);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The validator's own errors are not mistaken for the edit's.
    expect(() =>
      saveFeedsFile(path, { op: 'add', fields: fields({ region: 'Lappi' }) }, {
        validate: () => {
          throw new ConfigError([{ file: join(DEFAULT_CONFIG_DIR, 'settings.yaml'), line: 3, field: 'http.retries', message: 'broken' }]);
        },
      }),
    ).toThrow(InvalidFeedEdit);
    expect(readFileSync(path, 'utf8')).toBe(shipped);
  });
});
