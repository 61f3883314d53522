/**
 * Workflow ids derive from business keys so redelivered events land on the same workflow.
 * The contact id is a keyed hash (lib/keyed-hash.ts): PSIDs and session ids stay out of the Temporal UI and its
 * visibility store, and cannot be recovered by hashing candidate ids. The id names the key it was made with
 * (`conversation:<business>:<channel>:<keyId>.<hmac>`): after ENCRYPTION_KEY rotates, a thread started under
 * an older key keeps its id, found by trying every key's form (api/conversations/thread-ids.ts).
 */
import type { KeyRing } from '../lib/crypto.js';
import { allHashes, hashFor, type KeyedHash } from '../lib/keyed-hash.js';
import type { ConversationKey } from './conversation.js';

const idOf = (k: ConversationKey, h: KeyedHash) => `conversation:${k.businessId}:${k.channel}:${h.keyId}.${h.hex}`;
// Business and channel are hashed too: the same widget session on two businesses gives unrelated ids.
const hashed = (k: ConversationKey) => `${k.businessId}|${k.channel}|${k.contactId}`;

/** The id a new thread gets: hashed with the current key. */
export const conversationWorkflowId = (ring: KeyRing, k: ConversationKey) => idOf(k, hashFor(ring, 'conversation-id', hashed(k)));

/** Every id this thread may have, one per ring key, current first. */
export const conversationWorkflowIds = (ring: KeyRing, k: ConversationKey) =>
  allHashes(ring, 'conversation-id', hashed(k)).map((h) => idOf(k, h));
