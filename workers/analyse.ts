// Worker entry for the analyse queue: `npx tsx workers/analyse.ts [--redis URL] [--concurrency N]`.
// The same as `mediamittari workers --only analyse`.
import { runStageWorker } from '../src/queue/entry.ts';

runStageWorker('analyse');
