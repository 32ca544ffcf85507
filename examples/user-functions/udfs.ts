/**
 * User functions for user-agents.flow: what the expression language cannot say in one line.
 * Plain, dependency-free TypeScript. Each function gets one record (a plain object whose
 * fields follow the stream's schema; timestamps are epoch milliseconds) and returns a record
 * for `map fn(...)` or a boolean for `filter fn(...)`.
 */

/** A request of the access log, as the `Request` schema describes it. */
export interface Request {
    ts: number;
    ip: string;
    method: string;
    path: string;
    status: number;
    bytes: number;
    userAgent: string;
}

/** The `EnrichedRequest` schema: the request with its client classified and its IP address masked. */
export interface EnrichedRequest {
    ts: number;
    network: string;
    method: string;
    path: string;
    status: number;
    bytes: number;
    browser: string;
    os: string;
    device: string;
}

// Order matters: Edge and Chrome both say "Chrome", Chrome and Safari both say "Safari".
const BROWSERS: [RegExp, string][] = [
    [/Edg\//, 'Edge'],
    [/Firefox\//, 'Firefox'],
    [/Chrome\//, 'Chrome'],
    [/Version\/[\d.]+.*Safari\//, 'Safari']
];
const CRAWLERS: [RegExp, string][] = [
    [/Googlebot/i, 'Googlebot'],
    [/bingbot/i, 'Bingbot'],
    [/AhrefsBot/i, 'AhrefsBot'],
    [/^curl\//, 'curl'],
    [/python-requests/i, 'python-requests']
];

function operatingSystem(ua: string): string {
    if (/iPhone|iPad/.test(ua)) return 'iOS';
    if (/Android/.test(ua)) return 'Android';
    if (/Windows NT/.test(ua)) return 'Windows';
    if (/Mac OS X/.test(ua)) return 'macOS';
    if (/Linux/.test(ua)) return 'Linux';
    return 'other';
}

function deviceType(ua: string): string {
    if (/iPad|Tablet/.test(ua)) return 'tablet';
    if (/Mobile|iPhone|Android/.test(ua)) return 'mobile';
    return 'desktop';
}

/** Keeps only the /24 network of an IPv4 address, so no full client address leaves the pipeline. */
function maskIp(ip: string): string {
    const parts = ip.split('.');
    return parts.length === 4 ? `${parts[0]}.${parts[1]}.${parts[2]}.0/24` : 'unknown';
}

/** Classifies the client from its User-Agent header (crawlers and scripts as device "bot"). */
export function enrich(request: Request): EnrichedRequest {
    const ua = request.userAgent ?? '';
    const crawler = CRAWLERS.find(([pattern]) => pattern.test(ua));
    const base = {
        ts: request.ts,
        network: maskIp(request.ip),
        method: request.method,
        path: request.path,
        status: request.status,
        bytes: request.bytes
    };
    if (crawler !== undefined || ua === '') {
        return { ...base, browser: crawler?.[1] ?? 'unknown', os: 'other', device: 'bot' };
    }
    const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? 'other';
    return { ...base, browser, os: operatingSystem(ua), device: deviceType(ua) };
}

/** True for a page a person looks at: not an asset, an API call, or a file for crawlers. */
export function isPageView(request: EnrichedRequest): boolean {
    const path = request.path.split('?')[0];
    if (path.startsWith('/static/') || path.startsWith('/api/')) return false;
    if (/\.(js|css|png|jpg|svg|ico|xml|txt|php)$/.test(path)) return false;
    return request.method === 'GET' && request.status < 400;
}
