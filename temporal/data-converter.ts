/** The one data converter shared by the API's client and the worker, so both sides read the same bytes. */
import type { DataConverter } from '@temporalio/common';
import type { KeyRing } from '../lib/crypto.js';
import { EncryptionCodec } from './codec.js';

export const getDataConverter = (ring: KeyRing): DataConverter => ({
  payloadCodecs: [new EncryptionCodec(ring)],
});
