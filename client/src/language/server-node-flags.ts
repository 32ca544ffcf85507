/**
 * The Node flags the language server process runs with (the extension starts it; the language
 * benchmark runs its builds under the same flags, so its figures are the server's).
 *
 * A larger young generation: a build allocates mostly short-lived parser and linker objects
 * next to the AST and CST it keeps. With Node's default semi-space (16 MB) a 10 K-line build
 * runs a scavenge every few milliseconds, each copying the live part of the tree built so far;
 * measured in the language benchmark (`npm run bench -- language`, docs/benchmarks.md), 32 MB
 * cuts the parse phase's CPU time by about a third for at most 48 MB more memory.
 */
export const LANGUAGE_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
