/**
 * The built-in functions of the .flow expression language: their signatures (for type checking,
 * completion and signature help) and one-line docs (for hover and docs/language.md).
 * The runtime implements the same names in runtime/src/expressions/.
 */

/** A parameter type; `numeric` is int, long or double; `number` also decimal; `any` accepts every type; `T` binds to the first argument. */
export type ParamType =
    | 'int' | 'long' | 'double' | 'boolean' | 'string' | 'timestamp' | 'duration'
    | 'numeric' | 'number' | 'any' | 'T' | 'string[]';

/** How the result type is derived. */
export type ReturnType = ParamType | 'element-of-first' | 'array-of-first' | 'widened-numeric';

export type FunctionCategory = 'string' | 'math' | 'time' | 'null' | 'aggregate' | 'generator';

export interface FunctionSignature {
    name: string;
    params: { name: string; type: ParamType; optional?: boolean }[];
    /** The last parameter may repeat (`concat(a, b, c)`). */
    variadic?: boolean;
    returns: ReturnType;
    category: FunctionCategory;
    doc: string;
    example: string;
    /** The result may be null even when no argument is (no match, an index past the end). */
    mayBeNull?: boolean;
}

/** A function whose result may be null for non-null arguments. */
const mayBeNull = (f: FunctionSignature): FunctionSignature => ({ ...f, mayBeNull: true });

const fn = (
    name: string, category: FunctionCategory, params: FunctionSignature['params'], returns: ReturnType,
    doc: string, example: string, variadic = false
): FunctionSignature => ({ name, category, params, returns, doc, example, variadic });

