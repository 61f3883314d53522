/** Search attributes the workflows set, so ops can filter in the Temporal UI. Values are never personal data. */
import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const TenantIdAttr = defineSearchAttributeKey('LuxTenantId', SearchAttributeType.KEYWORD);
export const ChannelAttr = defineSearchAttributeKey('LuxChannel', SearchAttributeType.KEYWORD);
export const ConversationModeAttr = defineSearchAttributeKey('LuxConversationMode', SearchAttributeType.KEYWORD);
export const RequestKindAttr = defineSearchAttributeKey('LuxRequestKind', SearchAttributeType.KEYWORD);
export const RequestStatusAttr = defineSearchAttributeKey('LuxRequestStatus', SearchAttributeType.KEYWORD);
export const RequestDueAtAttr = defineSearchAttributeKey('LuxRequestDueAt', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [TenantIdAttr, ChannelAttr, ConversationModeAttr, RequestKindAttr, RequestStatusAttr, RequestDueAtAttr];

const INDEXED_TYPE = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as Record<string, temporal.api.enums.v1.IndexedValueType>;

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
