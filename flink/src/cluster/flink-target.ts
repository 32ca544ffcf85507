/**
 * Which Flink cluster `flowline submit` talks to: the URLs given (--flink, --sql-gateway), else
 * the configured ones ($FLOWLINE_FLINK_REST_URL, $FLOWLINE_FLINK_SQL_GATEWAY_URL), else the local
 * cluster `flowline flink start` recorded in its state folder.
 */
import { FlinkRestClient } from '../rest/flink-rest-client.js';
import { SqlGatewayClient } from '../rest/sql-gateway-client.js';
import { readFlinkState } from './cluster-state.js';

export interface ResolvedFlinkTarget {
    restUrl: string;
    sqlGatewayUrl: string;
    webUiUrl: string;
    /** Where the URLs came from, for messages. */
    origin: string;
}

/** No cluster to submit to, or it does not answer; the message says which URL and what to do. */
export class FlinkTargetError extends Error {}

export function resolveFlinkTarget(given: { flink?: string; sqlGateway?: string }, stateDir: string, env: NodeJS.ProcessEnv = process.env): ResolvedFlinkTarget {
    const restUrl = given.flink ?? env.FLOWLINE_FLINK_REST_URL;
    const sqlGatewayUrl = given.sqlGateway ?? env.FLOWLINE_FLINK_SQL_GATEWAY_URL;
    if (restUrl || sqlGatewayUrl) {
        if (!restUrl || !sqlGatewayUrl) {
            throw new FlinkTargetError(`Submitting needs both Flink's REST URL and its SQL Gateway URL, but only ${restUrl ? 'the REST URL' : 'the SQL Gateway URL'} is given: add ${restUrl ? '--sql-gateway URL (or $FLOWLINE_FLINK_SQL_GATEWAY_URL)' : '--flink URL (or $FLOWLINE_FLINK_REST_URL)'}.`);
        }
        const origin = given.flink || given.sqlGateway ? '--flink/--sql-gateway' : '$FLOWLINE_FLINK_REST_URL/$FLOWLINE_FLINK_SQL_GATEWAY_URL';
        return { restUrl: trim(restUrl), sqlGatewayUrl: trim(sqlGatewayUrl), webUiUrl: `${trim(restUrl)}/`, origin };
    }
    const state = readFlinkState(stateDir);
    if (!state) {
        throw new FlinkTargetError('No Flink cluster to submit to: start a local one with `flowline flink start`, or give --flink URL and --sql-gateway URL (or set $FLOWLINE_FLINK_REST_URL and $FLOWLINE_FLINK_SQL_GATEWAY_URL).');
    }
    return { restUrl: state.restUrl, sqlGatewayUrl: state.sqlGatewayUrl, webUiUrl: state.webUiUrl, origin: `the local Flink of \`flowline flink start\` (${stateDir})` };
}

/**
 * Flink's REST URL alone (listing and cancelling jobs need no SQL Gateway): `--flink`, else
 * $FLOWLINE_FLINK_REST_URL, else the local Flink recorded in `stateDir`.
 */
export function resolveFlinkRestUrl(given: string | undefined, stateDir: string, env: NodeJS.ProcessEnv = process.env): { restUrl: string; origin: string } {
    if (given) return { restUrl: trim(given), origin: '--flink' };
    if (env.FLOWLINE_FLINK_REST_URL) return { restUrl: trim(env.FLOWLINE_FLINK_REST_URL), origin: '$FLOWLINE_FLINK_REST_URL' };
    const state = readFlinkState(stateDir);
    if (!state) throw new FlinkTargetError('No Flink cluster to ask: start a local one with `flowline flink start`, or give --flink URL (or set $FLOWLINE_FLINK_REST_URL).');
    return { restUrl: state.restUrl, origin: `the local Flink of \`flowline flink start\` (${stateDir})` };
}

/** Fails with a clear message when the REST API or the SQL Gateway does not answer. */
export async function requireReachable(target: ResolvedFlinkTarget): Promise<void> {
    const [rest, gateway] = await Promise.all([
        new FlinkRestClient(target.restUrl, 5_000).overview().then(() => undefined, (err: unknown) => String((err as Error).message ?? err)),
        new SqlGatewayClient(target.sqlGatewayUrl).info().then(() => undefined, (err: unknown) => String((err as Error).message ?? err))
    ]);
    const problems = [rest && `Flink's REST API at ${target.restUrl} does not answer (${rest})`, gateway && `the SQL Gateway at ${target.sqlGatewayUrl} does not answer (${gateway})`].filter(Boolean);
    if (problems.length > 0) {
        throw new FlinkTargetError(`Cannot submit to ${target.origin}: ${problems.join('; ')}. Is the cluster running (\`flowline flink status\`)?`);
    }
}

function trim(url: string): string {
    return url.replace(/\/+$/, '');
}
