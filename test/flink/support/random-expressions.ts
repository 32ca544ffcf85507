/**
 * Random, well-typed .flow expressions (as source text) over the fields of PARITY_SCHEMA, and random
 * rows of that schema, for the parity tests between the local runtime and Flink. The expressions use
 * every translatable operator and built-in function; the rows lean on the inputs where runtimes tend
 * to differ (nulls, empty strings, negatives, non-ASCII text, instants before 1970).
 */
import fc from 'fast-check';

/** The schema of the generated rows, as written in the .flow source. */
export const PARITY_SCHEMA = 's: string?, t: string, i: int?, j: int, d: double?, e: double, b: boolean?, ts: timestamp?';

type Kind = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'timestamp' | 'array';

/** A .flow string literal (the language's escapes are backslash and quote). */
export function flowString(value: string): string {
    return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const SAMPLE_TEXT = ['', ' ', 'a', 'Hello World', '  padded\t', 'é', 'ÀÉÎ straße', '😀x', 'a,b,,c,,', ',lead', 'x--y--', 'İstanbul', 'word1 word2', 'ab%_c'];
const text = fc.oneof(fc.constantFrom(...SAMPLE_TEXT), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }));
// Small enough that products of four stay within int: overflow is a documented difference, not a finding.
const smallInt = fc.integer({ min: -150, max: 150 });
const double = fc.oneof(fc.constantFrom(0.5, -2.5, 1.005, 0.1, 2.675, -0.0001, 1e7), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }));
// 1900-01-01 .. 2100-01-01
const instant = fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 });

/** One row of PARITY_SCHEMA as a .flow record literal. */
export const rowText: fc.Arbitrary<string> = fc.record({
    s: fc.option(text, { freq: 4 }), t: text, i: fc.option(smallInt, { freq: 4 }), j: smallInt,
    d: fc.option(double, { freq: 4 }), e: double, b: fc.option(fc.boolean(), { freq: 4 }), ts: fc.option(instant, { freq: 4 })
}).map((r) => `{ ${[
    `s: ${r.s === null ? 'null' : flowString(r.s)}`, `t: ${flowString(r.t)}`, `i: ${r.i ?? 'null'}`, `j: ${r.j}`,
    `d: ${r.d === null ? 'null' : doubleText(r.d)}`, `e: ${doubleText(r.e)}`, `b: ${r.b ?? 'null'}`,
    `ts: ${r.ts === null ? 'null' : `timestamp ${flowString(new Date(r.ts).toISOString())}`}`
].join(', ')} }`);

/** A double as a .flow literal (a DECIMAL token needs a fraction; negative numbers are negations). */
function doubleText(x: number): string {
    const abs = Math.abs(x);
    let body = String(abs);
    if (/e/.test(body)) body = abs.toFixed(12).replace(/0+$/, '0');
    if (!body.includes('.')) body += '.0';
    return x < 0 || Object.is(x, -0) ? `(-${body})` : body;
}

const SEPARATORS = [',', '-', ' ', '--', '[^a-z]+', '[,;]', '\\W+', '\\d', 'o', ', '];
const PATTERNS = ['[0-9]', 'o', '[aeiou]+', '\\d+', 'World', '[^a-zA-Z]', 'a|b'];
const LIKE_PATTERNS = ['%', 'a%', '%o%', '_', '', 'H%d', '%\\%%', 'a_c', '%,'];
const DURATIONS = ['1s', '1m', '15m', '1h', '1d', '7d', '90m', '1500ms'];

const lit = {
    int: fc.integer({ min: -20, max: 20 }).map((n) => (n < 0 ? `(${n})` : String(n))),
    nonZero: fc.integer({ min: -9, max: 9 }).filter((n) => n !== 0).map((n) => (n < 0 ? `(${n})` : String(n))),
    double: double.map(doubleText),
    string: fc.constantFrom(...SAMPLE_TEXT).map(flowString)
};

