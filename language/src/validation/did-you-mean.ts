/** Suggests the known names closest to a mistyped one (Levenshtein distance), best first. */
export function closestNames(unknown: string, candidates: Iterable<string>, max = 3): string[] {
    if (!unknown) {
        return []; // nothing typed yet (a syntax error)
    }
    const limit = Math.max(2, Math.floor(unknown.length / 3));
    const scored: { name: string; distance: number }[] = [];
    for (const name of new Set(candidates)) {
        const distance = editDistance(unknown.toLowerCase(), name.toLowerCase());
        if (distance <= limit) {
            scored.push({ name, distance });
        }
    }
    return scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)).slice(0, max).map((s) => s.name);
}

function editDistance(a: string, b: string): number {
    const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0];
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j];
            previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return previous[b.length];
}

/** `'a', 'b' or 'c'` */
export function listNames(names: string[]): string {
    const quoted = names.map((n) => `'${n}'`);
    return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
