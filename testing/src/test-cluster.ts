/**
 * The in-process local cluster a test run shares across its tests (Flink's MiniCluster in a test
 * suite): started once, many test jobs at a time, each job's collected records routed to it by
 * one listener.
 */
import type { PushMessage } from '../../protocol/cluster-api.js';
import type { LogicalGraph } from '../../protocol/logical-graph.js';
import type { JobMaster } from '../../runtime/src/cluster/job-master.js';
import type { JobTestOptions } from '../../runtime/src/cluster/job-test-run.js';
import { LocalCluster, type LocalClusterOptions } from '../../runtime/src/cluster/local-cluster.js';
import type { Row } from './record-text.js';

/** A submitted test job and the records its collect sinks received so far, by sink node id. */
export interface TestJob {
    job: JobMaster;
    collected: Map<string, Row[]>;
    /** Stops routing records to this job (once it ended). */
    release(): void;
}

export class TestCluster {
    private readonly jobs = new Map<string, Map<string, Row[]>>();

    private constructor(readonly cluster: LocalCluster) {
        cluster.jobManager.on('push', (message: PushMessage) => {
            if (message.type !== 'sink-records' || !message.rows) return;
            const collected = this.jobs.get(message.jid);
            if (!collected) return;
            const list = collected.get(message.nodeId);
            if (list) for (const row of message.rows) list.push(row);
            else collected.set(message.nodeId, [...message.rows]);
        });
    }

    static async start(options: LocalClusterOptions = {}): Promise<TestCluster> {
        return new TestCluster(await LocalCluster.start(options));
    }

    /** Task slots of the cluster: a job with a higher parallelism cannot run on it. */
    get slots(): number {
        return this.cluster.jobManager.slotPool.total;
    }

    submit(graph: LogicalGraph, test: JobTestOptions): TestJob {
        const job = this.cluster.jobManager.submit(graph, { test });
        const collected = new Map<string, Row[]>();
        // Nothing arrives before the submitting code returns to the event loop: no record is missed.
        this.jobs.set(job.id, collected);
        return { job, collected, release: () => { this.jobs.delete(job.id); } };
    }

    /** Cancels a test job (one that ran out of time). */
    cancel(jobId: string): void {
        this.cluster.jobManager.cancel(jobId);
    }

    shutdown(): Promise<void> {
        return this.cluster.shutdown();
    }
}
