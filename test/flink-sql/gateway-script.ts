/**
 * Runs a translated script through a real Flink SQL Gateway for the tests: `explainScript` has
 * the planner check every statement without starting a job (EXPLAIN of the final INSERT or
 * statement set). Submitting goes through flowline's own submitFlinkSql (flink/src/submit-pipeline.ts).
 */
import { SqlGatewayClient } from '../../flink/src/rest/sql-gateway-client.js';

/** The final statement (INSERT or EXECUTE STATEMENT SET) as an EXPLAIN. */
function explainOf(statement: string): string {
    return statement.startsWith('EXECUTE STATEMENT SET') ? `EXPLAIN ${statement.slice('EXECUTE '.length)}` : `EXPLAIN ${statement}`;
}

/** Sends every statement but the last as is and the last as EXPLAIN; returns the plan Flink printed. */
export async function explainScript(sqlGatewayUrl: string, statements: string[]): Promise<string> {
    const session = await new SqlGatewayClient(sqlGatewayUrl).openSession();
    try {
        for (const statement of statements.slice(0, -1)) await session.execute(statement);
        const result = await session.execute(explainOf(statements[statements.length - 1]));
        return result.rows.map((r) => String(r.fields[0])).join('\n');
    } finally {
        await session.close().catch(() => undefined);
    }
}
