// A store seeded from the demo corpus's ground truth (towns, groups, tone, frame, voice,
// syndication) without running the pipeline: realistic weeks for the report in a fraction of
// a second. The indicator tests run the real pipeline; the report tests are about rendering.
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { FixtureStore, tempDir } from '../indicators/helpers.ts';

export function seedFromDemoCorpus(): FixtureStore {
  const fx = new FixtureStore(join(tempDir('mm-report-'), 'store.db'));
  const config = loadConfig();
  for (const m of config.municipalities) fx.municipality(m.code, m.nameFi, m.nameSv);
  const corpus = loadDemoCorpus();
  const ids = new Map<string, number>();
  // Originals first, so that copies can point at them.
  const ordered = [...corpus.articles].sort((a, b) => Number(Boolean(a.syndicated_from)) - Number(Boolean(b.syndicated_from)));
  for (const a of ordered) {
    const id = fx.article({
      published: a.published,
      title: a.title,
      text: `${a.lead}\n\n${a.body}`,
      url: `https://demo.example.fi${a.url}`,
      localities: a.municipalities,
      groups: a.groups.map((g) => ({ group: g, tone: a.tone, frame: a.frame ?? 'other', voice: Boolean(a.voice) })),
      duplicateOf: a.syndicated_from ? ids.get(a.syndicated_from) : undefined,
    });
    ids.set(a.id, id);
  }
  return fx;
}
