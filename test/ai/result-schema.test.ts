import { describe, expect, it } from 'vitest';
import { ASSISTANT_OUTPUT_RESPONSE_FORMAT, parseModelOutput, REPLY_MAX_CHARS } from '../../ai/result-schema.js';
import { samBookingOutput } from './fixtures.js';

type JsonSchemaNode = {
  type?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: unknown;
  anyOf?: JsonSchemaNode[];
};

/** OpenAI strict mode: every object lists all its properties as required and forbids extra ones. */
function assertStrictCompatible(node: JsonSchemaNode, path = '$'): void {
  if (node.properties) {
    expect(node.additionalProperties, `${path}.additionalProperties`).toBe(false);
    expect([...(node.required ?? [])].sort(), `${path}.required`).toEqual(Object.keys(node.properties).sort());
    for (const [key, child] of Object.entries(node.properties)) assertStrictCompatible(child, `${path}.${key}`);
  }
  for (const option of node.anyOf ?? []) assertStrictCompatible(option, path);
}

describe('ASSISTANT_OUTPUT_RESPONSE_FORMAT', () => {
  it('is a strict json_schema response format', () => {
    const { json_schema: spec } = ASSISTANT_OUTPUT_RESPONSE_FORMAT;
    expect(ASSISTANT_OUTPUT_RESPONSE_FORMAT.type).toBe('json_schema');
    expect(spec.strict).toBe(true);
    expect(spec.schema).not.toHaveProperty('$schema');
    assertStrictCompatible(spec.schema as JsonSchemaNode);
  });

  it('makes lead fields nullable rather than optional', () => {
    const lead = ((spec) => (spec.properties as Record<string, JsonSchemaNode>).lead)(
      ASSISTANT_OUTPUT_RESPONSE_FORMAT.json_schema.schema as JsonSchemaNode,
    );
    expect(lead?.properties?.phone?.type).toEqual(['string', 'null']);
  });
});

describe('parseModelOutput', () => {
  it('normalises phone to E.164 with the business country and keeps valid fields', () => {
    const result = parseModelOutput(JSON.stringify(samBookingOutput()), 'GB');
    expect(result.ok && result.value.lead).toEqual({ name: 'Sam', phone: '+447700900123', enquiry: 'Wants to book a consultation' });
  });

  it('lower-cases valid emails and drops invalid ones or invalid phones', () => {
    const good = parseModelOutput(
      JSON.stringify(samBookingOutput({ lead: { name: null, phone: '12', email: 'Sam@Example.COM', enquiry: null } })),
      'GB',
    );
    expect(good.ok && good.value.lead).toEqual({ email: 'sam@example.com' });
    const bad = parseModelOutput(
      JSON.stringify(samBookingOutput({ lead: { name: null, phone: null, email: 'sam at example', enquiry: null } })),
      'GB',
    );
    expect(bad.ok && bad.value.lead).toEqual({});
  });

  it('trims the reply to a sane length and tidies the enquiry type', () => {
    const result = parseModelOutput(
      JSON.stringify(samBookingOutput({ reply: `  ${'word '.repeat(400)}  `, enquiryType: 'Emergency Dental!' })),
      'GB',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.reply.length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
    expect(result.value.reply.endsWith('…')).toBe(true);
    expect(result.value.enquiryType).toBe('emergency_dental');
  });

  it('accepts JSON wrapped in a code fence', () => {
    expect(parseModelOutput('```json\n' + JSON.stringify(samBookingOutput()) + '\n```', 'GB').ok).toBe(true);
  });

  it.each([
    ['not JSON', 'Sure! Here is your answer'],
    ['empty', ''],
    ['missing fields', JSON.stringify({ reply: 'hi' })],
    ['bad enum', JSON.stringify(samBookingOutput({ urgency: 'critical' }))],
    ['blank reply', JSON.stringify(samBookingOutput({ reply: '   ' }))],
  ])('rejects %s', (_label, content) => {
    const result = parseModelOutput(content, 'GB');
    expect(result.ok).toBe(false);
  });
});
