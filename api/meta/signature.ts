/** Verifies X-Hub-Signature-256 over the exact raw bytes Meta sent (never a re-serialised body). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const verifyMetaSignature = (rawBody: Buffer, header: string | undefined, appSecret: string): boolean => {
  if (!header || !header.startsWith('sha256=')) return false;
  const given = header.slice('sha256='.length).trim();
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
};

export const signMetaBody = (rawBody: string | Buffer, appSecret: string) =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
