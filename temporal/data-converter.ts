/** The one data converter shared by the API's client and the worker, so both sides read the same bytes. */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { KeyRing } from '../lib/crypto.js';
import { EncryptionCodec } from './codec.js';

/** Failure messages and stack traces go into an encrypted payload too (see the file for why). */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

export const getDataConverter = (ring: KeyRing): DataConverter => ({
  payloadCodecs: [new EncryptionCodec(ring)],
  failureConverterPath,
});
