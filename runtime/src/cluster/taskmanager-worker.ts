/**
 * Entry point of a TaskManager worker thread (bundled to dist/taskmanager-worker.mjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JobManagerToTaskManager, TaskManagerInit } from './taskmanager-protocol.js';
import { TaskExecutor } from './taskmanager/task-executor.js';

if (!parentPort) throw new Error('taskmanager-worker must run as a worker thread.');
const port = parentPort;
const executor = new TaskExecutor(workerData as TaskManagerInit, (message, transfer) => port.postMessage(message, transfer ?? []));
port.on('message', (message: JobManagerToTaskManager) => {
    executor.handle(message);
    if (message.type === 'shutdown') port.close();
});