/** A random expression of `kind`, nested at most `depth` calls deep. */
export function expressionOf(kind: Kind, depth: number): fc.Arbitrary<string> {
    const sub = (k: Kind) => expressionOf(k, depth - 1);
    const call = (name: string, ...args: fc.Arbitrary<string>[]) => fc.tuple(...args).map((a) => `${name}(${a.join(', ')})`);
    const op = (left: fc.Arbitrary<string>, o: string, right: fc.Arbitrary<string>) => fc.tuple(left, right).map(([a, b]) => `(${a} ${o} ${b})`);
    const leaves: Record<Kind, fc.Arbitrary<string>[]> = {
        string: [fc.constantFrom('s', 't'), lit.string],
        int: [fc.constantFrom('i', 'j'), lit.int],
        long: [fc.constantFrom('i', 'j'), lit.int],
        double: [fc.constantFrom('d', 'e'), lit.double],
        boolean: [fc.constantFrom('b', 'true', 'false')],
        timestamp: [fc.constant('ts'), instant.map((ms) => `timestamp ${flowString(new Date(ms).toISOString())}`)],
        array: []
    };
    if (depth <= 0 && kind !== 'array') return fc.oneof(...leaves[kind]);
    const scalar = fc.oneof(sub('string'), sub('int'), sub('boolean'), sub('timestamp'));
    const compound: Record<Kind, fc.Arbitrary<string>[]> = {
        string: [
            call('lower', sub('string')), call('upper', sub('string')), call('trim', sub('string')),
            call('substring', sub('string'), sub('int')), call('substring', sub('string'), sub('int'), sub('int')),
            fc.array(scalar, { minLength: 1, maxLength: 3 }).map((a) => `concat(${a.join(', ')})`),
            call('replace', sub('string'), fc.constantFrom(...PATTERNS).map(flowString), fc.constantFrom('', '#', 'xy').map(flowString)),
            call('to_string', fc.oneof(sub('int'), sub('boolean'), sub('timestamp'))),
            op(sub('string'), '+', sub('string')), call('coalesce', sub('string'), sub('string')),
            fc.tuple(sub('boolean'), sub('string'), sub('string')).map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
            sub('int').map((x) => `cast(${x} as string)`)
        ],
        int: [
            call('length', sub('string')), call('abs', sub('int')), op(sub('int'), '+', sub('int')), op(sub('int'), '-', sub('int')),
            op(sub('int'), '*', sub('int')), op(sub('int'), '%', lit.nonZero), call('greatest', sub('int'), sub('int')),
            call('least', sub('int'), sub('int'), sub('int')), call('year', sub('timestamp')), call('month', sub('timestamp')),
            call('day', sub('timestamp')), call('hour', sub('timestamp')), call('minute', sub('timestamp')),
            sub('double').map((x) => `cast(${x} as int)`), call('coalesce', sub('int'), sub('int')),
            fc.tuple(sub('boolean'), sub('int'), sub('int'), sub('int')).map(([c, a, b, o]) => `(case when ${c} then ${a} when ${c} == false then ${b} else ${o} end)`)
        ],
        long: [call('epoch_millis', sub('timestamp')), call('floor', sub('double')), call('ceil', sub('double'))],
        double: [
            call('round', sub('double')), call('round', sub('double'), fc.integer({ min: -2, max: 3 }).map(String)),
            call('sqrt', sub('double')), call('pow', sub('double'), fc.integer({ min: -2, max: 3 }).map(String)),
            op(sub('double'), '*', sub('double')), op(sub('double'), '+', sub('int')), op(sub('double'), '-', sub('double')),
            op(sub('double'), '/', lit.double.filter((x) => !/^\(?-?0\.0\)?$/.test(x))), op(sub('int'), '/', lit.nonZero),
            call('abs', sub('double')), call('greatest', sub('double'), sub('int')), sub('int').map((x) => `cast(${x} as double)`)
        ],
        boolean: [
            op(sub('int'), '<', sub('int')), op(sub('double'), '>=', sub('double')), op(sub('string'), '==', sub('string')),
            op(sub('string'), '!=', sub('string')), op(sub('string'), '<', sub('string')),
            fc.tuple(sub('string'), fc.constantFrom(...LIKE_PATTERNS)).map(([x, p]) => `(${x} like ${flowString(p)})`),
            call('matches', sub('string'), fc.constantFrom(...PATTERNS).map(flowString)), call('starts_with', sub('string'), sub('string')),
            fc.tuple(scalar, fc.boolean()).map(([x, n]) => `(${x} is ${n ? 'not ' : ''}null)`),
            fc.tuple(sub('int'), fc.array(lit.int, { minLength: 1, maxLength: 3 })).map(([x, v]) => `(${x} in (${v.join(', ')}))`),
            sub('boolean').map((x) => `(not ${x})`), op(sub('boolean'), 'and', sub('boolean')), op(sub('boolean'), 'or', sub('boolean')),
            op(sub('timestamp'), '<', sub('timestamp'))
        ],
        timestamp: [
            fc.tuple(sub('timestamp'), fc.constantFrom(...DURATIONS)).map(([t, u]) => `floor_time(${t}, ${u})`),
            fc.tuple(sub('timestamp'), fc.constantFrom(...DURATIONS), fc.boolean()).map(([t, u, plus]) => `(${t} ${plus ? '+' : '-'} ${u})`)
        ],
        array: [call('split', expressionOf('string', depth - 1), fc.constantFrom(...SEPARATORS).map(flowString))]
    };
    return fc.oneof({ weight: 1, arbitrary: fc.oneof(...(leaves[kind].length ? leaves[kind] : compound[kind])) }, { weight: 3, arbitrary: fc.oneof(...compound[kind]) });
}

/** A random expression of a random type. */
export const anyExpression: fc.Arbitrary<string> = fc.constantFrom<Kind>('string', 'int', 'long', 'double', 'boolean', 'timestamp', 'array')
    .chain((kind) => expressionOf(kind, 2));
