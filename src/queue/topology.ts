// The queues of the distributed mode, one per pipeline stage, derived from the STAGES map so
// that a stage added to the pipeline gets its queue without a change here.
import { STAGES, type StageName } from '../pipeline/stages.ts';

/** Stages in pipeline order (the order of the STAGES map). */
export const PIPELINE: readonly StageName[] = Object.keys(STAGES) as StageName[];

/**
 * Stages that read or write the SQLite store. They run only in the writer process, next to
 * the file; every other stage can run on any machine.
 */
export const WRITER_STAGES: ReadonlySet<StageName> = new Set<StageName>(['poll', 'persist'].filter((s): s is StageName => s in STAGES));

/** Stages that run anywhere: what `mediamittari workers` consumes by default. */
export const WORKER_STAGES: readonly StageName[] = PIPELINE.filter((s) => !WRITER_STAGES.has(s));

/** The BullMQ queue name of a stage (BullMQ forbids ':' in names; stage names have none). */
export function queueName(stage: StageName): string {
  return stage;
}

/**
 * Job ids are content-derived (`fetch:<hash of url>`, `poll:<feed id>`); BullMQ reserves ':'
 * in custom ids, so it is written as '.' in Redis. One id still maps to one BullMQ id.
 */
export function bullJobId(id: string): string {
  return id.replace(/:/g, '.');
}

export function isStageName(name: string): name is StageName {
  return Object.prototype.hasOwnProperty.call(STAGES, name);
}

/** Parses a comma-separated stage list ('fetch,analyse'); throws with the known names on a typo. */
export function parseStageList(list: string): StageName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error(`no stage named; known stages: ${PIPELINE.join(', ')}`);
  for (const n of names) if (!isStageName(n)) throw new Error(`unknown stage '${n}'; known stages: ${PIPELINE.join(', ')}`);
  return [...new Set(names as StageName[])];
}

/**
 * The queues a stage's output flows into, directly or further down: a consumer of `stage`
 * slows down when these are deep (backpressure). Polls are never downstream.
 */
export function downstreamOf(stage: StageName): StageName[] {
  const i = PIPELINE.indexOf(stage);
  return PIPELINE.slice(i + 1).filter((s) => s !== 'poll');
}
