/**
 * A construct of a pipeline that Flink SQL cannot express with the meaning it has on the local
 * runtime. Thrown while translating an expression; the pipeline translator (translate-pipeline.ts)
 * turns it into a diagnostic at the location of the node that holds the expression, so nothing is
 * ever silently dropped or approximated.
 */
export class FlinkUnsupported extends Error {
    /**
     * @param construct what the user wrote, as they would recognise it (`split(s, "\\s+")`, `cast(... as string)` of a double)
     * @param reason why Flink cannot run it with the same meaning (a sentence)
     */
    constructor(readonly construct: string, readonly reason: string) {
        super(`${construct} cannot run on Flink: ${reason}`);
        this.name = 'FlinkUnsupported';
    }
}
