/**
 * Nexmark's event generator, after the rules of nexmark/nexmark's Flink generator
 * (GeneratorConfig, NexmarkGenerator, model/*Generator): event number n has an event id (n,
 * shuffled within out-of-order groups), its kind from the id (1 person : 3 auctions : 46 bids
 * in every 50), its time from the rate, and its fields from the id-seeded random numbers.
 * Where this differs from the reference is said in docs/nexmark.md ("The generator").
 */
import { NEXMARK_BASE_TIME, type NexmarkKind, type NexmarkOptions } from '../../../../protocol/nexmark.js';
import type { Row } from '../../operators/operator.js';
import { EventRandom } from './event-random.js';

// The reference's defaults (NexmarkConfiguration, GeneratorConfig, model/*).
const PERSON_PROPORTION = 1;
const AUCTION_PROPORTION = 3;
const TOTAL_PROPORTION = 50;
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
const NUM_ACTIVE_PEOPLE = 1000;
const NUM_IN_FLIGHT_AUCTIONS = 100;
const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
/** P(hot) = 1 - 1/ratio for auctions of bids, sellers of auctions, bidders of bids. */
const HOT_AUCTION_RATIO = 2;
const HOT_SELLERS_RATIO = 4;
const HOT_BIDDERS_RATIO = 4;
/** Hot ids are the first (sellers, auctions) or second (bidders) of the last batch of this many. */
const HOT_BATCH = 100;
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const CHANNELS_NUMBER = 10_000;
const AVG_PERSON_BYTES = 200;
const AVG_AUCTION_BYTES = 500;
const AVG_BID_BYTES = 100;
const MIN_STRING_LENGTH = 3;
const REUSABLE_EXTRA_LENGTH = 1024 * 1024;

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const CARD_GROUPS = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** The last person id (base 0) generated at or before event id `eventId`. */
export function lastBase0PersonId(eventId: number): number {
    const epoch = Math.floor(eventId / TOTAL_PROPORTION);
    let offset = eventId % TOTAL_PROPORTION;
    if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
    return epoch * PERSON_PROPORTION + offset;
}

/** The last auction id (base 0) generated at or before event id `eventId`. */
export function lastBase0AuctionId(eventId: number): number {
    let epoch = Math.floor(eventId / TOTAL_PROPORTION);
    let offset = eventId % TOTAL_PROPORTION;
    if (offset < PERSON_PROPORTION) {
        epoch--;
        offset = AUCTION_PROPORTION - 1;
    } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
        offset = AUCTION_PROPORTION - 1;
    } else {
        offset -= PERSON_PROPORTION;
    }
    return epoch * AUCTION_PROPORTION + offset;
}

/** The kind of the event with id `eventId`. */
export function kindOfEventId(eventId: number): NexmarkKind {
    const rem = eventId % TOTAL_PROPORTION;
    return rem < PERSON_PROPORTION ? 'person' : rem < PERSON_PROPORTION + AUCTION_PROPORTION ? 'auction' : 'bid';
}

/** Java's Integer.reverse: the 32 bits in reverse order, as a signed int. */
function reverseBits32(i: number): number {
    let r = 0;
    for (let bit = 0; bit < 32; bit++) r = (r << 1) | ((i >>> bit) & 1);
    return r | 0;
}

/** Strings drawn once per seed: the 1 MiB `extra` pool, the hot urls and the 10,000 channels' urls. */
interface SeedTables {
    extraPool: string;
    hotUrls: string[];
    channelUrls: string[];
}

const tablesBySeed = new Map<number, SeedTables>();

function seedTables(seed: number): SeedTables {
    let tables = tablesBySeed.get(seed);
    if (!tables) {
        // Id -1 is no event's: these draws never collide with an event's.
        const random = new EventRandom(seed, Number.MAX_SAFE_INTEGER);
        const pool = new Uint8Array(REUSABLE_EXTRA_LENGTH);
        for (let i = 0; i < REUSABLE_EXTRA_LENGTH; i++) pool[i] = 97 + random.nextInt(26);
        const hotUrls = HOT_CHANNELS.map(() => baseUrl(random));
        const channelUrls = Array.from({ length: CHANNELS_NUMBER }, (_, i) => {
            const url = baseUrl(random);
            return random.nextInt(10) > 0 ? `${url}&channel_id=${Math.abs(reverseBits32(i))}` : url;
        });
        tables = { extraPool: Buffer.from(pool).toString('latin1'), hotUrls, channelUrls };
        tablesBySeed.set(seed, tables);
    }
    return tables;
}

