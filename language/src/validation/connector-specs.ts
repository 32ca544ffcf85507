/**
 * The connectors a .flow file can name, their options and what they need. The language checks
 * against this table; the runtime implements the same names.
 */
import { SOURCE_ENCODINGS } from '../../../protocol/logical-graph.js';
import { NEXMARK_DEFAULTS, NEXMARK_KINDS, nexmarkConnectorName, type NexmarkKind } from '../../../protocol/nexmark.js';

export type ConnectorOptionType = 'string' | 'int' | 'boolean';

/** A named option of a connector. */
export interface ConnectorOption {
    type: ConnectorOptionType;
    doc: string;
    /** The only values a string option accepts, when it is an enumeration. */
    values?: readonly string[];
    /** Set when only a source (or only a sink) of a `both` connector takes the option. */
    role?: 'source' | 'sink';
}

/** `encoding` of the file sources: the names the runtime reads, written exactly so. */
const ENCODING_OPTION: ConnectorOption = {
    type: 'string', values: SOURCE_ENCODINGS, role: 'source',
    doc: 'The character encoding of the file (sources only): "utf-8" (default; a line with bytes that are not UTF-8 is a malformed row) or "latin1".'
};

export interface ConnectorSpec {
    name: string;
    role: 'source' | 'sink' | 'both';
    /** The unnamed first argument, if the connector takes one (a file path). */
    path?: 'required' | 'optional';
    options: Record<string, ConnectorOption>;
    doc: string;
    example: string;
}

export const CONNECTORS: readonly ConnectorSpec[] = [
    {
        name: 'csv', role: 'both', path: 'required',
        options: {
            header: { type: 'boolean', doc: 'The first line names the columns (default true).' },
            delimiter: { type: 'string', doc: 'The field separator (default ",").' },
            encoding: ENCODING_OPTION
        },
        doc: 'Comma-separated values; fields are matched to the schema by header name (or position without a header).',
        example: 'csv("data/orders.csv", header: true)'
    },
    {
        name: 'jsonl', role: 'both', path: 'required', options: { encoding: ENCODING_OPTION },
        doc: 'One JSON object per line; fields are matched to the schema by name.',
        example: 'jsonl("data/customers.jsonl")'
    },
    {
        name: 'text', role: 'source', path: 'required', options: { encoding: ENCODING_OPTION },
        doc: 'One record `{ line: string }` per line of a text file.',
        example: 'text("data/book.txt")'
    },
    {
        name: 'values', role: 'source', options: {},
        doc: 'Inline records, written as record literals: `values({ id: 1 }, { id: 2 })`.',
        example: 'values({ user: 1, url: "/a" }, { user: 2, url: "/b" })'
    },
    {
        name: 'datagen', role: 'source',
        options: {
            count: { type: 'int', doc: 'How many records to generate (bounded); without it the source is unbounded.' },
            rate: { type: 'int', doc: 'Records per second (default: as fast as possible).' },
            seed: { type: 'int', doc: 'Seed of the random generators, for repeatable data (default 42).' }
        },
        doc: 'Generated records; each field of the source block says how it is generated.',
        example: 'datagen(count: 1000, rate: 100)'
    },
    ...NEXMARK_KINDS.map(nexmarkSpec),
    { name: 'print', role: 'sink', options: {}, doc: 'Prints every record as JSON (to stdout, or the Flowline output channel).', example: 'print' },
    { name: 'collect', role: 'sink', options: {}, doc: 'Collects the records as the job\'s result (shown in the editor\'s results view).', example: 'collect' },
    { name: 'blackhole', role: 'sink', options: {}, doc: 'Discards every record (for benchmarks).', example: 'blackhole' }
];

/** `nexmark.person`, `nexmark.auction`, `nexmark.bid`: one kind of event each from the same Nexmark generator. */
function nexmarkSpec(kind: NexmarkKind): ConnectorSpec {
    return {
        name: nexmarkConnectorName(kind), role: 'source',
        options: {
            events: { type: 'int', doc: 'How many Nexmark events to generate, of all three kinds together (1 person : 3 auctions : 46 bids); without it the source is unbounded.' },
            rate: { type: 'int', doc: `Events per second of event time: how far apart the events' dateTime are (default ${NEXMARK_DEFAULTS.rate}). The source emits as fast as the pipeline takes them.` },
            seed: { type: 'int', doc: `Seed of the generator (default ${NEXMARK_DEFAULTS.seed}): the same seed gives the same events, at any parallelism, in all three sources.` },
            outOfOrder: { type: 'int', doc: 'Nexmark\'s out-of-order group size: events are shuffled within groups of this many (default 1: in order).' }
        },
        doc: `The ${kind} events of the Nexmark benchmark's generator, with Flink Nexmark's fields (docs/nexmark.md). Declare the event time as Nexmark does: { watermark dateTime - 4s }.`,
        example: `${nexmarkConnectorName(kind)}(events: 100000, seed: 1)`
    };
}

const byName = new Map(CONNECTORS.map((c) => [c.name, c]));

export function findConnector(name: string): ConnectorSpec | undefined {
    return byName.get(name);
}

export function connectorsFor(role: 'source' | 'sink'): ConnectorSpec[] {
    return CONNECTORS.filter((c) => c.role === role || c.role === 'both');
}
