/** The privacy emails: the confirmation link of a deletion request made on the public form, and the deadline reminder. */
import { renderEmail, type RenderedEmail } from './layout.js';

export const deletionConfirmationEmail = (f: { email: string; link: string }): RenderedEmail =>
  renderEmail({
    template: 'deletion_confirmation',
    subject: 'Confirm your data deletion request',
    sections: [
      {
        paragraphs: [`Someone asked for the data held about ${f.email} to be deleted. If that was you, confirm within 24 hours:`],
        link: { label: 'Confirm the deletion', url: f.link },
      },
      { paragraphs: ['If it was not you, ignore this email; nothing will be deleted.'] },
    ],
  });

export type PrivacyReminderFacts = {
  requestId: string;
  kind: string;
  receivedAt: number;
  dueAt: number;
  currentStep?: string;
  statusUrl: string;
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** To the compliance inbox: what is due when, and where to look. */
export const privacyReminderEmail = (f: PrivacyReminderFacts): RenderedEmail =>
  renderEmail({
    template: 'privacy_reminder',
    subject: `Reminder: privacy request ${f.requestId} is due ${isoDay(f.dueAt)}`,
    sections: [
      {
        paragraphs: [`Privacy request ${f.requestId} (${f.kind}) is not complete yet.`],
        rows: [
          ['Received', new Date(f.receivedAt).toISOString()],
          ['Due', new Date(f.dueAt).toISOString()],
          ['Waiting on step', f.currentStep ?? 'starting'],
        ],
        link: { label: 'Status page', url: f.statusUrl },
      },
      {
        paragraphs: [
          `Temporal UI: search LuxRequestStatus = 'in_progress' AND LuxRequestKind = '${f.kind}', then look at the pending activity's last failure.`,
        ],
      },
    ],
  });
