/**
 * Generates a long, English-like novel (chapters, paragraphs, dialogue) from word lists and
 * sentence templates, for the word-count example. No network on the build machines means no
 * downloaded book; the templates keep function words frequent and content words Zipf-distributed,
 * so the word counts look like those of a real text.
 */

import type { Random } from '../../scripts/seeded-random.js';

const NAMES = ['Margaret', 'Thomas', 'Eleanor', 'Arthur', 'Clara', 'Henry', 'Lucy', 'Edmund', 'Harriet', 'Walter', 'Agnes', 'Robert'];
const PLACES = ['the village', 'the harbour', 'the old mill', 'the vicarage', 'the market', 'the station', 'the garden', 'the moor', 'the river', 'the church'];
const NOUNS = [
    'house', 'door', 'window', 'road', 'letter', 'hand', 'face', 'voice', 'room', 'light', 'night', 'morning',
    'day', 'evening', 'wind', 'rain', 'sea', 'field', 'hill', 'tree', 'fire', 'table', 'chair', 'book', 'child',
    'man', 'woman', 'father', 'mother', 'friend', 'stranger', 'horse', 'dog', 'bell', 'garden', 'wall', 'path',
    'coat', 'hat', 'glass', 'candle', 'clock', 'stair', 'kitchen', 'carriage', 'shadow', 'silence', 'heart',
    'thought', 'question', 'answer', 'story', 'promise', 'secret', 'journey', 'money', 'winter', 'summer',
    'river', 'bridge', 'cottage', 'town', 'street', 'corner', 'gate', 'field', 'sky', 'cloud', 'moon', 'star'
];
const ADJECTIVES = [
    'old', 'little', 'long', 'dark', 'cold', 'quiet', 'small', 'great', 'young', 'grey', 'warm', 'strange',
    'bright', 'heavy', 'narrow', 'empty', 'pale', 'gentle', 'sudden', 'distant', 'tired', 'careful', 'broken',
    'silent', 'golden', 'wet', 'late', 'early', 'kind', 'proud', 'poor', 'honest', 'curious', 'patient', 'wild'
];
const VERBS_PAST = [
    'looked', 'turned', 'walked', 'stood', 'waited', 'listened', 'smiled', 'watched', 'opened', 'closed',
    'followed', 'remembered', 'noticed', 'carried', 'found', 'left', 'heard', 'saw', 'knew', 'took', 'came',
    'went', 'kept', 'held', 'gave', 'brought', 'wrote', 'read', 'crossed', 'reached', 'passed', 'returned',
    'answered', 'asked', 'wondered', 'hurried', 'paused', 'laughed', 'sighed', 'whispered'
];
const VERBS_BASE = ['go', 'come', 'return', 'walk', 'ride', 'hurry', 'travel', 'drive', 'run', 'sail'];
const ADVERBS = ['slowly', 'quietly', 'again', 'at once', 'softly', 'suddenly', 'carefully', 'still', 'never', 'always', 'perhaps', 'almost', 'gravely', 'gladly'];
const PREPOSITIONS = ['in', 'on', 'at', 'by', 'to', 'from', 'into', 'through', 'across', 'towards', 'along', 'beside', 'behind', 'under', 'over'];
const CONJUNCTIONS = ['and', 'but', 'for', 'so', 'yet'];
const PRONOUNS = ['he', 'she', 'they', 'it', 'I', 'we'];
const OBJECT_PRONOUNS = ['him', 'her', 'them', 'me', 'us'];

/** Picks with Zipf-like weights (1 / rank), so early words in a list are used most. */
function zipf<T>(random: Random, items: readonly T[]): T {
    let total = 0;
    for (let i = 0; i < items.length; i++) total += 1 / (i + 1);
    let r = random() * total;
    for (let i = 0; i < items.length; i++) {
        r -= 1 / (i + 1);
        if (r <= 0) return items[i];
    }
    return items[items.length - 1];
}

function uniform<T>(random: Random, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
}

