/**
 * The folder of a record in a partitioned file sink (`partitioned by dt, hm`): one `name=value`
 * folder per partition field, in order (`dt=2015-07-15/hm=10-00`), named as Flink's filesystem
 * sink names them: a value's characters that cannot stand in a path (`/`, `:`, `=`, `%`, ...) are
 * escaped as `%XX` (PartitionPathUtils.escapePathName), and a null or blank value is the default
 * partition `__DEFAULT_PARTITION__`.
 */
import type { Row } from '../../operators/operator.js';

/** Flink's name for the partition of null or blank values ('partition.default-name'). */
export const DEFAULT_PARTITION = '__DEFAULT_PARTITION__';

/** The characters Flink escapes in a partition value (PartitionPathUtils.CHAR_TO_ESCAPE): control characters 1-31 too. */
const ESCAPED_SIGNS = /["#%'*/:=?\\\u007F{[\]^]/;

function escapes(c: string): boolean {
    const code = c.charCodeAt(0);
    return (code >= 1 && code <= 31) || ESCAPED_SIGNS.test(c);
}

/** A partition value as a path segment, as Flink writes it. */
export function escapePartitionValue(value: unknown): string {
    const text = value === null || value === undefined ? '' : String(value);
    if (text.trim() === '') return DEFAULT_PARTITION;
    let escaped = '';
    for (const c of text) escaped += escapes(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c;
    return escaped;
}

/** The relative folder of `row`'s partition: `dt=2015-07-15/hm=10-00`. */
export function partitionFolder(fields: readonly string[], row: Row): string {
    let folder = '';
    for (let i = 0; i < fields.length; i++) {
        if (i > 0) folder += '/';
        folder += `${fields[i]}=${escapePartitionValue(row[fields[i]])}`;
    }
    return folder;
}

/**
 * partitionFolder for a stream of records, remembering the last record's partition values: records
 * come in time order, so runs of them share a partition (q10: a minute's bids), and the folder is
 * built (and its values escaped) once per run instead of once per record.
 */
export class PartitionFolders {
    private readonly last: unknown[];
    private lastFolder: string | undefined;

    constructor(private readonly fields: readonly string[]) {
        this.last = fields.map(() => undefined);
    }

    folderOf(row: Row): string {
        const fields = this.fields;
        let same = this.lastFolder !== undefined;
        for (let i = 0; i < fields.length && same; i++) same = row[fields[i]] === this.last[i];
        if (same) return this.lastFolder!;
        for (let i = 0; i < fields.length; i++) this.last[i] = row[fields[i]];
        this.lastFolder = partitionFolder(fields, row);
        return this.lastFolder;
    }
}
