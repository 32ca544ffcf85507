/**
 * `flowline graph <file> [--pipeline NAME] [--format json|dot|mermaid]`: prints the LogicalGraph.
 */
import { Option, type Command } from 'commander';
import { renderDot } from '../graph-formats/render-dot.js';
import { renderMermaid } from '../graph-formats/render-mermaid.js';
import { requireFile, UsageError } from '../usage-error.js';

export function registerGraphCommand(program: Command): void {
    program.command('graph')
        .description('Print the LogicalGraph of the pipelines in a .flow file (the graph the runtime executes).')
        .argument('<file>', 'a .flow file')
        .option('--pipeline <name>', 'only this pipeline (default: every pipeline in the file)')
        .addHelpText('after', '\nExit codes: 0 printed, 1 the file has errors or no pipeline, 2 usage error (a missing file, an unknown --pipeline).')
        .addOption(new Option('--format <format>', 'output format').choices(['json', 'dot', 'mermaid']).default('json'))
        .action(async (file: string, options: { pipeline?: string; format: 'json' | 'dot' | 'mermaid' }) => {
            // Loaded on use, so commands that do not need the language start faster.
            const { loadLogicalGraphs, UnknownPipelineError } = await import('../../../language/src/graph/load-logical-graphs.js');
            requireFile(file);
            const { graphs } = await loadLogicalGraphs(file, options.pipeline).catch((error: unknown) => {
                throw error instanceof UnknownPipelineError ? new UsageError(error.message) : error;
            });
            if (options.format === 'json') {
                // One pipeline prints one graph object; several print an array.
                console.log(JSON.stringify(options.pipeline || graphs.length === 1 ? graphs[0] : graphs, null, 2));
                return;
            }
            const render = options.format === 'dot' ? renderDot : renderMermaid;
            console.log(graphs.map(render).join('\n\n'));
        });
}
