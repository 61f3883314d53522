/**
 * Workflow ids derive from business keys so redelivered events land on the same workflow.
 * The contact id is hashed: PSIDs and session ids stay out of the Temporal UI and its visibility store.
 */
import { createHash } from 'node:crypto';
import type { ConversationKey } from '../workflows/conversation-types.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export const conversationWorkflowId = (k: ConversationKey) => `conversation:${k.businessId}:${k.channel}:${digest(k.contactId)}`;
