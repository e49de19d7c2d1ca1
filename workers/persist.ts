// Worker entry for the persist queue: `npx tsx workers/persist.ts [--redis URL] [--concurrency N]`.
// The same as `mediamittari workers --only persist`.
// persist needs the store: run it on the machine that holds the SQLite file, as the only one.
import { runStageWorker } from '../src/queue/entry.ts';

runStageWorker('persist');
