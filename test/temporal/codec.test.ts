import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../temporal/codec.js';

describe('EncryptionCodec', () => {
  it('encrypts payloads so their content is unreadable, and decodes them back', async () => {
    const codec = new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]);
    const payload = defaultPayloadConverter.toPayload({ text: 'my number is 07700 900123' });
    const [encoded] = await codec.encode([payload]);
    expect(new TextDecoder().decode(encoded!.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
    expect(new TextDecoder().decode(encoded!.metadata!['encryption-key-id']!)).toBe('k1');
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toContain('07700');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ text: 'my number is 07700 900123' });
  });
  it('passes through payloads written before encryption was on', async () => {
    const codec = new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]);
    const plain = defaultPayloadConverter.toPayload('hello');
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});
