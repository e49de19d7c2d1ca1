// Worker entry for the poll queue: `npx tsx workers/poll.ts [--redis URL] [--concurrency N]`.
// The same as `mediamittari workers --only poll`.
// poll needs the store: run it on the machine that holds the SQLite file, as the only one.
import { runStageWorker } from '../src/queue/entry.ts';

runStageWorker('poll');
