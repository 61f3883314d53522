/** A stored date (or epoch milliseconds) as an ISO string for an API view, `null` when there is none. */
export const isoOrNull = (d: Date | number | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();
