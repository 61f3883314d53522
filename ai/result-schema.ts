// What the MODEL must return, as a zod schema (for validation) and as JSON Schema (for OpenAI's strict
// structured outputs, which require every property to be listed as required and additionalProperties:false —
// hence nullable instead of optional, and no minLength/format keywords the strict mode rejects).
import { z } from 'zod';
import { ENQUIRY_MAX_CHARS, normaliseEmail } from './extract.js';
import { normalisePhone } from './phone.js';
import { truncateAtWord, truncateKeepingLines } from './text.js';
import { type LeadFields, type SpecialistKind, type Urgency } from './types.js';

export const REPLY_MAX_CHARS = 1000; // Instagram's per-message limit; Messenger allows 2000

export const AssistantOutputSchema = z.object({
  reply: z.string().describe('The chat message to send to the customer.'),
  lead: z.object({
    name: z.string().nullable().describe("Customer's name if they gave it, else null."),
    phone: z.string().nullable().describe('Phone number exactly as the customer wrote it, else null.'),
    email: z.string().nullable().describe('Email address the customer gave, else null.'),
    enquiry: z.string().nullable().describe('One-line summary of what the customer wants, else null.'),
  }),
  enquiryType: z.string().describe('Short snake_case label, e.g. booking, pricing, quote, complaint, general_question.'),
  urgency: z.enum(['low', 'normal', 'high', 'emergency']),
  specialist: z.enum(['none', 'medical', 'legal', 'financial', 'emergency', 'other_regulated']),
  needsHuman: z.boolean(),
  humanReason: z.enum(['requested', 'specialist', 'emergency', 'unsure']).nullable(),
  wantsHuman: z.boolean(),
  wantsBooking: z.boolean(),
  wantsDeletion: z.boolean(),
  wantsStop: z.boolean(),
});

export type AssistantOutput = z.infer<typeof AssistantOutputSchema>;

const jsonSchema = z.toJSONSchema(AssistantOutputSchema) as Record<string, unknown>;
delete jsonSchema.$schema; // OpenAI wants the bare schema object

export const ASSISTANT_OUTPUT_RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: { name: 'assistant_output', strict: true, schema: jsonSchema },
} as const;

/** Model output after our own validation: lead fields checked and normalised, reply trimmed. */
export type SanitisedModelOutput = Omit<AssistantOutput, 'lead' | 'enquiryType'> & {
  lead: LeadFields;
  enquiryType: string;
  urgency: Urgency;
  specialist: SpecialistKind;
};

export type ParseResult = { ok: true; value: SanitisedModelOutput } | { ok: false; error: string };

function sanitiseEnquiryType(raw: string): string {
  const label = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return label || 'other';
}

/** Parses and validates raw model content. Never throws: the caller decides whether to retry. */
export function parseModelOutput(content: string | null | undefined, country: string): ParseResult {
  if (!content?.trim()) return { ok: false, error: 'empty response' };
  let json: unknown;
  try {
    json = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch (err) {
    return { ok: false, error: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = AssistantOutputSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error).slice(0, 500) };
  const output = parsed.data;
  const reply = truncateKeepingLines(output.reply, REPLY_MAX_CHARS);
  if (!reply) return { ok: false, error: 'reply is empty' };
  const lead: LeadFields = {};
  const name = output.lead.name?.trim();
  if (name && name.length <= 80) lead.name = name;
  const phone = output.lead.phone ? normalisePhone(output.lead.phone, country) : undefined;
  if (phone) lead.phone = phone;
  const email = output.lead.email ? normaliseEmail(output.lead.email) : undefined;
  if (email) lead.email = email;
  const enquiry = output.lead.enquiry?.trim();
  if (enquiry) lead.enquiry = truncateAtWord(enquiry, ENQUIRY_MAX_CHARS);
  return { ok: true, value: { ...output, reply, lead, enquiryType: sanitiseEnquiryType(output.enquiryType) } };
}
