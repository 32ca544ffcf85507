/**
 * The top-n example's input: one hour of page views of a shop (CSV), slightly out of order.
 * Page popularity is Zipf-like and drifts during the hour (a product "trends" for a while), so
 * each window has its own top pages.
 */
import { isoSeconds, pick, randomInt, type Random } from '../../scripts/seeded-random.js';

const PRODUCTS = [
    'trail-runner-2', 'rain-jacket', 'merino-socks', 'city-backpack', 'down-vest', 'hiking-boots', 'wool-beanie',
    'thermal-bottle', 'headlamp-400', 'trekking-poles', 'sleeping-bag', 'tent-2p', 'camp-stove', 'fleece-hoodie',
    'gloves-touch', 'sun-hat', 'water-filter', 'dry-bag-20l', 'camp-chair', 'insulated-mug', 'gaiters', 'map-case',
    'compass-pro', 'rope-30m', 'climbing-chalk', 'yoga-mat', 'bike-light', 'helmet-mips', 'cycling-jersey', 'repair-kit'
];
const OTHER = ['/', '/search', '/cart', '/checkout', '/account', '/sale', '/help'];

/** The data files of this example, by path relative to its folder. */
export function generateTopNData(random: Random): Map<string, string> {
    const start = Date.UTC(2026, 2, 2, 18, 0, 0);
    const hour = 3_600_000;
    const rows: { arrival: number; line: string }[] = [];
    for (let i = 0; i < 5000; i++) {
        const ts = start + Math.floor(random() * hour);
        const progress = (ts - start) / hour;
        let page: string;
        if (random() < 0.3) {
            page = pick(random, OTHER);
        } else {
            // Rotate the popularity ranking as the hour goes on, and let one product trend.
            const shift = Math.floor(progress * 6) * 3;
            const rank = Math.min(PRODUCTS.length - 1, Math.floor(Math.pow(random(), 2.2) * PRODUCTS.length));
            const trending = progress > 0.4 && progress < 0.6 && random() < 0.25;
            page = `/products/${trending ? 'solar-charger' : PRODUCTS[(rank + shift) % PRODUCTS.length]}`;
        }
        const loadMs = Math.round(120 + Math.pow(random(), 3) * 2400);
        const line = `${isoSeconds(ts)},u${randomInt(random, 1, 800)},${page},${loadMs}`;
        rows.push({ arrival: ts + Math.floor(random() * 5000), line });
    }
    rows.sort((a, b) => a.arrival - b.arrival);
    return new Map([['data/pageviews.csv', ['ts,user,page,loadMs', ...rows.map((r) => r.line)].join('\n') + '\n']]);
}
