/**
 * The Flink endpoints now: the settings, else the local Flink that `flowline flink start` runs
 * (read from its state file, flink/src/cluster/cluster-state.ts), else Flink's default ports.
 */
import { defaultFlinkStateDir, readFlinkState } from '../../../flink/src/cluster/cluster-state.js';
import type { Config } from '../config.js';
import { resolveFlinkEndpoints, type FlinkEndpoints } from './flink-endpoints.js';

/** Resolves the endpoints against the current settings and the local Flink's state file. */
export function currentFlinkEndpoints(config: Pick<Config, 'flinkRestUrl' | 'flinkSqlGatewayUrl'>): FlinkEndpoints {
    return resolveFlinkEndpoints(config, readFlinkState(defaultFlinkStateDir()));
}
