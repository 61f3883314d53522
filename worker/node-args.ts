/**
 * Node flags every worker process starts with (`npm start`, docker-compose, the benchmarks).
 *
 * V8 grows the main heap lazily up to a limit sized from the machine's memory, so an idle worker that once handled a
 * burst keeps hundreds of MB it no longer needs. Capping the old space at 192 MB makes it collect instead: measured
 * on 500 conversations with 100 cached workflows, RSS 365–380 MB instead of 450–540 MB, same replies/s
 * (bench/RESULTS.md, scale). Workflow state lives in the workflow threads, which this flag does not cap.
 */
export const WORKER_NODE_ARGS: readonly string[] = ['--max-old-space-size=192'];

/**
 * Environment every worker process starts with, under what the operator sets. glibc gives each thread that allocates
 * concurrently its own malloc arena (up to 8 per core), and memory freed in an arena stays resident: the worker's
 * Rust core threads and its workflow thread spread small allocations over many of them. Two arenas measured on the
 * scale benchmark, back to back (2,500 conversations, then 600 of them replayed): peak RSS 373 MB instead of 405 MB,
 * idle 368 instead of 397, at the same pace (2,500 opened in 206 s against 210 s). Ignored by other C libraries.
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** A worker process's environment: WORKER_PROCESS_ENV under `env`, so an operator's own value wins. */
export const workerProcessEnv = <E extends Record<string, string | undefined>>(env: E) => ({ ...WORKER_PROCESS_ENV, ...env });
