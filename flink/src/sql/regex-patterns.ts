/**
 * Which regular expressions mean the same to the local runtime (JavaScript RegExp) and to Flink
 * (java.util.regex). split, replace and matches translate only patterns written as a literal in
 * this common subset; any other pattern is refused with the reason, never run with another meaning.
 *
 * Refused, and why:
 * - `.`, `\s`, `\S`, `\v`, `\b`, `\B`, `^`, `$`: the two engines disagree on which characters they
 *   match (`.` and U+0085, `\s` and Unicode spaces, `\v`) or where (anchors, word boundaries);
 * - `(?...)` groups other than `(?:...)`, back-references, `\p{...}`, possessive quantifiers,
 *   nested classes and `&&` in classes: one of the two engines lacks or reads them differently;
 * - capturing groups: JavaScript's split returns what they capture, Java's does not;
 * - a pattern that can match the empty string: the two engines split on empty matches differently.
 * A pattern only searched for its first match (`regexp_extract`) may capture, start with `^` and
 * match the empty string: both engines agree on those when they do not split or replace.
 */

/** Why `pattern` is outside the common subset, or undefined when both engines read it the same way. */
export function regexDifference(pattern: string, use: 'split-replace' | 'first-match' = 'split-replace'): string | undefined {
    const firstMatch = use === 'first-match';
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '\\') {
            const next = pattern[i + 1];
            if (next === undefined) return 'it ends with a lone backslash';
            if (/[sSvbBpPkQE0-9]/.test(next)) return `\\${next} means something else (or nothing) in Java's regular expressions`;
            if (/[a-zA-Z]/.test(next) && !/[dDwWtnrfxu]/.test(next)) return `\\${next} is not an escape both engines read the same way`;
            i++;
            continue;
        }
        if (inClass) {
            if (c === '[') return 'Java reads `[` inside a character class as a nested class';
            if (c === '&' && pattern[i + 1] === '&') return 'Java reads `&&` inside a character class as an intersection';
            if (c === ']') inClass = false;
            continue;
        }
        if (c === '[') {
            inClass = true;
            if (pattern[i + 1] === '^') i++;
            if (pattern[i + 1] === ']') return 'a class starting with `]` is read differently by the two engines';
            continue;
        }
        if (c === '.') return '`.` matches different line-ending characters in Java (U+0085) and JavaScript';
        if (c === '^' && firstMatch) continue;
        if (c === '^' || c === '$') return 'anchors are not used when splitting and replacing the same way by both engines';
        if (c === '(') {
            if (firstMatch && pattern[i + 1] !== '?') continue;
            if (pattern.slice(i, i + 3) !== '(?:') return 'groups other than (?:...) capture, and JavaScript\'s split returns what they capture (Java\'s does not)';
            i += 2;
            continue;
        }
        if (c === '{' && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i))) return 'a `{` that is not a repetition count is literal text in JavaScript and an error in Java';
        if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') return 'possessive quantifiers exist only in Java';
    }
    if (inClass) return 'an unclosed character class';
    let re: RegExp;
    try {
        // The local runtime reads patterns in Unicode mode (one code point at a time, as Java does) when they allow it.
        re = new RegExp(pattern, 'u');
    } catch (e) {
        return `it is not valid in JavaScript's Unicode mode, so the local runtime reads it one UTF-16 unit at a time (${(e as Error).message})`;
    }
    if (!firstMatch && re.test('')) return 'it can match the empty string, and the two engines split on empty matches differently';
    return undefined;
}
