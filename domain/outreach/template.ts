/**
 * Outreach templates: plain text with merge fields `{{company}}`, `{{contactName | there}}` (a fallback after the
 * bar when the prospect has no value). Unknown fields are refused when the campaign is saved, not at send time.
 */
export const MERGE_FIELDS = ['company', 'contactName', 'website', 'senderName'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeValues = Partial<Record<MergeField, string | null | undefined>>;

const FIELD = /\{\{\s*([A-Za-z]+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

export const unknownMergeFields = (template: string): string[] =>
  [...template.matchAll(FIELD)].map((m) => m[1]!).filter((f) => !(MERGE_FIELDS as readonly string[]).includes(f));

export const renderTemplate = (template: string, values: MergeValues): string =>
  template.replace(FIELD, (_all, field: string, fallback: string | undefined) => {
    const value = values[field as MergeField]?.trim();
    return value ? value : (fallback ?? '');
  });
