/** Which job of the local cluster runs a given pipeline of a given document. */
import { TERMINAL_JOB_STATES } from '../../../protocol/cluster-api.js';
import type { JobStore, TrackedJob } from './job-store.js';

/** The newest job of `pipeline` from `documentUri` that has not finished, failed or been canceled. */
export function runningJobOf(jobs: JobStore, documentUri: string, pipeline: string): TrackedJob | undefined {
    return jobs.all().find((job) => job.documentUri === documentUri && job.graph?.pipeline === pipeline
        && job.details !== undefined && !TERMINAL_JOB_STATES.includes(job.details.state));
}
