import type { Connection } from 'mongoose';
import { apiKeyModel, membershipModel, sessionModel, userModel } from './account.js';
import { auditEntryModel } from './audit-entry.js';
import { businessModel } from './business.js';
import { channelModel } from './channel.js';
import { conversationModel } from './conversation.js';
import { leadEventModel } from './lead-event.js';
import { leadModel } from './lead.js';
import { messageModel } from './message.js';

export const createModels = (c: Connection) => ({
  Business: businessModel(c),
  Channel: channelModel(c),
  Conversation: conversationModel(c),
  Message: messageModel(c),
  Lead: leadModel(c),
  LeadEvent: leadEventModel(c),
  User: userModel(c),
  Membership: membershipModel(c),
  Session: sessionModel(c),
  ApiKey: apiKeyModel(c),
  AuditEntry: auditEntryModel(c),
});

export type Models = ReturnType<typeof createModels>;