/** A string of 3 to maxLength-1 letters, about one in 13 of them `special`, trimmed of spaces. */
function nextString(random: EventRandom, maxLength: number, special = ' '): string {
    let len = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
    let s = '';
    while (len-- > 0) s += random.nextInt(13) === 0 ? special : String.fromCharCode(97 + random.nextInt(26));
    return special === ' ' ? s.trim() : s;
}

function baseUrl(random: EventRandom): string {
    return `https://www.nexmark.com/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/item.htm?query=1`;
}

/** A price in cents, log-uniform from 1 to 1,000,000 dollars. */
function nextPrice(random: EventRandom): number {
    return Math.round(Math.pow(10, random.nextDouble() * 6) * 100);
}

/** Nexmark's LongGenerator.nextLong: uniform in [0, n) (every n here is far below 2^31). */
function nextLong(random: EventRandom, n: number): number {
    return random.nextInt(n);
}

/** Generates the events of one option set. */
export class NexmarkGenerator {
    private readonly random = new EventRandom();
    private readonly tables: SeedTables;
    /** Microseconds of event time between consecutive events. */
    private readonly interEventDelayUs: number;

    constructor(private readonly options: NexmarkOptions) {
        this.tables = seedTables(options.seed);
        this.interEventDelayUs = 1_000_000 / options.rate;
    }

    /** Event number -> event id: events are shuffled within groups of `outOfOrder` (Nexmark's nextAdjustedEventNumber). */
    eventIdOf(eventNumber: number): number {
        const n = this.options.outOfOrder;
        if (n === 1) return eventNumber;
        const base = Math.floor(eventNumber / n) * n;
        return base + Number((BigInt(eventNumber) * 953n) % BigInt(n));
    }

    /** The event time of the event with this (adjusted) number. */
    timestampOf(eventNumber: number): number {
        return NEXMARK_BASE_TIME + Math.trunc(Math.trunc(eventNumber * this.interEventDelayUs) / 1000);
    }

    /** The kind of event number n. */
    kindOf(eventNumber: number): NexmarkKind {
        return kindOfEventId(this.eventIdOf(eventNumber));
    }

    /** Event number n as a row of its kind. */
    event(eventNumber: number): { kind: NexmarkKind; row: Row } {
        const id = this.eventIdOf(eventNumber);
        const kind = kindOfEventId(id);
        const row = kind === 'person' ? this.personOf(id) : kind === 'auction' ? this.auctionOf(id) : this.bidOf(id);
        return { kind, row };
    }

    /** The person of event id `id` (its kind must be person). */
    personOf(id: number): Row {
        const random = this.start(id);
        const name = `${FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[random.nextInt(LAST_NAMES.length)]}`;
        const emailAddress = `${nextString(random, 7)}@${nextString(random, 5)}.com`;
        const creditCard = `${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]}`;
        const city = US_CITIES[random.nextInt(US_CITIES.length)];
        const state = US_STATES[random.nextInt(US_STATES.length)];
        const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
        return {
            id: lastBase0PersonId(id) + FIRST_PERSON_ID, name, emailAddress, creditCard, city, state,
            dateTime: this.timestampOf(id), extra: this.nextExtra(random, size, AVG_PERSON_BYTES)
        };
    }

