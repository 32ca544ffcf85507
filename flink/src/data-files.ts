/**
 * Writes the data files a translated script reads (FlinkSqlScript.dataFiles: the rows of a
 * watermarked `values(...)` source), creating their folders, before the script is submitted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FlinkDataFile } from './sql/flink-sql-script.js';

export function writeFlinkDataFiles(files: readonly FlinkDataFile[]): void {
    for (const file of files) {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.contents);
    }
}
