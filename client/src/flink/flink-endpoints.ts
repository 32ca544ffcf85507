/**
 * Which Flink the editor talks to: the `flowline.flink.*` settings when set; otherwise the local
 * Flink session cluster that `flowline flink start` runs (its state file); otherwise Flink's
 * default ports on this machine. Its Web UI is served by the REST endpoint.
 */
import type { Config } from '../config.js';

/** The Flink endpoints in use, and where they came from (messages name it). */
export interface FlinkEndpoints {
    restUrl: string;
    sqlGatewayUrl: string;
    webUiUrl: string;
    from: 'settings' | 'local Flink' | 'defaults';
}

/** Flink's own default ports on this machine. */
export const DEFAULT_FLINK_REST_URL = 'http://127.0.0.1:8081';
export const DEFAULT_FLINK_SQL_GATEWAY_URL = 'http://127.0.0.1:8083';

/** What the local Flink's state file says, when it runs (flink/src/cluster/local-flink.ts). */
export type LocalFlinkState = { restUrl: string; sqlGatewayUrl: string; webUiUrl?: string } | undefined;

/** Resolves the endpoints from the settings and the local Flink's state. */
export function resolveFlinkEndpoints(config: Pick<Config, 'flinkRestUrl' | 'flinkSqlGatewayUrl'>, local: LocalFlinkState): FlinkEndpoints {
    const restSetting = trimSlash(config.flinkRestUrl);
    const gatewaySetting = trimSlash(config.flinkSqlGatewayUrl);
    if (restSetting && gatewaySetting) return { restUrl: restSetting, sqlGatewayUrl: gatewaySetting, webUiUrl: restSetting, from: 'settings' };
    const base = local
        ? { restUrl: trimSlash(local.restUrl), sqlGatewayUrl: trimSlash(local.sqlGatewayUrl), webUiUrl: trimSlash(local.webUiUrl ?? local.restUrl), from: 'local Flink' as const }
        : { restUrl: DEFAULT_FLINK_REST_URL, sqlGatewayUrl: DEFAULT_FLINK_SQL_GATEWAY_URL, webUiUrl: DEFAULT_FLINK_REST_URL, from: 'defaults' as const };
    if (!restSetting && !gatewaySetting) return base;
    // One setting given: it wins, the other comes from the local Flink or the defaults.
    return {
        restUrl: restSetting || base.restUrl,
        sqlGatewayUrl: gatewaySetting || base.sqlGatewayUrl,
        webUiUrl: restSetting || base.webUiUrl,
        from: 'settings'
    };
}

function trimSlash(url: string): string {
    return url.trim().replace(/\/+$/, '');
}
