/**
 * A client of Flink's SQL Gateway REST API, version v3 (default port 8083): open a session with
 * properties, run statements one at a time, page through each result until EOS (a DML statement's
 * result carries the id of the job it started), close the session. Errors are FlinkRestErrors
 * carrying Flink's message (e.g. the SQL validation error).
 */
import { deepestCause, FlinkRestError, restRequest } from './rest-request.js';

export interface SqlGatewayColumn {
    name: string;
    logicalType: { type: string; nullable: boolean; [key: string]: unknown };
    comment: string | null;
}

/** One row of a result with rowFormat=JSON: kind is the changelog kind (INSERT, UPDATE_BEFORE, ...). */
export interface SqlGatewayRow {
    kind: 'INSERT' | 'UPDATE_BEFORE' | 'UPDATE_AFTER' | 'DELETE';
    fields: unknown[];
}

/** One page of GET .../operations/:o/result/:token. */
export interface SqlGatewayResultPage {
    resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
    isQueryResult?: boolean;
    jobID?: string;
    resultKind?: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
    results?: { columns?: SqlGatewayColumn[]; rowFormat?: string; data: SqlGatewayRow[] };
    nextResultUri?: string;
}

/** The whole result of one statement. */
export interface StatementResult {
    statement: string;
    columns: SqlGatewayColumn[];
    rows: SqlGatewayRow[];
    /** The Flink job the statement started (INSERT, EXECUTE STATEMENT SET, a SELECT's job). */
    jobId?: string;
}

/** A statement the gateway refused or that failed; `statement` is the SQL that was sent. */
export class SqlStatementError extends Error {
    constructor(message: string, readonly statement: string, readonly restError: FlinkRestError) {
        super(message);
    }
}

export class SqlGatewayClient {
    readonly baseUrl: string;

    constructor(baseUrl: string, private readonly timeoutMs = 60_000) {
        this.baseUrl = baseUrl.replace(/\/+$/, '');
    }

    /** GET /v3/info: { productName, version }; answers as soon as the gateway is up. */
    info(): Promise<{ productName: string; version: string }> {
        return restRequest(`${this.baseUrl}/v3/info`, { method: 'GET', timeoutMs: 5_000 });
    }

    /** Opens a session; properties are Flink configuration for its statements (e.g. execution.runtime-mode). */
    async openSession(properties: Record<string, string> = {}, sessionName?: string): Promise<SqlGatewaySession> {
        const body: Record<string, unknown> = { properties };
        if (sessionName) body.sessionName = sessionName;
        const { sessionHandle } = await restRequest<{ sessionHandle: string }>(`${this.baseUrl}/v3/sessions`, { method: 'POST', body, timeoutMs: this.timeoutMs });
        return new SqlGatewaySession(this.baseUrl, sessionHandle, this.timeoutMs);
    }
}

/** One session: statements run in order and share its catalog (temporary tables, views, SETs). */
export class SqlGatewaySession {
    constructor(readonly baseUrl: string, readonly handle: string, private readonly timeoutMs: number) {}

    private get sessionUrl(): string {
        return `${this.baseUrl}/v3/sessions/${this.handle}`;
    }

    /** Sends a statement; returns its operation handle (the statement runs asynchronously). */
    async submitStatement(statement: string, executionConfig?: Record<string, string>): Promise<string> {
        const body: Record<string, unknown> = { statement };
        if (executionConfig) body.executionConfig = executionConfig;
        try {
            const { operationHandle } = await restRequest<{ operationHandle: string }>(`${this.sessionUrl}/statements`, { method: 'POST', body, timeoutMs: this.timeoutMs });
            return operationHandle;
        } catch (err) {
            throw statementError(err, statement);
        }
    }

    /** Pages through an operation's result until EOS, waiting while it is NOT_READY. */
    async fetchAll(operationHandle: string, statement = ''): Promise<StatementResult> {
        const result: StatementResult = { statement, columns: [], rows: [] };
        let uri: string | undefined = `/v3/sessions/${this.handle}/operations/${operationHandle}/result/0?rowFormat=JSON`;
        let wait = 20;
        while (uri) {
            let page: SqlGatewayResultPage;
            try {
                page = await restRequest<SqlGatewayResultPage>(`${this.baseUrl}${uri}`, { method: 'GET', timeoutMs: this.timeoutMs });
            } catch (err) {
                throw statementError(err, statement);
            }
            if (page.jobID) result.jobId = page.jobID;
            if (page.results?.columns && page.results.columns.length > 0) result.columns = page.results.columns;
            if (page.results?.data) result.rows.push(...page.results.data);
            if (page.resultType === 'EOS') break;
            if (page.resultType === 'NOT_READY' || (page.results?.data.length ?? 0) === 0) {
                await new Promise((resolve) => setTimeout(resolve, wait));
                wait = Math.min(wait * 2, 500);
            } else {
                wait = 20;
            }
            uri = page.nextResultUri ?? uri;
        }
        return result;
    }

    /** Runs one statement to its end of result (for a DML: until its job was submitted). */
    async execute(statement: string, executionConfig?: Record<string, string>): Promise<StatementResult> {
        const operation = await this.submitStatement(statement, executionConfig);
        return this.fetchAll(operation, statement);
    }

    /** Cancels a running operation (a SELECT still producing rows). */
    async cancelOperation(operationHandle: string): Promise<void> {
        await restRequest(`${this.sessionUrl}/operations/${operationHandle}/cancel`, { method: 'POST', timeoutMs: this.timeoutMs });
    }

    /** Closes the session and releases its resources in the gateway (jobs it started keep running). */
    async close(): Promise<void> {
        await restRequest(this.sessionUrl, { method: 'DELETE', timeoutMs: this.timeoutMs });
    }
}

function statementError(err: unknown, statement: string): unknown {
    if (!(err instanceof FlinkRestError) || err.unreachable) return err;
    const flink = err.flinkErrors.length > 0 ? flinkStatementMessage(err.flinkErrors) : err.message;
    return new SqlStatementError(flink, statement, err);
}

/**
 * Flink's reason for a failed statement: the deepest "Caused by:" of its stack trace, with the
 * lines of its message that follow (e.g. the list of unsupported options), without the frames.
 */
export function flinkStatementMessage(errors: string[]): string {
    const trace = errors.find((e) => e.includes('Caused by:')) ?? errors.join('\n');
    return deepestCause(trace);
}
