/**
 * "A customer is still waiting for a person": sent once per messaging window, about 4 h before Meta's 24 h
 * standard window closes, by email and WhatsApp (free-form text when the owner's own WhatsApp window is open,
 * the approved template otherwise). Never sent once a person has replied.
 */
import { safeTimeZone } from '../../ai/zoned-time.js';
import { findConversation } from '../../domain/conversation-records.js';
import { WhatsAppError } from '../../integrations/whatsapp.js';
import type { ActivityDeps } from '../deps.js';
import { windowReminderEmail } from '../../domain/emails/index.js';
import { leadFactsOf, templateParams } from './content.js';
import { dashboardConversationUrl, dashboardLeadUrl } from './deps.js';
import { alertNumberFailing, markNumberFailing } from './failing-numbers.js';
import { createNotificationSender, throwIfRetryable, type SendOutcome } from './send.js';

export type WindowReminderInput = { conversationId: string; businessId: string; windowExpiresAt: number; waitingSince: number; at: number };
export type WindowReminderResult = { sent: boolean; why?: 'conversation_gone' | 'human_replied' | 'window_closed' };

const hoursAndMinutes = (ms: number) => {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
};

export const createWindowReminderActivities = (deps: ActivityDeps) => {
  const { models } = deps;
  const sender = createNotificationSender(deps);

  return {
    async sendWindowReminder(input: WindowReminderInput): Promise<WindowReminderResult> {
      const conv = await findConversation(models, input.conversationId);
      const business = await models.Business.findById(input.businessId).lean();
      if (!conv || !business) return { sent: false, why: 'conversation_gone' };
      // A reply from the dashboard or Meta Business Suite answers the customer; no reminder needed.
      const humanReplied = await models.Message.exists({
        conversationId: conv._id,
        direction: 'outbound',
        author: 'human',
        at: { $gte: new Date(input.waitingSince) },
      });
      if (humanReplied) return { sent: false, why: 'human_replied' };
      if (input.at >= input.windowExpiresAt) return { sent: false, why: 'window_closed' };

      const lead = conv.leadId ? await models.Lead.findById(conv.leadId).lean() : null;
      const link = lead ? dashboardLeadUrl(sender.notify, lead._id) : dashboardConversationUrl(sender.notify, conv._id);
      const facts = leadFactsOf(lead ?? { _id: conv._id, channel: conv.channel, enquiry: 'Customer waiting for a reply' }, link);
      const remaining = hoursAndMinutes(input.windowExpiresAt - input.at);
      const until = new Date(input.windowExpiresAt).toLocaleString('en-GB', {
        timeZone: safeTimeZone(business.timezone),
        dateStyle: 'medium',
        timeStyle: 'short',
      });
      const sentence = `${facts.name} on ${facts.channel} is waiting for a person to reply. You can still reply normally for about ${remaining} (until ${until}, ${business.timezone}).`;
      const humanAgent =
        "After that, Messenger and Instagram still let a person (not the assistant) reply for up to 7 days after the customer's last message, using the Human Agent tag; LuxLeads does this for you when you reply from the dashboard.";

      const key = `window_reminder:${conv._id}:${input.windowExpiresAt}`;
      const base = { businessId: business._id, kind: 'window_reminder', leadId: lead?._id, conversationId: conv._id };
      const outcomes: SendOutcome[] = [];
      for (const target of business.notifyWhatsapp.filter((t) => t.status === 'ok')) {
        const outcome = await sender.whatsappOnce(key, base, target.number, async (wa) => {
          try {
            return await wa.client.sendText(target.number, `LuxLeads reminder for ${business.name}: ${sentence} Open: ${link}`);
          } catch (err) {
            // Free-form text needs the owner's own 24 h WhatsApp window; the approved template works any time.
            if (!(err instanceof WhatsAppError && err.kind === 'window_closed')) throw err;
            return wa.client.sendTemplate(target.number, {
              name: wa.templateName,
              language: wa.templateLanguage,
              bodyParams: templateParams(business.name, facts, `Waiting for a reply, ${remaining} left in the 24 h window`),
            });
          }
        });
        if (outcome.reason === 'invalid_number' && outcome.status === 'failed') {
          await markNumberFailing(deps, business._id, target.number, outcome.errorCode);
          outcomes.push(...(await alertNumberFailing(sender, business, key, target.number, outcome.errorCode)));
        }
        outcomes.push(outcome);
      }
      const email = windowReminderEmail(facts, { waiting: sentence, humanAgent });
      outcomes.push(...(await sender.emailEach(key, base, business.notifyEmails, email)));
      throwIfRetryable(outcomes);
      return { sent: outcomes.some((o) => o.status === 'sent') };
    },
  };
};
