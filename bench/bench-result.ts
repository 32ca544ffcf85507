/** One measured figure of a benchmark workload. */
export interface BenchResult {
    /** The workload, e.g. `1 stateless filter-map-sum`. */
    workload: string;
    /** What was measured, e.g. `flowline p=1` or `hand-written loop`. */
    name: string;
    value: number;
    /** `rec/s`, `ms`, `MB`, ... */
    unit: string;
    /** value relative to `baseline` (higher is better for rates, as printed). */
    ratio?: number;
    /** The name of the figure the ratio is against, measured in the same process run. */
    baseline?: string;
    /** The target from the issue, as text, e.g. `>= 0.3 x hand loop`. */
    target?: string;
}

/** A benchmark module: bench/<name>.ts exports `run`. */
export interface BenchModule {
    run(): Promise<BenchResult[]>;
}
