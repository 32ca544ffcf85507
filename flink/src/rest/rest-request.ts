/**
 * One JSON request to a Flink REST endpoint (the JobManager's or the SQL Gateway's). Failures
 * become a FlinkRestError carrying Flink's own message: Flink answers errors with
 * `{"errors": ["message", "stack trace ..."]}`.
 */

export class FlinkRestError extends Error {
    constructor(message: string, readonly url: string, readonly status?: number, readonly flinkErrors: string[] = []) {
        super(message);
    }

    /** True when nothing answered at the URL (refused, unknown host, timeout). */
    get unreachable(): boolean {
        return this.status === undefined;
    }
}

export interface RestRequestOptions {
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    body?: unknown;
    timeoutMs?: number;
}

export async function restRequest<T = unknown>(url: string, options: RestRequestOptions): Promise<T> {
    let response: Response;
    try {
        response = await fetch(url, {
            method: options.method,
            headers: options.body === undefined ? undefined : { 'content-type': 'application/json' },
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
            signal: AbortSignal.timeout(options.timeoutMs ?? 10_000)
        });
    } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
        throw new FlinkRestError(`${options.method} ${url}: no answer (${why})`, url);
    }
    const text = await response.text();
    let json: unknown = undefined;
    if (text.length > 0) {
        try {
            json = JSON.parse(text);
        } catch {
            if (response.ok) throw new FlinkRestError(`${options.method} ${url}: the answer is not JSON: ${text.slice(0, 200)}`, url, response.status);
        }
    }
    if (!response.ok) {
        const errors = Array.isArray((json as { errors?: unknown })?.errors) ? (json as { errors: unknown[] }).errors.map(String) : [];
        const message = errors.length > 0 ? flinkMessage(errors) : `${text.slice(0, 500) || response.statusText}`;
        throw new FlinkRestError(`${options.method} ${url}: HTTP ${response.status}: ${message}`, url, response.status, errors);
    }
    return json as T;
}

/**
 * The useful line of Flink's errors: it sends a generic first entry ("Internal server error.")
 * and the stack trace as the second, whose deepest "Caused by:" names the actual problem.
 */
export function flinkMessage(errors: string[]): string {
    const detail = errors.find((e) => e.includes('\n')) ?? errors.join('; ');
    const causes = [...detail.matchAll(/Caused by: ([^\n]+)/g)].map((m) => m[1].trim());
    const root = causes.at(-1) ?? detail.split('\n').find((l) => l.trim().length > 0)?.trim() ?? detail;
    const first = errors.find((e) => !e.includes('\n'));
    return first && !/^Internal server error\.?$/.test(first) && !root.includes(first) ? `${first}: ${root}` : root;
}
