/**
 * `flowline nexmark generate --events N [--seed S] [--rate R] [--out-of-order G] --out DIR`:
 * writes the Nexmark events a `nexmark.*` source with the same options generates to
 * DIR/person.jsonl, DIR/auction.jsonl and DIR/bid.jsonl (for jsonl sources, and for Flink).
 */
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

function positiveInteger(name: string, min = 1): (value: string) => number {
    return (value) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} takes an integer of at least ${min}, not "${value}".`);
        return n;
    };
}

export function registerNexmarkCommand(program: Command): void {
    const nexmark = program.command('nexmark').description('The Nexmark benchmark\'s events (docs/nexmark.md).');
    nexmark.command('generate')
        .description('Write Nexmark events to DIR/person.jsonl, DIR/auction.jsonl and DIR/bid.jsonl: the events nexmark.person/auction/bid(events: N, seed: S, rate: R) generate.')
        .requiredOption('--events <n>', 'how many events, of all three kinds together', positiveInteger('events'))
        .requiredOption('--out <dir>', 'the folder to write the three files to (created if missing)')
        .option('--seed <s>', 'the generator\'s seed', positiveInteger('seed', 0), 1)
        .option('--rate <r>', 'events per second of event time (the spacing of dateTime)', positiveInteger('rate'), 10_000)
        .option('--out-of-order <g>', 'shuffle events within groups of this many (1: in order)', positiveInteger('out-of-order'), 1)
        .addHelpText('after', '\nExit codes: 0 written, 2 usage error.')
        .action(async (options: { events: number; out: string; seed: number; rate: number; outOfOrder: number }) => {
            const { writeNexmarkFiles } = await import('../../../runtime/src/connectors/nexmark/nexmark-files.js');
            const counts = writeNexmarkFiles({ events: options.events, seed: options.seed, rate: options.rate, outOfOrder: options.outOfOrder }, options.out);
            console.log(`${options.events} events written to ${options.out}: ${counts.person} persons, ${counts.auction} auctions, ${counts.bid} bids.`);
        });
}
