/**
 * A test's steps as the runtime runs them (runtime/src/cluster/job-test-run.ts): phases of given
 * rows and watermarks, each closed by a barrier the runner waits for, and the place of each
 * expectation. An expectation compares what arrived up to its place:
 * - before any `then` step, after given rows: those rows processed, no watermark yet;
 * - after `then watermark T`: everything the rows and the watermarks up to T caused, including
 *   what operators emitted while processing T (the windows T closed), as in Flink's operator test
 *   harnesses, where `processWatermark(T)` is followed by reading the output;
 * - after the end of input (`then end`, or implied): the finished job's output.
 * A test without `then` steps runs as one phase, the job from start to end, as `flowline run` would.
 */
import type { PipelineTestPlan, TestExpectStep } from '../../protocol/pipeline-tests.js';
import type { TestPhase } from '../../runtime/src/cluster/job-test-run.js';
import { TestPlanError } from './test-graph.js';

export interface TestTimeline {
    /** Undefined: one phase (no script; the job runs as an ordinary one). */
    phases?: TestPhase[];
    /** Whether the test moves event time itself (it has watermark steps). */
    ownsTime: boolean;
    /** Expectations read after phase k's barrier, by k. */
    atBarrier: Map<number, TestExpectStep[]>;
    /** Expectations read once the job ended. */
    atEnd: TestExpectStep[];
}

export function testTimeline(plan: PipelineTestPlan): TestTimeline {
    const phases: TestPhase[] = [{ given: [] }];
    const atBarrier = new Map<number, TestExpectStep[]>();
    const atEnd: TestExpectStep[] = [];
    let ended = false;
    let pending = false;
    let ownsTime = false;
    let lastWatermark = -Infinity;
    const close = (): void => {
        phases.push({ given: [] });
        pending = false;
    };
    for (const step of plan.steps) {
        switch (step.kind) {
            case 'given':
                if (ended) throw new TestPlanError(`given ${step.source} comes after the end of input.`);
                phases[phases.length - 1].given.push({ nodeId: step.nodeId, rows: step.rows });
                pending = true;
                break;
            case 'watermark':
                if (ended) throw new TestPlanError('then watermark comes after the end of input.');
                if (plan.graph.mode !== 'streaming') throw new TestPlanError(`then watermark needs a streaming pipeline; ${plan.pipeline} runs in batch mode (batch has no watermarks: windows fire at the end of input).`);
                if (step.time <= lastWatermark) throw new TestPlanError(`then watermark ${new Date(step.time).toISOString()} does not move time forward (the previous watermark step is at or after it).`);
                lastWatermark = step.time;
                ownsTime = true;
                phases[phases.length - 1].watermark = step.time;
                close();
                break;
            case 'end':
                ended = true;
                break;
            case 'expect': {
                if (step.target && 'failure' in step.target) {
                    atEnd.push(step);
                    break;
                }
                if (ended) {
                    atEnd.push(step);
                    break;
                }
                // A new barrier when rows came since the last one (or none was placed yet).
                if (pending || phases.length === 1) close();
                const barrier = phases.length - 2;
                const list = atBarrier.get(barrier) ?? [];
                list.push(step);
                atBarrier.set(barrier, list);
                break;
            }
        }
    }
    if (phases.length === 1) return { ownsTime, atBarrier, atEnd };
    return { phases, ownsTime, atBarrier, atEnd };
}
