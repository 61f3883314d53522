/** Search attributes the workflows set, so ops can filter in the Temporal UI. Values are never personal data. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdAttr = defineSearchAttributeKey('LuxTenantId', SearchAttributeType.KEYWORD);
export const ChannelAttr = defineSearchAttributeKey('LuxChannel', SearchAttributeType.KEYWORD);
export const ConversationModeAttr = defineSearchAttributeKey('LuxConversationMode', SearchAttributeType.KEYWORD);
export const RequestKindAttr = defineSearchAttributeKey('LuxRequestKind', SearchAttributeType.KEYWORD);
export const RequestStatusAttr = defineSearchAttributeKey('LuxRequestStatus', SearchAttributeType.KEYWORD);
export const RequestDueAtAttr = defineSearchAttributeKey('LuxRequestDueAt', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [
  TenantIdAttr,
  ChannelAttr,
  ConversationModeAttr,
  RequestKindAttr,
  RequestStatusAttr,
  RequestDueAtAttr,
];
