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
    const root = detail.includes('Caused by: ') ? deepestCause(detail) : detail.split('\n').find((l) => l.trim().length > 0)?.trim() ?? detail;
    const first = errors.find((e) => !e.includes('\n'));
    return first && !/^Internal server error\.?$/.test(first) && !root.includes(first) ? `${first}: ${root}` : root;
}

/** The last "Caused by:" of a Java stack trace (or its first line), message lines included. */
export function deepestCause(trace: string): string {
    const lines = trace.split('\n');
    let start = -1;
    lines.forEach((line, i) => { if (line.startsWith('Caused by: ')) start = i; });
    const first = start >= 0 ? lines[start].slice('Caused by: '.length) : lines[0];
    const rest: string[] = [];
    for (const line of lines.slice((start >= 0 ? start : 0) + 1)) {
        if (/^\s+at |^\s+\.\.\. \d+ more|^Caused by: /.test(line)) break;
        if (line.trim().length > 0) rest.push(line.trim());
    }
    return [first.trim(), ...rest].join('\n');
}
