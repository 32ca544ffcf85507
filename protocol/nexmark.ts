/**
 * The Nexmark benchmark's three event kinds as .flow sources see them (`nexmark.person(...)`,
 * `nexmark.auction(...)`, `nexmark.bid(...)`): Flink Nexmark's column names and types (BIGINT ->
 * long, VARCHAR -> string, TIMESTAMP(3) -> timestamp). Shared by the language (the sources'
 * schemas), the runtime (the generator) and the event-file writer, so all three agree.
 */
import type { PrimitiveTypeName, SchemaField } from './logical-graph.js';

export const NEXMARK_KINDS = ['person', 'auction', 'bid'] as const;
export type NexmarkKind = typeof NEXMARK_KINDS[number];

/** The connector name of a kind's source: `nexmark.bid`. */
export function nexmarkConnectorName(kind: NexmarkKind): `nexmark.${NexmarkKind}` {
    return `nexmark.${kind}`;
}

/** The kind a connector name stands for (`nexmark.bid` -> `bid`), or undefined. */
export function nexmarkKindOf(connector: string | undefined): NexmarkKind | undefined {
    const kind = connector?.startsWith('nexmark.') ? connector.slice('nexmark.'.length) : undefined;
    return (NEXMARK_KINDS as readonly string[]).includes(kind ?? '') ? kind as NexmarkKind : undefined;
}

function fields(spec: [string, PrimitiveTypeName][]): SchemaField[] {
    return spec.map(([name, kind]) => ({ name, type: { kind } }));
}

/** Each kind's fields, in Flink Nexmark's order. */
export const NEXMARK_SCHEMAS: Record<NexmarkKind, SchemaField[]> = {
    person: fields([['id', 'long'], ['name', 'string'], ['emailAddress', 'string'], ['creditCard', 'string'],
        ['city', 'string'], ['state', 'string'], ['dateTime', 'timestamp'], ['extra', 'string']]),
    auction: fields([['id', 'long'], ['itemName', 'string'], ['description', 'string'], ['initialBid', 'long'],
        ['reserve', 'long'], ['dateTime', 'timestamp'], ['expires', 'timestamp'], ['seller', 'long'],
        ['category', 'long'], ['extra', 'string']]),
    bid: fields([['auction', 'long'], ['bidder', 'long'], ['price', 'long'], ['channel', 'string'],
        ['url', 'string'], ['dateTime', 'timestamp'], ['extra', 'string']])
};

/** One line of documentation per field, for hovers and docs. */
export const NEXMARK_FIELD_DOCS: Record<NexmarkKind, Record<string, string>> = {
    person: {
        id: 'The person\'s id (first person 1000).', name: 'First and last name.', emailAddress: 'A made-up e-mail address.',
        creditCard: 'Four groups of four digits.', city: 'A US city.', state: 'A US state (AZ, CA, ID, OR, WA, WY).',
        dateTime: 'When the person registered (event time).', extra: 'Padding up to the average event size.'
    },
    auction: {
        id: 'The auction\'s id (first auction 1000).', itemName: 'The item\'s name.', description: 'The item\'s description.',
        initialBid: 'The starting price.', reserve: 'The reserve price (above the initial bid).',
        dateTime: 'When the auction opened (event time).', expires: 'When the auction closes.', seller: 'The seller\'s person id.',
        category: 'The item\'s category (10 to 14).', extra: 'Padding up to the average event size.'
    },
    bid: {
        auction: 'The auction bid on.', bidder: 'The bidder\'s person id.', price: 'The bid, in cents.',
        channel: 'Where the bid came from (Google, Facebook, Baidu, Apple or channel-N).', url: 'The page the bid was made on.',
        dateTime: 'When the bid was made (event time).', extra: 'Padding up to the average event size.'
    }
};

/** The generator's options, as a .flow source and `flowline nexmark generate` take them. */
export interface NexmarkOptions {
    /** Total events of all kinds (bounded); undefined: unbounded. */
    events?: number;
    /** Events per second of event time: the spacing of `dateTime` (Nexmark's first-event.rate). */
    rate: number;
    /** Seed of the generator: the same seed gives the same events at any parallelism. */
    seed: number;
    /** Nexmark's out-of-order group size: events are shuffled within groups of this many (1: in order). */
    outOfOrder: number;
}

export const NEXMARK_DEFAULTS: Omit<NexmarkOptions, 'events'> = { rate: 10_000, seed: 1, outOfOrder: 1 };

/** The event time of event number 0: 2024-01-01T00:00:00Z (Flink Nexmark starts at the wall clock). */
export const NEXMARK_BASE_TIME = Date.UTC(2024, 0, 1);

/** Reads a source node's options (numbers as given), with the defaults. */
export function nexmarkOptionsOf(options: Record<string, string | number | boolean>): NexmarkOptions {
    const num = (name: string): number | undefined => {
        const v = options[name];
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < (name === 'seed' ? 0 : 1)) {
            throw new Error(`nexmark: ${name} must be a ${name === 'seed' ? 'non-negative' : 'positive'} integer, not ${JSON.stringify(v)}`);
        }
        return n;
    };
    return {
        events: num('events'), rate: num('rate') ?? NEXMARK_DEFAULTS.rate, seed: num('seed') ?? NEXMARK_DEFAULTS.seed,
        outOfOrder: num('outOfOrder') ?? NEXMARK_DEFAULTS.outOfOrder
    };
}
