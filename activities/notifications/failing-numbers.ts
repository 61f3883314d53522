/** A business WhatsApp number Meta cannot deliver to: marked failing (no more sends) and the owner told by email. */
import type { ActivityDeps } from '../deps.js';
import { numberFailingEmail } from '../../domain/emails/index.js';
import type { createNotificationSender } from './send.js';

const REASONS: Record<number, string> = {
  131026: 'the number is not on WhatsApp, or cannot receive messages from businesses',
  100: 'Meta does not accept it as a phone number',
  131009: 'Meta does not accept it as a phone number',
};

export const describeNumberError = (code?: number) => `${code ?? 'unknown'}: ${REASONS[code ?? 0] ?? 'Meta refused to deliver to it'}`;

export const markNumberFailing = async (deps: ActivityDeps, businessId: string, number: string, errorCode?: number) => {
  const business = await deps.models.Business.findById(businessId, { notifyWhatsapp: 1 }).lean();
  const index = business?.notifyWhatsapp.findIndex((t) => t.number === number) ?? -1;
  if (index < 0) return;
  // Positional `$` is not available on FerretDB; the index is pinned by also matching the number there.
  await deps.models.Business.updateOne(
    { _id: businessId, [`notifyWhatsapp.${index}.number`]: number },
    { $set: { [`notifyWhatsapp.${index}.status`]: 'failing', [`notifyWhatsapp.${index}.lastError`]: describeNumberError(errorCode) } },
  );
  deps.log.warn({ businessId, errorCode }, 'business WhatsApp number marked failing');
};

/** Keyed by the event that found the problem, so a retry never mails twice. */
export const alertNumberFailing = async (
  sender: ReturnType<typeof createNotificationSender>,
  business: { _id: string; name: string; notifyEmails: string[] },
  eventId: string,
  number: string,
  errorCode?: number,
) => {
  const email = numberFailingEmail(business.name, number, describeNumberError(errorCode));
  return sender.emailEach(
    `${eventId}:number_failing:${number}`,
    { businessId: business._id, kind: 'number_failing', eventId },
    business.notifyEmails,
    email,
  );
};
