/** Widget session ids are issued and signed by us, so a visitor cannot guess or invent another's session. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const createSessionIds = (secret: Buffer) => {
  const sign = (nonce: string) => createHmac('sha256', secret).update(`widget-session:${nonce}`).digest('base64url').slice(0, 22);
  return {
    issue: () => {
      const nonce = randomBytes(16).toString('base64url');
      return `ws_${nonce}.${sign(nonce)}`;
    },
    isValid: (id: string) => {
      const m = /^ws_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(id);
      if (!m) return false;
      const expected = Buffer.from(sign(m[1]!));
      const given = Buffer.from(m[2]!);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
};
export type SessionIds = ReturnType<typeof createSessionIds>;
