/**
 * Facts about a whole pipeline: its execution mode, which sources and streams it uses, and who
 * reads each stream. Shared by the validator and the LogicalGraph builder.
 */
import type { Pipeline, Sink, Source, Stream, StreamRef } from '../generated/ast.js';
import { isJoinOp, isModeSetting, isParallelismSetting, isSink, isSource, isStream, isUnionOp } from '../generated/ast.js';
import type { SchemaInference } from './schema-inference.js';

/** Every stream reference inside a pipeline member (input, join right sides, union inputs, sink input). */
export function streamRefsOf(member: Stream | Sink): StreamRef[] {
    // Parts are missing from the AST of a file with syntax errors: skip them.
    if (isSink(member)) {
        return member.input ? [member.input] : [];
    }
    const refs = member.input ? [member.input] : [];
    for (const op of member.operators) {
        if (isJoinOp(op) && op.right) {
            refs.push(op.right);
        } else if (isUnionOp(op)) {
            refs.push(...op.others);
        }
    }
    return refs;
}

/** The sources (local and shared) a pipeline reads, in order of first use. */
export function sourcesUsedBy(pipeline: Pipeline): Source[] {
    const used: Source[] = pipeline.members.filter(isSource);
    for (const member of pipeline.members) {
        if (isStream(member) || isSink(member)) {
            for (const ref of streamRefsOf(member)) {
                const target = ref.stream?.ref;
                if (isSource(target) && !used.includes(target)) {
                    used.push(target);
                }
            }
        }
    }
    return used;
}

/** `mode` as written, else batch when every source is bounded, else streaming. */
export function pipelineMode(pipeline: Pipeline, inference: SchemaInference): 'batch' | 'streaming' {
    const explicit = pipeline.members.find(isModeSetting);
    if (explicit) {
        return explicit.mode;
    }
    return sourcesUsedBy(pipeline).every((s) => inference.schemaOfStream(s).bounded) ? 'batch' : 'streaming';
}

/** The pipeline's default parallelism (1 unless set). */
export function pipelineParallelism(pipeline: Pipeline): number {
    return pipeline.members.find(isParallelismSetting)?.value ?? 1;
}
