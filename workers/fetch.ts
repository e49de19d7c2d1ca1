// Worker entry for the fetch queue: `npx tsx workers/fetch.ts [--redis URL] [--concurrency N]`.
// The same as `mediamittari workers --only fetch`.
import { runStageWorker } from '../src/queue/entry.ts';

runStageWorker('fetch');