export const BUILTIN_FUNCTIONS: readonly FunctionSignature[] = [
    // Strings
    fn('lower', 'string', [{ name: 's', type: 'string' }], 'string', 'The string in lower case.', 'lower(name)'),
    fn('upper', 'string', [{ name: 's', type: 'string' }], 'string', 'The string in upper case.', 'upper(country)'),
    fn('trim', 'string', [{ name: 's', type: 'string' }], 'string', 'The string without leading and trailing white space.', 'trim(customer)'),
    fn('length', 'string', [{ name: 's', type: 'string' }], 'int', 'The number of characters of the string (Unicode code points: an emoji counts once).', 'length(line)'),
    fn('substring', 'string', [{ name: 's', type: 'string' }, { name: 'start', type: 'int' }, { name: 'length', type: 'int', optional: true }], 'string',
        'The part of the string from `start` (0-based), `length` characters (code points) long or to the end.', 'substring(code, 0, 3)'),
    fn('split', 'string', [{ name: 's', type: 'string' }, { name: 'pattern', type: 'string' }], 'string[]',
        'Splits the string on a regular expression, like Java\'s String.split: trailing empty parts are dropped; a string without a match is its own only part (`split("", "-")` is `[""]`).', 'split(lower(line), "\\\\W+")'),
    fn('concat', 'string', [{ name: 'parts', type: 'any' }], 'string', 'Joins the values as one string; null parts are skipped.', 'concat(first, " ", last)', true),
    fn('replace', 'string', [{ name: 's', type: 'string' }, { name: 'pattern', type: 'string' }, { name: 'replacement', type: 'string' }], 'string',
        'Replaces every match of a regular expression.', 'replace(phone, "[^0-9]", "")'),
    fn('matches', 'string', [{ name: 's', type: 'string' }, { name: 'pattern', type: 'string' }], 'boolean',
        'True when the regular expression matches somewhere in the string.', 'matches(email, "@example\\\\.com$")'),
    fn('starts_with', 'string', [{ name: 's', type: 'string' }, { name: 'prefix', type: 'string' }], 'boolean', 'True when the string starts with the prefix.', 'starts_with(url, "/api")'),
    fn('char_length', 'string', [{ name: 's', type: 'string' }], 'int', 'The number of characters of the string, as `length` (Flink\'s name, CHAR_LENGTH).', 'char_length(extra)'),
    mayBeNull(fn('regexp_extract', 'string', [{ name: 's', type: 'string' }, { name: 'pattern', type: 'string' }, { name: 'group', type: 'int', optional: true }], 'string',
        'The text the regular expression\'s group `group` (default 0: the whole match) matched at its first match; null when there is no match, or the group is not in the pattern or took no part.',
        'regexp_extract(url, "(&|^)channel_id=([^&]*)", 2)')),
    mayBeNull(fn('split_index', 'string', [{ name: 's', type: 'string' }, { name: 'separator', type: 'string' }, { name: 'index', type: 'int' }], 'string',
        'The part at `index` (0-based) of the string split on a plain separator (not a pattern), empty parts kept; null when the index is negative or past the last part, or the string is empty (Flink\'s SPLIT_INDEX).',
        'split_index(url, "/", 3)')),
    fn('to_string', 'string', [{ name: 'value', type: 'any' }], 'string', 'The value as a string (timestamps in ISO 8601).', 'to_string(amount)'),
    // Math
    fn('abs', 'math', [{ name: 'x', type: 'numeric' }], 'T', 'The absolute value.', 'abs(delta)'),
    fn('round', 'math', [{ name: 'x', type: 'numeric' }, { name: 'digits', type: 'int', optional: true }], 'double', 'Rounds half away from zero to `digits` decimals (default 0).', 'round(amount * 1.1, 2)'),
    fn('floor', 'math', [{ name: 'x', type: 'numeric' }], 'long', 'The largest whole number not above x.', 'floor(price)'),
    fn('ceil', 'math', [{ name: 'x', type: 'numeric' }], 'long', 'The smallest whole number not below x.', 'ceil(price)'),
    fn('sqrt', 'math', [{ name: 'x', type: 'numeric' }], 'double', 'The square root.', 'sqrt(variance)'),
    fn('pow', 'math', [{ name: 'x', type: 'numeric' }, { name: 'y', type: 'numeric' }], 'double', 'x to the power y.', 'pow(1.05, years)'),
    fn('greatest', 'math', [{ name: 'values', type: 'numeric' }], 'widened-numeric', 'The largest of the values.', 'greatest(a, b)', true),
    fn('least', 'math', [{ name: 'values', type: 'numeric' }], 'widened-numeric', 'The smallest of the values.', 'least(a, b)', true),
    // Null handling
    fn('coalesce', 'null', [{ name: 'values', type: 'T' }], 'T', 'The first value that is not null.', 'coalesce(nickname, name)', true),
    // Time
    fn('year', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The year of a timestamp (UTC).', 'year(ts)'),
    fn('month', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The month (1-12) of a timestamp (UTC).', 'month(ts)'),
    fn('day', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The day of the month (1-31) of a timestamp (UTC).', 'day(ts)'),
    fn('hour', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The hour (0-23) of a timestamp (UTC).', 'hour(ts)'),
    fn('minute', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The minute (0-59) of a timestamp (UTC).', 'minute(ts)'),
    fn('second', 'time', [{ name: 't', type: 'timestamp' }], 'int', 'The second (0-59) of a timestamp (UTC).', 'second(ts)'),
    fn('date_format', 'time', [{ name: 't', type: 'timestamp' }, { name: 'pattern', type: 'string' }], 'string',
        'The timestamp as text (UTC) in Java\'s pattern letters, as Flink\'s DATE_FORMAT: `yyyy` `yy` year, `MM` `M` month (`MMM` Jan, `MMMM` January), `dd` `d` day, `D` day of year, `E` weekday (`EEEE` Monday), `HH` `H` hour, `hh` `h` hour 1-12 with `a` AM/PM, `mm` minute, `ss` second, `SSS` milliseconds; other characters are copied, letters are quoted (`\'T\'`).',
        'date_format(ts, "yyyy-MM-dd")'),
    fn('date_trunc', 'time', [{ name: 'unit', type: 'string' }, { name: 't', type: 'timestamp' }], 'timestamp',
        'The timestamp truncated to the start of its calendar `unit` (UTC): "second", "minute", "hour", "day", "week" (Monday), "month", "quarter" or "year".',
        'date_trunc("month", ts)'),
    fn('floor_time', 'time', [{ name: 't', type: 'timestamp' }, { name: 'unit', type: 'duration' }], 'timestamp',
        'The timestamp rounded down to a multiple of the interval (like Flink\'s FLOOR(ts TO ...)).', 'floor_time(ts, 1h)'),
    fn('parse_timestamp', 'time', [{ name: 's', type: 'string' }], 'timestamp', 'Parses an ISO 8601 date-time string.', 'parse_timestamp(created)'),
    fn('epoch_millis', 'time', [{ name: 't', type: 'timestamp' }], 'long', 'The timestamp as milliseconds since 1970-01-01 UTC.', 'epoch_millis(ts)'),
    fn('now', 'time', [], 'timestamp', 'The current wall-clock time.', 'now()'),
    // Aggregates (only inside aggregate/reduce)
    fn('count', 'aggregate', [{ name: 'value', type: 'any', optional: true }], 'long',
        'The number of records (of non-null values when given one; `count(distinct x)` counts distinct values).', 'count()'),
    fn('sum', 'aggregate', [{ name: 'x', type: 'number' }], 'T', 'The sum of the values (of decimal(p, s): a decimal(38, s)).', 'sum(amount)'),
    fn('avg', 'aggregate', [{ name: 'x', type: 'number' }], 'double', 'The mean of the values (of decimal(p, s): a decimal(38, max(s, 6)), exact, rounded half up).', 'avg(latency)'),
    fn('min', 'aggregate', [{ name: 'x', type: 'any' }], 'T', 'The smallest value.', 'min(ts)'),
    fn('max', 'aggregate', [{ name: 'x', type: 'any' }], 'T', 'The largest value.', 'max(amount)'),
    fn('first', 'aggregate', [{ name: 'x', type: 'any' }], 'T', 'The value of the first record (in arrival order).', 'first(url)'),
    fn('last', 'aggregate', [{ name: 'x', type: 'any' }], 'T', 'The value of the last record (in arrival order).', 'last(url)'),
    fn('collect', 'aggregate', [{ name: 'x', type: 'any' }], 'array-of-first', 'All values, as an array.', 'collect(url)'),
    fn('max_by', 'aggregate', [{ name: 'value', type: 'any' }, { name: 'ordering', type: 'any' }], 'T',
        'The value of the record with the largest `ordering` (records whose ordering is null are skipped; of equal orderings, the largest value). A record literal takes several fields of that record at once.',
        'max_by({ auction: auction, price: price }, price)'),
    fn('min_by', 'aggregate', [{ name: 'value', type: 'any' }, { name: 'ordering', type: 'any' }], 'T',
        'The value of the record with the smallest `ordering` (records whose ordering is null are skipped; of equal orderings, the smallest value).',
        'min_by(bidder, dateTime)'),
    // Generators (datagen fields)
    fn('random', 'generator', [{ name: 'min', type: 'numeric' }, { name: 'max', type: 'numeric' }], 'widened-numeric',
        'A uniformly random number between min and max (inclusive; whole numbers when both are whole).', 'random(1, 100)'),
    fn('oneOf', 'generator', [{ name: 'choices', type: 'T' }], 'T', 'One of the given values, chosen at random.', 'oneOf("/a", "/b")', true),
    fn('sequence', 'generator', [{ name: 'start', type: 'numeric', optional: true }], 'long', 'Consecutive numbers from `start` (default 1).', 'sequence(1)'),
    fn('uuid', 'generator', [], 'string', 'A random UUID (deterministic for a given seed).', 'uuid()')
];

const byName = new Map(BUILTIN_FUNCTIONS.map((f) => [f.name, f]));

/** The built-in function called `name`, if any. */
export function findBuiltinFunction(name: string): FunctionSignature | undefined {
    return byName.get(name);
}

/** True for count, sum, avg, min, max, first, last, collect, max_by, min_by. */
export function isAggregateFunction(name: string): boolean {
    return byName.get(name)?.category === 'aggregate';
}

/** `round(x: numeric, digits?: int): double`, for hovers and signature help. */
export function formatSignature(f: FunctionSignature): string {
    const params = f.params.map((p, i) =>
        `${f.variadic && i === f.params.length - 1 ? '...' : ''}${p.name}${p.optional ? '?' : ''}: ${p.type}`);
    return `${f.name}(${params.join(', ')}): ${f.returns}`;
}