function capitalise(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

function nounPhrase(random: Random): string {
    const det = zipf(random, ['the', 'a', 'his', 'her', 'their', 'that', 'every']);
    const adj = random() < 0.45 ? `${zipf(random, ADJECTIVES)} ` : '';
    const noun = zipf(random, NOUNS);
    const article = det === 'a' && /^[aeiou]/.test(adj || noun) ? 'an' : det;
    return `${article} ${adj}${noun}`;
}

function subject(random: Random): string {
    const r = random();
    if (r < 0.35) return uniform(random, NAMES);
    if (r < 0.7) return zipf(random, PRONOUNS);
    return nounPhrase(random);
}

function clause(random: Random): string {
    const templates: (() => string)[] = [
        () => `${subject(random)} ${zipf(random, VERBS_PAST)} ${zipf(random, PREPOSITIONS)} ${nounPhrase(random)}`,
        () => `${subject(random)} ${zipf(random, VERBS_PAST)} ${nounPhrase(random)} ${zipf(random, ADVERBS)}`,
        () => `${subject(random)} was ${zipf(random, ADJECTIVES)} and ${zipf(random, ADJECTIVES)}`,
        () => `there was ${nounPhrase(random)} ${zipf(random, PREPOSITIONS)} ${uniform(random, PLACES)}`,
        () => `${subject(random)} had not ${zipf(random, VERBS_PAST)} ${nounPhrase(random)} since the ${zipf(random, NOUNS)}`,
        () => `it was the ${zipf(random, ADJECTIVES)} ${zipf(random, NOUNS)} of ${nounPhrase(random)} that ${zipf(random, VERBS_PAST)} ${zipf(random, OBJECT_PRONOUNS)}`,
        () => `${subject(random)} would ${zipf(random, VERBS_BASE)} to ${uniform(random, PLACES)} when the ${zipf(random, NOUNS)} was ${zipf(random, ADJECTIVES)}`
    ];
    return uniform(random, templates)();
}

function sentence(random: Random): string {
    let text = clause(random);
    if (random() < 0.4) text += `, ${zipf(random, CONJUNCTIONS)} ${clause(random)}`;
    if (random() < 0.15) text += `, which ${zipf(random, VERBS_PAST)} ${nounPhrase(random)}`;
    return `${capitalise(text)}${random() < 0.08 ? '!' : '.'}`;
}

function dialogue(random: Random): string {
    const speaker = uniform(random, NAMES);
    const said = zipf(random, ['said', 'asked', 'replied', 'cried', 'answered', 'whispered']);
    if (random() < 0.3) return `"Will you ${zipf(random, VERBS_BASE)} to ${uniform(random, PLACES)}?" ${said} ${speaker}.`;
    return `"${sentence(random).slice(0, -1)}," ${said} ${speaker}.`;
}

function paragraph(random: Random): string {
    const count = 2 + Math.floor(random() * 6);
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(random() < 0.2 ? dialogue(random) : sentence(random));
    return parts.join(' ');
}

/** Wraps a paragraph at `width` columns, the way plain-text books are laid out. */
function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(' ')) {
        if (current.length + word.length + 1 > width && current !== '') {
            lines.push(current);
            current = word;
        } else {
            current = current === '' ? word : `${current} ${word}`;
        }
    }
    if (current !== '') lines.push(current);
    return lines;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX'];

/** A book of roughly `targetBytes` bytes: a title, then chapters of wrapped paragraphs. */
export function generateBook(random: Random, title: string, targetBytes: number): string {
    const lines: string[] = [title.toUpperCase(), '', ''];
    let bytes = 0;
    let chapter = 0;
    while (bytes < targetBytes) {
        const heading = `CHAPTER ${ROMAN[chapter % ROMAN.length]}`;
        lines.push(heading, '');
        chapter++;
        const paragraphs = 20 + Math.floor(random() * 15);
        for (let p = 0; p < paragraphs && bytes < targetBytes; p++) {
            for (const line of wrap(paragraph(random), 72)) {
                lines.push(line);
                bytes += line.length + 1;
            }
            lines.push('');
        }
        lines.push('');
    }
    return lines.join('\n');
}
