/**
 * Failure messages and stack traces reach Temporal's history sealed like every other payload: a provider's
 * refusal that quotes a customer's email address must not sit there in plain text.
 */
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { decodeFailure, encodeErrorToFailure } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers.js';
import { describe, expect, it } from 'vitest';
import { getDataConverter } from '../../temporal/data-converter.js';

const ring = [{ id: 'k1', key: randomBytes(32) }];
const SECRET = 'Meta refused: recipient jane.secret@example.com is not reachable';

const asText = (_k: string, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v);

describe('failure encoding', () => {
  it('moves message and stack into an encrypted payload, and reads them back with the key', async () => {
    const converter = getDataConverter(ring);
    const loaded = loadDataConverter(converter);
    // What the worker and client send to Temporal: converted, then run through the payload codecs.
    const failure = await encodeErrorToFailure(loaded, ApplicationFailure.retryable(SECRET, 'GraphRefused'));

    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace ?? '').toBe('');
    expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const stored = JSON.stringify(failure, asText);
    expect(stored).not.toContain('jane.secret@example.com');
    expect(failure.applicationFailureInfo?.type).toBe('GraphRefused'); // the type stays readable for ops

    const decoded = loaded.failureConverter.failureToError(await decodeFailure(converter.payloadCodecs!, failure), loaded.payloadConverter);
    expect(decoded.message).toBe(SECRET);
  });

  it('without the failure converter the message would be stored as is (the check above is not vacuous)', async () => {
    const plain = { payloadCodecs: getDataConverter(ring).payloadCodecs };
    const failure = await encodeErrorToFailure(loadDataConverter(plain), ApplicationFailure.retryable(SECRET));
    expect(failure.message).toBe(SECRET);
  });
});
