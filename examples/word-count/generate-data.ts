/** The word-count example's input: an English-like novel of about 220 KB. */
import type { Random } from '../../scripts/seeded-random.js';
import { generateBook } from './english-like-text.js';

/** The data files of this example, by path relative to its folder. */
export function generateWordCountData(random: Random): Map<string, string> {
    return new Map([['data/book.txt', generateBook(random, 'The Lamplighter of Harrow Mill', 220_000)]]);
}
