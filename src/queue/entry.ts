// Shared body of the thin entries in workers/: one queue per entry, the rest of the command
// line as for `mediamittari workers` (global options such as --config included).
import { main } from '../cli.ts';

export function runStageWorker(stage: string): void {
  main([process.argv[0]!, 'mediamittari', 'workers', '--only', stage, ...process.argv.slice(2)]).then((code) => {
    process.exitCode = code;
  });
}
