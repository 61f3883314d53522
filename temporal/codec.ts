/**
 * Encrypts every Temporal payload (inputs, signals, results, memos) with AES-256-GCM so message
 * text, personal data and tokens never sit in workflow history in plain text.
 */
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { decryptBytes, encryptBytes, type KeyRing } from '../lib/crypto.js';

// @temporalio/proto is CommonJS: plain Node only sees its default export.
const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish());
      const { keyId, data } = encryptBytes(this.ring, plain);
      return {
        metadata: { [METADATA_ENCODING_KEY]: encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encode(keyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      // Payloads written before encryption was switched on stay readable.
      if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = payload.metadata?.[KEY_ID_METADATA];
      if (!keyId || !payload.data) throw new Error('encrypted payload without key id or data');
      const plain = decryptBytes(this.ring, decode(keyId), Buffer.from(payload.data));
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
