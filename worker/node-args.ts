/**
 * Node flags every worker process starts with (`npm start`, docker-compose, the benchmarks).
 *
 * V8 grows the main heap lazily up to a limit sized from the machine's memory, so an idle worker that once handled a
 * burst keeps hundreds of MB it no longer needs. Capping the old space at 192 MB makes it collect instead: measured
 * on 500 conversations with 100 cached workflows, RSS 365–380 MB instead of 450–540 MB, same replies/s
 * (bench/RESULTS.md, scale). Workflow state lives in the workflow threads, which this flag does not cap.
 */
export const WORKER_NODE_ARGS: readonly string[] = ['--max-old-space-size=192'];
