/**
 * The revenue example's input: the customer table's change log (JSON lines: one row per version
 * of a customer, valid from its `updatedAt`) and one day of an order log (CSV) whose rows arrive
 * slightly out of order, with a few very late rows, orders of unknown customers and a handful of
 * malformed rows, as real order logs have.
 */
import { isoSeconds, pick, pickWeighted, randomInt, type Random } from '../../scripts/seeded-random.js';

const FIRST = ['Anna', 'Jonas', 'Marie', 'Lukas', 'Sophie', 'Paul', 'Emma', 'Noah', 'Lea', 'Elias', 'Mia', 'Liam', 'Julia', 'David', 'Sara', 'Oscar', 'Ines', 'Hugo', 'Olivia', 'Mateo'];
const LAST = ['Schmidt', 'Martin', 'de Vries', 'Smith', 'Garcia', 'Rossi', 'Kowalski', 'Johansson', 'Brown', 'Dubois', 'Jansen', 'Fernandez', 'Bianchi', 'Nowak', 'Wilson', 'Lindqvist'];
const COMPANY = ['Nordlicht', 'Atelier', 'Blue Harbor', 'Kestrel', 'Vega', 'Orchard', 'Brightside', 'Fjord', 'Solstice', 'Ironwood'];
const COMPANY_SUFFIX = ['GmbH', 'SARL', 'B.V.', 'Ltd', 'Inc.', 'S.L.', 'S.r.l.', 'sp. z o.o.', 'AB', 'Corp.'];
const COUNTRIES: readonly (readonly [string, number])[] = [
    ['DE', 30], ['FR', 18], ['NL', 10], ['GB', 14], ['US', 16], ['ES', 8], ['IT', 8], ['PL', 5], ['SE', 4], ['CA', 3]
];
const CURRENCY: Record<string, string> = { GB: 'GBP', US: 'USD', CA: 'USD', SE: 'EUR', PL: 'EUR' };

interface Customer { id: string; name: string; country: string; segment: string }
/** One version of a customer: valid from `updatedAt` until the customer's next version. */
interface CustomerVersion extends Customer { updatedAt: string }

function customers(random: Random): Customer[] {
    const list: Customer[] = [];
    for (let i = 1; i <= 240; i++) {
        const country = pickWeighted(random, COUNTRIES);
        const business = random() < 0.3;
        const name = business
            ? `${pick(random, COMPANY)} ${COMPANY_SUFFIX[COUNTRIES.findIndex(([c]) => c === country)]}`
            : `${pick(random, FIRST)} ${pick(random, LAST)}`;
        list.push({ id: `C${String(i).padStart(4, '0')}`, name, country, segment: business ? 'business' : 'consumer' });
    }
    return list;
}

/** The data files of this example, by path relative to its folder. */
export function generateRevenueData(random: Random): Map<string, string> {
    const people = customers(random);
    const dayStart = Date.UTC(2026, 2, 2);
    const rows: { written: number; line: string }[] = [];
    for (let i = 1; i <= 3000; i++) {
        // More orders in the day than at night: sample the hour from a daily curve.
        const hour = pickWeighted(random, Array.from({ length: 24 }, (_, h) => [h, h < 6 ? 1 : h < 9 ? 3 : h < 18 ? 6 : 8] as const));
        const ts = dayStart + hour * 3_600_000 + Math.floor(random() * 3_600_000);
        const unknown = random() < 0.005;
        const customer = unknown ? `C9${randomInt(random, 100, 999)}` : pick(random, people);
        const country = typeof customer === 'string' ? 'DE' : customer.country;
        const business = typeof customer !== 'string' && customer.segment === 'business';
        const amount = (business ? 80 + random() * 1900 : 5 + random() * 240).toFixed(2);
        const status = pickWeighted(random, [['paid', 90], ['refunded', 5], ['cancelled', 5]] as const);
        const id = `O${String(100000 + i)}`;
        // Rows are written when the payment is confirmed: up to 20 s after the order, and a few
        // (payment retries) several minutes later, after the watermark has passed their window.
        const delay = random() < 0.004 ? 600_000 + Math.floor(random() * 1_800_000) : Math.floor(random() * 20_000);
        const customerId = typeof customer === 'string' ? customer : customer.id;
        rows.push({ written: ts + delay, line: `${id},${customerId},${amount},${CURRENCY[country] ?? 'EUR'},${status},${isoSeconds(ts)}` });
    }
    rows.sort((a, b) => a.written - b.written);
    const lines = rows.map((r) => r.line);
    // Malformed rows, as exports produce them: a decimal comma, a missing column, a bad date.
    lines.splice(411, 0, 'O104001,C0042,"12,99",EUR,paid,2026-03-02T07:12:45Z');
    lines.splice(1207, 0, 'O104002,C0007,54.10,EUR,paid');
    lines.splice(2050, 0, 'O104003,C0133,19.99,EUR,paid,yesterday');
    lines.splice(2702, 0, 'O104004,C0090,n/a,USD,paid,2026-03-02T20:03:11Z');
    const orders = ['id,customer,amount,currency,status,ts', ...lines].join('\n') + '\n';
    const table = changeLog(random, people, dayStart).map((c) => JSON.stringify(c)).join('\n') + '\n';
    return new Map([['data/customers.jsonl', table], ['data/orders.csv', orders]]);
}

/**
 * The customer table as its change log, in time order: every customer's first version from some
 * day of the two months before, and for about one customer in twelve a second version during the
 * order day (a consumer account turned business, or a move to another country), so orders of one
 * customer belong to different segments or countries before and after that time. Drawn after the
 * orders, so the order log is the same as without versions.
 */
function changeLog(random: Random, people: Customer[], dayStart: number): CustomerVersion[] {
    const versions: { at: number; version: CustomerVersion }[] = [];
    for (const customer of people) {
        const since = dayStart - randomInt(random, 1, 60) * 86_400_000 + randomInt(random, 0, 86_399) * 1000;
        versions.push({ at: since, version: { ...customer, updatedAt: isoSeconds(since) } });
        if (random() < 1 / 12) {
            const at = dayStart + randomInt(random, 3, 21) * 3_600_000 + randomInt(random, 0, 3599) * 1000;
            const moved = customer.segment === 'business' || random() < 0.5;
            const changed = moved
                ? { ...customer, country: pickWeighted(random, COUNTRIES.filter(([c]) => c !== customer.country)) }
                : { ...customer, segment: 'business' };
            versions.push({ at, version: { ...changed, updatedAt: isoSeconds(at) } });
        }
    }
    return versions.sort((a, b) => a.at - b.at).map((v) => v.version);
}
