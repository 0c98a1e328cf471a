// Operations of the platform beyond health (the job queue's dead letters). Routes are registered by app.ts from
// jobs.routes.ts; nothing here is for other modules yet.
export { listJobs, retryJob } from './jobs.service.ts';
