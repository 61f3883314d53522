/** Registers our search attributes on a namespace (kept out of workflow code: it pulls in the gRPC protos). */
import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes.js';

// @temporalio/proto is CommonJS: plain Node only sees its default export.
const { temporal } = proto;

const INDEXED_TYPE = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as Record<string, number>;

/**
 * Makes sure our search attributes exist on the namespace. Safe to repeat; on Temporal Cloud they are
 * created in the Cloud UI instead and this call is refused, which the caller logs and carries on from.
 */
export const registerSearchAttributes = async (connection: Connection, namespace: string): Promise<void> => {
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch {
    // The time-skipping test server cannot list them; adding is still supported there.
  }
  const missing = ALL_SEARCH_ATTRIBUTES.filter((a) => !(a.name in existing));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((a) => [a.name, INDEXED_TYPE[a.type]!])),
    });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
};
