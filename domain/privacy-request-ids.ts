/**
 * Privacy request ids and subject hashes: keyed hashes, so the same request delivered twice (Meta's redelivery, a
 * retried step, a chat message redelivered) gets the same id, and audit entries name the person only by a hash.
 * Made with the current key; lookups try every ring key, so neither a redelivery after ENCRYPTION_KEY rotated nor a
 * search for a person's earlier requests misses what an older key named.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../db/models/index.js';
import type { KeyRing } from '../lib/crypto.js';
import { allHashes, hashFor } from '../lib/keyed-hash.js';
import type { PrivacySubject } from './privacy-requests.js';

const firstIdentifier = (s: PrivacySubject) =>
  s.asid
    ? `asid:${s.asid}`
    : s.contacts?.[0]
      ? `${s.contacts[0].channel}:${s.contacts[0].contactId}`
      : s.email
        ? `email:${s.email.trim().toLowerCase()}`
        : s.phone
          ? `phone:${s.phone.replace(/[^\d]/g, '')}`
          : `lead:${s.leadIds?.[0] ?? ''}`;

/** The first identifier given, canonicalised, as a keyed hash: how audit entries name the person. */
export const subjectHashOf = (ring: KeyRing, s: PrivacySubject) => hashFor(ring, 'subject', firstIdentifier(s)).hex;

/** The subject hash under every ring key: what a search for a person's requests and audit entries must match. */
export const subjectHashesOf = (ring: KeyRing, s: PrivacySubject) => allHashes(ring, 'subject', firstIdentifier(s)).map((h) => h.hex);

/** Alphanumeric, so it is a valid Meta confirmation_code; 24 hex characters are unguessable enough for a status page. */
export const requestIdFor = (ring: KeyRing, dedupeKey: string) => hashFor(ring, 'request-id', `privacy-request:${dedupeKey}`, 24).hex;

/**
 * The id a deduplicated request already has under an older key, else the current key's: Meta redelivering a
 * callback after rotation must land on the request (and status code) it was given before.
 */
export const stableRequestId = async (models: Models, ring: KeyRing, dedupeKey: string) => {
  const [newest, ...older] = allHashes(ring, 'request-id', `privacy-request:${dedupeKey}`, 24).map((h) => h.hex);
  for (const id of older) if (await models.PrivacyRequest.exists({ _id: id })) return id;
  return newest!;
};

/** How long an access export's emailed download link works (once). */
export const EXPORT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What the request row keeps of an export link's token: its hash, never the token. */
export const exportLinkHashOf = (token: string) => createHash('sha256').update(`export-link:${token}`).digest('hex');
