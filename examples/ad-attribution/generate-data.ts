/**
 * The ad-attribution example's input: two hours of ad impressions and the clicks on them, as
 * two logs written by different services. Most clicks come within a minute of the impression;
 * a few come much later (and fall outside the attribution interval).
 */
import { isoSeconds, pickWeighted, randomInt, type Random } from '../../scripts/seeded-random.js';

const CAMPAIGNS: readonly (readonly [string, number, number])[] = [
    // name, share of impressions, click-through rate
    ['spring-sale', 35, 0.045], ['new-arrivals', 25, 0.03], ['free-shipping', 20, 0.06], ['brand-video', 15, 0.012], ['retargeting', 5, 0.09]
];

/** The data files of this example, by path relative to its folder. */
export function generateAdAttributionData(random: Random): Map<string, string> {
    const start = Date.UTC(2026, 2, 2, 12);
    const impressions: string[] = ['id,campaign,placement,user,ts'];
    const clicks: { ts: number; line: string }[] = [];
    for (let i = 1; i <= 3000; i++) {
        const ts = start + Math.floor((i / 3000) * 7_200_000) + randomInt(random, 0, 2000);
        const [campaign, , ctr] = pickWeighted(random, CAMPAIGNS.map((c) => [c, c[1]] as const));
        const placement = pickWeighted(random, [['feed', 5], ['sidebar', 3], ['search', 2]] as const);
        const id = `imp-${String(i).padStart(5, '0')}`;
        impressions.push(`${id},${campaign},${placement},u${randomInt(random, 1, 900)},${isoSeconds(ts)}`);
        if (random() < ctr) {
            // Exponential delay, mean 45 s; one click in twenty comes 12-30 minutes later.
            const delay = random() < 0.05 ? randomInt(random, 720_000, 1_800_000) : Math.floor(-Math.log(1 - random()) * 45_000);
            clicks.push({ ts: ts + delay, line: `${id},${isoSeconds(ts + delay)}` });
        }
    }
    clicks.sort((a, b) => a.ts - b.ts);
    return new Map([
        ['data/impressions.csv', impressions.join('\n') + '\n'],
        ['data/clicks.csv', ['impressionId,ts', ...clicks.map((c) => c.line)].join('\n') + '\n']
    ]);
}
