// The distributed mode: pipeline stages as BullMQ queues in Redis, worked on by processes on
// any number of machines; one writer next to the SQLite store. Importing this loads BullMQ
// and ioredis: the CLI imports ./commands.ts, which loads them only when a command needs them.
export { queueSettings, redactedUrl, DEFAULT_PREFIX, QueueSettingsError, type QueueSettings } from './connection.ts';
export { BullRunner, WriterConflictError, DEFAULT_BACKPRESSURE, type BullRunnerOptions, type Backpressure, type JobObserver, type StageHandler } from './runner.ts';
export { RedisHostPacer, RedisRobotsCache, type RedisHostPacerOptions } from './politeness.ts';
export { startQueueProcess, writerPassOnce, writerForever, writerStages, sharedHttpClient, type QueueProcess, type QueueProcessOptions, type WriterPass } from './processes.ts';
export { syncPollSchedulers, schedulerId, type ScheduleChange } from './schedule.ts';
export { queueOverview, retryFailed, cleanJobs, obliterateQueues, renderOverview, type QueueOverview, type StageOverview, type FailedJob, type WorkerInfo } from './operate.ts';
export { createWorkerMetrics, serveMetrics, type WorkerMetrics } from './metrics.ts';
export { jitteredBackoff, DEFAULT_RETRY, DEFAULT_RETENTION, type RetryPolicy, type RetentionPolicy, type QueuedJob } from './jobs.ts';
export { PIPELINE, WRITER_STAGES, WORKER_STAGES, parseStageList, downstreamOf } from './topology.ts';
