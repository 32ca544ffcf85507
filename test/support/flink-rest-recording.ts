/**
 * Answers captured from a real Flink's REST API (test/fixtures/flink-rest/<name>/rest-answers.json,
 * written by test/fixtures/flink-rest/capture.ts), replayed as the editor's Flink REST reader.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FlinkRestReader } from '../../client/src/flink/flink-cluster-snapshot.js';

/** A recording: the REST URL it came from and each answer by path. */
export interface FlinkRestRecording { restUrl: string; capturedAt: string; answers: Record<string, unknown> }

/** Loads one recording by its folder name. */
export function loadFlinkRecording(name: string): FlinkRestRecording {
    const file = join(resolve(import.meta.dirname, '..', 'fixtures', 'flink-rest'), name, 'rest-answers.json');
    return JSON.parse(readFileSync(file, 'utf8')) as FlinkRestRecording;
}

/** A reader that answers each GET with the recorded answer of its path, and fails for any other. */
export function recordedReader(answers: Record<string, unknown>): FlinkRestReader {
    const get = <T>(path: string): Promise<T> => path in answers
        ? Promise.resolve(structuredClone(answers[path]) as T)
        : Promise.reject(new Error(`No recorded answer for GET ${path}`));
    return {
        overview: () => get('/overview'),
        taskManagers: async () => (await get<{ taskmanagers: [] }>('/taskmanagers')).taskmanagers,
        taskManager: (id) => get(`/taskmanagers/${id}`),
        jobsOverview: async () => (await get<{ jobs: [] }>('/jobs/overview')).jobs,
        job: (jid) => get(`/jobs/${jid}`),
        vertex: (jid, vid) => get(`/jobs/${jid}/vertices/${vid}`),
        backpressure: (jid, vid) => get(`/jobs/${jid}/vertices/${vid}/backpressure`),
        watermarks: (jid, vid) => get(`/jobs/${jid}/vertices/${vid}/watermarks`),
        subtaskMetrics: (jid, vid, names) => get(`/jobs/${jid}/vertices/${vid}/subtasks/metrics?get=${names.join(',')}`)
    };
}
