/**
 * The user-functions example's input: a web server's access log as JSON lines (two hours), with
 * real-world User-Agent strings from browsers, phones, crawlers and scripts.
 */
import { isoSeconds, pick, pickWeighted, randomInt, type Random } from '../../scripts/seeded-random.js';

const AGENTS: readonly (readonly [string, number])[] = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 30],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 12],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 18],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36', 14],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', 8],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 3],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51', 6],
    ['Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 3],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 5],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 2],
    ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 2],
    ['curl/8.5.0', 1],
    ['python-requests/2.31.0', 2],
    ['', 1]
];
const PATHS = ['/', '/products', '/products/trail-runner-2', '/products/rain-jacket', '/products/tent-2p', '/search?q=boots',
    '/cart', '/checkout', '/api/stock', '/static/app.js', '/static/style.css', '/robots.txt', '/sitemap.xml', '/wp-login.php'];

/** The data files of this example, by path relative to its folder. */
export function generateUserFunctionsData(random: Random): Map<string, string> {
    const start = Date.UTC(2026, 2, 2, 14);
    const lines: string[] = [];
    let ts = start;
    for (let i = 0; i < 1500; i++) {
        ts += randomInt(random, 0, 9600);
        const userAgent = pickWeighted(random, AGENTS);
        const path = pick(random, PATHS);
        const status = path === '/wp-login.php' ? 404 : pickWeighted(random, [[200, 90], [304, 5], [404, 3], [500, 2]] as const);
        const bytes = status === 304 ? 0 : path.startsWith('/static') ? randomInt(random, 20_000, 180_000) : randomInt(random, 800, 45_000);
        const ip = `${randomInt(random, 2, 223)}.${randomInt(random, 0, 255)}.${randomInt(random, 0, 255)}.${randomInt(random, 1, 254)}`;
        const method = path === '/checkout' && random() < 0.5 ? 'POST' : 'GET';
        lines.push(JSON.stringify({ ts: isoSeconds(ts), ip, method, path, status, bytes, userAgent }));
    }
    return new Map([['data/access.jsonl', lines.join('\n') + '\n']]);
}
