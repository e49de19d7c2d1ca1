import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';

// Real Finnish and Finland-Swedish pages kept outside the repository (see the eval README).
const DIR = fileURLToPath(new URL('../../../shared/eval/extraction/finnish/', import.meta.url));

interface Case {
  url: string;
  date?: string;
  title?: string;
  author?: string;
  with?: string[];
  without?: string[];
}

const present = existsSync(`${DIR}expected.json`);
if (!present) console.warn(`skipping Finnish evaluation pages: ${DIR} is missing`);
const cases: [string, Case][] = present
  ? Object.entries(JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as Record<string, Case>)
  : [];

describe.skipIf(!present)('Finnish evaluation pages', () => {
  it.each(cases)('%s', (file, c) => {
    const a = extractArticle(readFileSync(DIR + file, 'utf8'), c.url, { now: new Date('2024-01-01T00:00:00Z') });
    for (const s of c.with ?? []) expect(a.text).toContain(s);
    for (const s of c.without ?? []) expect(a.text).not.toContain(s);
    if (c.title) expect(a.title).toBe(c.title);
    if (c.author) expect(a.author).toBe(c.author);
    if (c.date) expect(a.published?.slice(0, 10)).toBe(c.date);
    expect(a.language).toBe(file.startsWith('1619092544') ? 'sv' : 'fi');
    expect(a.wordCount).toBeGreaterThan(50);
  });
});
