/**
 * dist/debug-adapter.mjs: the Flowline debug adapter over stdin/stdout, as editors start it
 * (`node dist/debug-adapter.mjs`); `flowline debug-adapter` runs the same.
 */
import { runDebugAdapterOverStdio } from './run-over-stdio.js';

runDebugAdapterOverStdio();
