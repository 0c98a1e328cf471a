// The one job queue (graphile-worker on PostgreSQL, docs/jobs.md) and the loop skeleton of what is not a job.
export {
  JobQueue,
  installJobSchema,
  parseSchedule,
  JOB_SCHEMA,
  type BackgroundWork,
  type JobContext,
  type JobQueueOptions,
  type ScheduleDefinition,
  type TaskDefinition,
} from './queue.ts';
export {
  addKeyedJobs,
  findJob,
  jobSchemaInstalled,
  listJobs,
  retryDeadJob,
  type JobRow,
  type JobState,
} from './jobs.repo.ts';
export { jobMetrics, registerJobGauges } from './jobs.metrics.ts';
export { PollLoop, type PassResult, type PollLoopOptions } from './poll-loop.ts';
