/**
 * The csv-cleanup example's input: a CRM export of sign-ups (semicolon-separated, as European
 * spreadsheets write it) with the usual mess: stray spaces, mixed case, empty optional cells,
 * duplicate rows, invalid e-mail addresses, and malformed rows (wrong types, missing or extra
 * columns, a broken quote).
 */
import { isoSeconds, pick, pickWeighted, randomInt, type Random } from '../../scripts/seeded-random.js';

const FIRST = ['Anna', 'Jonas', 'Marie', 'Lukas', 'Sophie', 'Paul', 'Emma', 'Noah', 'Lea', 'Elias', 'Mia', 'Finn', 'Julia', 'David', 'Sara', 'Oscar', 'Ines', 'Hugo', 'Chloé', 'Zoë'];
const LAST = ['Schmidt', 'Müller', 'Martin', 'Bernard', 'de Vries', 'Smith', 'García', 'Rossi', 'Kowalski', 'Johansson', 'Brown', 'Dubois', 'Jansen', "O'Neill"];
const DOMAINS = ['gmail.com', 'web.de', 'outlook.com', 'gmx.net', 'orange.fr', 'yahoo.co.uk', 'proton.me', 'icloud.com'];
const COUNTRIES = ['de', 'DE', ' de', 'fr', 'FR', 'nl', 'gb', 'UK', 'es', 'it', ''];
const PLANS: readonly (readonly [string, number])[] = [['free', 50], ['Free', 8], ['pro', 20], ['PRO', 3], ['Professional', 3], ['team', 10], ['Team ', 3], ['enterprise', 3]];
const REFERRERS = ['', '', 'google', 'newsletter', 'friend', 'podcast', 'linkedin'];

function signupRow(random: Random, id: number, signedUp: number): string {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const ascii = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '');
    const local = ascii.toLowerCase();
    const mixedCase = random() < 0.2 ? ascii : local;
    const invalid = random() < 0.03;
    const email = invalid ? pick(random, [`${local}@`, `${local}.${pick(random, DOMAINS)}`, `${local} at ${pick(random, DOMAINS)}`]) : `${mixedCase}@${pick(random, DOMAINS)}`;
    const padded = random() < 0.1 ? `  ${email} ` : email;
    const name = random() < 0.1 ? ` ${first} ${last}` : `${first} ${last}`;
    const spend = random() < 0.25 ? '' : (random() * 120).toFixed(2);
    // Some names carry a company in the same cell, with the delimiter inside quotes (valid CSV).
    const cell = random() < 0.03 ? `"${name.trim()}; ${pick(random, ['Acme', 'Globex', 'Initech'])}"` : name;
    const fields = [String(id), padded, cell, pick(random, COUNTRIES), pickWeighted(random, PLANS), isoSeconds(signedUp), spend, pick(random, REFERRERS)];
    return fields.join(';');
}

/** The data files of this example, by path relative to its folder. */
export function generateCsvCleanupData(random: Random): Map<string, string> {
    const lines = ['id;email;name;country;plan;signed_up;monthly_spend;referrer'];
    let ts = Date.UTC(2026, 0, 5, 8);
    for (let id = 1001; id <= 1600; id++) {
        ts += randomInt(random, 60_000, 7_200_000);
        const row = signupRow(random, id, ts);
        lines.push(row);
        // Exports often repeat rows when a sync retries.
        if (random() < 0.02) lines.push(row);
    }
    // Malformed rows, each a different kind of damage, spread through the file.
    const broken = [
        'A2001;jan.kowalski@gmail.com;Jan Kowalski;pl;free;2026-01-12T10:04:00Z;;google',
        '2002;lena.berg@web.de;Lena Berg;de;pro;2026-01-12T11:30:00Z;"12,50";newsletter',
        '2003;tom.hardy@outlook.com;Tom Hardy;gb;free;yesterday;;',
        '2004;eva.lind@icloud.com;Eva Lind;se',
        '2005;mark.stone@gmx.net;Mark Stone;de;team;2026-01-13T09:12:00Z;49.00;friend;extra;columns',
        '2006.5;nina.roth@web.de;Nina Roth;de;free;2026-01-13T10:00:00Z;;',
        ';;;;;;;',
        '2008;ali.demir@gmail.com;Ali Demir;de;pro;2026-01-13T16:45:00Z;twenty;podcast',
        '2009;ines.costa@proton.me;Ines Costa;pt;free;13/01/2026 17:02;;google',
        '2010;olaf.brandt@web.de;Olaf Brandt;de;free;2026-01-13T18:20:00Z;-;'
    ];
    broken.forEach((row, i) => lines.splice(40 + i * 57, 0, row));
    return new Map([['data/signups.csv', lines.join('\n') + '\n']]);
}
