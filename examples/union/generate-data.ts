/**
 * The union example's input: six hours of temperature readings from two regions' data
 * centres, every 2 minutes per rack sensor. The EU gateway exports CSV in degrees Celsius; the US
 * gateway exports JSON lines in degrees Fahrenheit, with `null` when a sensor did not answer.
 * Both contain the occasional sensor glitch (-999, or an impossible spike).
 */
import { isoSeconds, type Random } from '../../scripts/seeded-random.js';

interface Site { name: string; baseC: number }

const EU_SITES: Site[] = [{ name: 'berlin-dc', baseC: 22.5 }, { name: 'amsterdam-dc', baseC: 23.5 }, { name: 'dublin-dc', baseC: 21.0 }];
const US_SITES: Site[] = [{ name: 'virginia-dc', baseC: 24.0 }, { name: 'oregon-dc', baseC: 20.5 }];

function readings(random: Random, sites: Site[], format: (sensor: string, site: string, celsius: number | null, ts: number) => string): string[] {
    const start = Date.UTC(2026, 2, 2, 6);
    const lines: string[] = [];
    for (let step = 0; step < 180; step++) {
        const ts = start + step * 120_000;
        // Afternoon warm-up: +3 °C at the peak of the six hours.
        const daily = 3 * Math.sin((step / 180) * Math.PI);
        for (const site of sites) {
            for (let rack = 1; rack <= 4; rack++) {
                const sensor = `${site.name}/rack-0${rack}`;
                const glitch = random();
                let celsius: number | null = site.baseC + rack * 0.6 + daily + (random() - 0.5) * 1.5;
                if (glitch < 0.004) celsius = -999;
                else if (glitch < 0.006) celsius = 85 + random() * 40;
                else if (glitch < 0.012) celsius = null;
                lines.push(format(sensor, site.name, celsius, ts + Math.floor(random() * 3000)));
            }
        }
    }
    return lines;
}

/** The data files of this example, by path relative to its folder. */
export function generateUnionData(random: Random): Map<string, string> {
    // The EU export writes every reading, using -999 for a missing value as that firmware does.
    const eu = readings(random, EU_SITES, (sensor, site, c, ts) => `${sensor},${site},${(c ?? -999).toFixed(2)},${isoSeconds(ts)}`);
    const us = readings(random, US_SITES, (sensor, site, c, ts) =>
        JSON.stringify({ sensor, site, fahrenheit: c === null ? null : Number((c * 9 / 5 + 32).toFixed(1)), ts: isoSeconds(ts) }));
    return new Map([
        ['data/sensors-eu.csv', ['sensor,site,celsius,ts', ...eu].join('\n') + '\n'],
        ['data/sensors-us.jsonl', us.join('\n') + '\n']
    ]);
}
