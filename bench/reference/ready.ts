/** The line the reference worker prints once it polls its task queue (no Temporal imports: the benchmark reads it). */
export const REFERENCE_READY = 'reference worker running';
