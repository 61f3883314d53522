import type { Connection } from 'mongoose';
import { accountTokenModel, apiKeyModel, loginThrottleModel, membershipModel, sessionModel, userModel } from './account.js';
import { auditEntryModel } from './audit-entry.js';
import { businessAlertModel } from './business-alert.js';
import { billingAccountModel, billingUsageMarkModel, billingUsageModel, stripeEventModel } from './billing.js';
import { businessModel } from './business.js';
import { emailSendModel } from './email-send.js';
import { channelModel } from './channel.js';
import { conversationModel } from './conversation.js';
import { leadEventModel } from './lead-event.js';
import { leadWebhookModel, webhookDeliveryModel } from './lead-webhook.js';
import { leadModel } from './lead.js';
import { messageModel } from './message.js';
import { notificationModel } from './notification.js';
import { pendingMetaConnectionModel, usedOAuthNonceModel } from './meta-connection.js';
import { privacyRequestModel } from './privacy-request.js';
import { privacyTombstoneModel } from './privacy-tombstone.js';
import {
  outreachCampaignModel,
  outreachEnrollmentModel,
  outreachImportModel,
  outreachProspectModel,
  outreachSendModel,
  outreachSendSlotModel,
  outreachSuppressionModel,
} from './outreach.js';

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
  AccountToken: accountTokenModel(c),
  LoginThrottle: loginThrottleModel(c),
  AuditEntry: auditEntryModel(c),
  BusinessAlert: businessAlertModel(c),
  UsedOAuthNonce: usedOAuthNonceModel(c),
  PendingMetaConnection: pendingMetaConnectionModel(c),
  PrivacyRequest: privacyRequestModel(c),
  PrivacyTombstone: privacyTombstoneModel(c),
  Notification: notificationModel(c),
  LeadWebhook: leadWebhookModel(c),
  WebhookDelivery: webhookDeliveryModel(c),
  BillingAccount: billingAccountModel(c),
  BillingUsage: billingUsageModel(c),
  BillingUsageMark: billingUsageMarkModel(c),
  StripeEvent: stripeEventModel(c),
  EmailSend: emailSendModel(c),
  OutreachProspect: outreachProspectModel(c),
  OutreachCampaign: outreachCampaignModel(c),
  OutreachEnrollment: outreachEnrollmentModel(c),
  OutreachSend: outreachSendModel(c),
  OutreachSuppression: outreachSuppressionModel(c),
  OutreachSendSlot: outreachSendSlotModel(c),
  OutreachImport: outreachImportModel(c),
});

export type Models = ReturnType<typeof createModels>;
