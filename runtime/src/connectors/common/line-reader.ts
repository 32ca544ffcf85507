/** Reads a file as lines (LF or CRLF), with 1-based line numbers, without one promise per line. */
import type { ReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Yields arrays of [lineNumber, text] pairs as chunks arrive. */
export async function* readLines(stream: ReadStream): AsyncGenerator<{ lines: string[]; firstLine: number }> {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let lineNo = 1;
    for await (const chunk of stream) {
        const text = rest + decoder.write(chunk as Buffer);
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
        yield { lines, firstLine: lineNo };
        lineNo += lines.length;
    }
    rest += decoder.end();
    if (rest.endsWith('\r')) rest = rest.slice(0, -1);
    if (rest !== '') yield { lines: [rest], firstLine: lineNo };
}
