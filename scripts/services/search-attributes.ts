/**
 * Custom search attributes LuxLeads registers on the Temporal namespace (dev server, tests).
 * Names are part of the contract with the application (temporal/search-attributes.ts): keep them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Type names as the Temporal CLI spells them (`--search-attribute Name=Type`). */
export type CliSearchAttributeType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export const SEARCH_ATTRIBUTES = [
  ['LuxTenantId', 'Keyword'],
  ['LuxChannel', 'Keyword'],
  ['LuxConversationMode', 'Keyword'],
  ['LuxRequestKind', 'Keyword'],
  ['LuxRequestStatus', 'Keyword'],
  ['LuxRequestDueAt', 'Datetime'],
] as const satisfies readonly (readonly [string, CliSearchAttributeType])[];

export type SearchAttributeDef = readonly [name: string, type: CliSearchAttributeType];
export type LuxSearchAttributeName = (typeof SEARCH_ATTRIBUTES)[number][0];

export const CLI_TO_SDK_TYPE = {
  Text: SearchAttributeType.TEXT,
  Keyword: SearchAttributeType.KEYWORD,
  Int: SearchAttributeType.INT,
  Double: SearchAttributeType.DOUBLE,
  Bool: SearchAttributeType.BOOL,
  Datetime: SearchAttributeType.DATETIME,
  KeywordList: SearchAttributeType.KEYWORD_LIST,
} as const satisfies Record<CliSearchAttributeType, SearchAttributeType>;

/** The same list as SDK keys, e.g. for `createLocal({ server: { searchAttributes } })`. */
export const SEARCH_ATTRIBUTE_KEYS = SEARCH_ATTRIBUTES.map(([name, type]) =>
  defineSearchAttributeKey<SearchAttributeType>(name, CLI_TO_SDK_TYPE[type]),
);

/** `--search-attribute Name=Type` pairs for `temporal server start-dev`. */
export const searchAttributeArgs = (defs: readonly SearchAttributeDef[] = SEARCH_ATTRIBUTES): string[] =>
  defs.flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