    /** The auction of event id `id`. */
    auctionOf(id: number): Row {
        const random = this.start(id);
        const seller = (random.nextInt(HOT_SELLERS_RATIO) > 0
            ? Math.floor(lastBase0PersonId(id) / HOT_BATCH) * HOT_BATCH
            : this.nextBase0PersonId(id, random)) + FIRST_PERSON_ID;
        const category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
        const initialBid = nextPrice(random);
        const dateTime = this.timestampOf(id);
        const expires = dateTime + this.nextAuctionLengthMs(id, dateTime, random);
        const itemName = nextString(random, 20);
        const description = nextString(random, 100);
        const reserve = initialBid + nextPrice(random);
        const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
        return {
            id: lastBase0AuctionId(id) + FIRST_AUCTION_ID, itemName, description, initialBid, reserve, dateTime, expires,
            seller, category, extra: this.nextExtra(random, size, AVG_AUCTION_BYTES)
        };
    }

    /** The bid of event id `id`. */
    bidOf(id: number): Row {
        const random = this.start(id);
        const auction = (random.nextInt(HOT_AUCTION_RATIO) > 0
            ? Math.floor(lastBase0AuctionId(id) / HOT_BATCH) * HOT_BATCH
            : this.nextBase0AuctionId(id, random)) + FIRST_AUCTION_ID;
        // The second person of the batch, so hot bidders and hot sellers differ.
        let bidder = (random.nextInt(HOT_BIDDERS_RATIO) > 0
            ? Math.floor(lastBase0PersonId(id) / HOT_BATCH) * HOT_BATCH + 1
            : this.nextBase0PersonId(id, random)) + FIRST_PERSON_ID;
        const price = nextPrice(random);
        let channel: string;
        let url: string;
        if (random.nextInt(2) > 0) {
            const i = random.nextInt(HOT_CHANNELS.length);
            channel = HOT_CHANNELS[i];
            url = this.tables.hotUrls[i];
        } else {
            const i = random.nextInt(CHANNELS_NUMBER);
            channel = `channel-${i}`;
            url = this.tables.channelUrls[i];
        }
        // The reference adds the first person id a second time here (BidGenerator.nextBid); we
        // keep it, so bidder ids have the reference's range (2000 and up).
        bidder += FIRST_PERSON_ID;
        return {
            auction, bidder, price, channel, url, dateTime: this.timestampOf(id),
            extra: this.nextExtra(random, 8 + 8 + 8 + 8, AVG_BID_BYTES)
        };
    }

    private start(id: number): EventRandom {
        this.random.reset(this.options.seed, id);
        return this.random;
    }

    /** A random active person, or one of a few just ahead of the last (Nexmark's "leads"). */
    private nextBase0PersonId(id: number, random: EventRandom): number {
        const numPeople = lastBase0PersonId(id) + 1;
        const activePeople = Math.min(numPeople, NUM_ACTIVE_PEOPLE);
        return numPeople - activePeople + nextLong(random, activePeople + PERSON_ID_LEAD);
    }

    /** A random auction likely still in flight, or one of a few just ahead. */
    private nextBase0AuctionId(id: number, random: EventRandom): number {
        const maxAuction = lastBase0AuctionId(id);
        const minAuction = Math.max(maxAuction - NUM_IN_FLIGHT_AUCTIONS, 0);
        return minAuction + nextLong(random, maxAuction - minAuction + 1 + AUCTION_ID_LEAD);
    }

    /** An auction lasts on average as long as it takes to open the next 100 auctions. */
    private nextAuctionLengthMs(id: number, timestamp: number, random: EventRandom): number {
        const eventsForAuctions = Math.floor((NUM_IN_FLIGHT_AUCTIONS * TOTAL_PROPORTION) / AUCTION_PROPORTION);
        const horizonMs = this.timestampOf(id + eventsForAuctions) - timestamp;
        return 1 + nextLong(random, Math.max(horizonMs * 2, 1));
    }

    /** Padding so the event's size averages `average` bytes (within ±20 %): a slice of the seed's pool. */
    private nextExtra(random: EventRandom, currentSize: number, average: number): string {
        if (currentSize > average) return '';
        const wanted = average - currentSize;
        const delta = Math.round(wanted * 0.2);
        const size = wanted - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
        const offset = random.nextInt(REUSABLE_EXTRA_LENGTH - size);
        return this.tables.extraPool.substring(offset, offset + size);
    }
}
