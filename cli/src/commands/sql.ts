/**
 * `flowline sql <file> [--pipeline NAME] [--no-data-files]`: prints the Flink SQL script of each
 * pipeline and writes the data files it reads (watermarked values). A
 * construct Flink cannot run is reported on stderr as `file:line:column: error CODE: message`
 * and the command exits 1 without printing any script (so nothing unrunnable is piped on).
 */
import type { Command } from 'commander';
import { flinkDiagnosticLine } from '../run/flink-diagnostic-line.js';
import { requireFile, UsageError } from '../usage-error.js';

export function registerSqlCommand(program: Command): void {
    program.command('sql')
        .description('Print the Flink SQL script of the pipelines in a .flow file (what `flowline submit` sends to Flink).')
        .argument('<file>', 'a .flow file')
        .option('--pipeline <name>', 'only this pipeline (default: every pipeline in the file, each script headed by a comment naming it)')
        .option('--no-data-files', 'do not write the data files the script reads (the rows of watermarked values(...) sources); their paths are still in the script')
        .addHelpText('after', [
            '',
            'Constructs Flink cannot run (a TypeScript user function, onError skip/deadLetter, a late side output, ...)',
            'are printed on stderr as file:line:column: error CODE: message, and then no script is printed.',
            '',
            'A values(...) source with a watermark is read by Flink from a JSON-lines data file (Flink declares',
            'watermarks on tables only): the script names it in a comment line at its head, and flowline sql',
            'writes it (under .flowline/flink/<pipeline>/ beside the .flow file) so the script runs as printed.',
            'Comment lines starting with "-- Note" say what Flink runs differently from the pipeline (e.g. an',
            'operator\'s parallelism, which Flink SQL cannot set).',
            '',
            'Exit codes:',
            '  0  printed',
            '  1  the file has errors, or a pipeline uses something Flink cannot run',
            '  2  usage error (a missing file, an unknown --pipeline)'
        ].join('\n'))
        .action(async (file: string, options: { pipeline?: string; dataFiles: boolean }) => {
            // Loaded on use, so commands that do not need the language start faster.
            const { loadLogicalGraphs, UnknownPipelineError } = await import('../../../language/src/graph/load-logical-graphs.js');
            const { translatePipeline } = await import('../../../flink/src/sql/translate-pipeline.js');
            const { readCsvHeader } = await import('../../../flink/src/sql/csv-header.js');
            requireFile(file);
            const { graphs } = await loadLogicalGraphs(file, options.pipeline).catch((error: unknown) => {
                throw error instanceof UnknownPipelineError ? new UsageError(error.message) : error;
            });
            const scripts = graphs.map((graph) => ({ graph, result: translatePipeline(graph, { csvHeader: readCsvHeader }) }));
            // A source imported by several pipelines is reported once.
            const seen = new Set<string>();
            const diagnostics = scripts.flatMap((s) => s.result.diagnostics).filter((d) => {
                const key = `${d.location.uri}:${d.location.range.start.line}:${d.location.range.start.character}:${d.code}:${d.message}`;
                return !seen.has(key) && seen.add(key) !== undefined;
            });
            if (diagnostics.length > 0) {
                const sorted = [...diagnostics].sort((a, b) => a.location.range.start.line - b.location.range.start.line
                    || a.location.range.start.character - b.location.range.start.character);
                for (const d of sorted) console.error(flinkDiagnosticLine(d));
                console.error(`${diagnostics.length} construct${diagnostics.length === 1 ? '' : 's'} cannot run on Flink: no SQL printed.`);
                process.exitCode = 1;
                return;
            }
            if (options.dataFiles) {
                const { writeFlinkDataFiles } = await import('../../../flink/src/data-files.js');
                for (const s of scripts) writeFlinkDataFiles(s.result.dataFiles);
            }
            const several = scripts.length > 1;
            console.log(scripts.map((s) => (several ? `-- Pipeline ${s.graph.pipeline}\n` : '') + s.result.script).join('\n'));
        });
}
