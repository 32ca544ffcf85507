/**
 * What `flowline test` does with its files: builds each file's test plans with the language,
 * runs the plans in parallel on one in-process local cluster (the runner in testing/src/), and
 * gathers the results, in file and test order, into a TestRunReport.
 */
import { performance } from 'node:perf_hooks';
import type { PipelineTestPlan, PipelineTestResult, TestRunReport } from '../../../protocol/pipeline-tests.js';
import { defaultClusterSize } from '../../../runtime/src/cluster/local-cluster.js';
import { runPipelineTest } from '../../../testing/src/run-pipeline-test.js';
import { TestCluster } from '../../../testing/src/test-cluster.js';

/** Slots per TaskManager of a test run's cluster: room for several small test jobs at a time. */
const TEST_SLOTS_PER_TASK_MANAGER = 4;

export interface TestRunOptions {
    filter?: string;
    updateSnapshots?: boolean;
    /** Called with each file's error lines (`file:line:col: error ...`) as they are found. */
    onFileErrors(lines: string[]): void;
}

export interface TestRunOutcome {
    report: TestRunReport;
    /** Files whose errors kept their tests from running. */
    filesWithErrors: number;
}

export async function runTestFiles(files: string[], options: TestRunOptions): Promise<TestRunOutcome> {
    const started = performance.now();
    // The TaskManager threads boot while the language reads the files.
    const { taskManagers } = defaultClusterSize();
    const starting = TestCluster.start({ taskManagers, slotsPerTaskManager: TEST_SLOTS_PER_TASK_MANAGER });
    starting.catch(() => undefined);
    const { buildTestPlans } = await import('../../../language/src/testing/build-test-plans.js');
    const { formatDiagnostic } = await import('../../../language/src/workspace/flow-workspace.js');
    const plans: PipelineTestPlan[] = [];
    let filesWithErrors = 0;
    for (const file of files) {
        const { plans: filePlans, diagnostics } = await buildTestPlans(file);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) {
            filesWithErrors++;
            options.onFileErrors(errors.map(formatDiagnostic));
            continue;
        }
        plans.push(...filePlans.filter((p) => options.filter === undefined || p.name.includes(options.filter)));
    }
    const cluster = await starting;
    let results: PipelineTestResult[];
    try {
        results = await runAll(plans, cluster, options.updateSnapshots ?? false);
    } finally {
        await cluster.shutdown();
    }
    return {
        report: {
            passed: results.filter((r) => r.status === 'passed').length,
            failed: results.filter((r) => r.status === 'failed').length,
            errored: results.filter((r) => r.status === 'errored').length,
            durationMs: performance.now() - started,
            tests: results
        },
        filesWithErrors
    };
}

/** Runs the plans, a few at a time per slot (a test job is small and mostly waits), keeping their order in the results. */
async function runAll(plans: PipelineTestPlan[], cluster: TestCluster, updateSnapshots: boolean): Promise<PipelineTestResult[]> {
    const results = new Array<PipelineTestResult>(plans.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < plans.length) {
            const index = next++;
            results[index] = await runPipelineTest(plans[index], { cluster, updateSnapshots });
        }
    };
    const concurrency = Math.max(1, Math.min(plans.length, cluster.slots));
    await Promise.all(Array.from({ length: concurrency }, worker));
    return results;
}
