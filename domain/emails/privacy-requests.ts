/**
 * The emails of a rights request made by the person themselves (the public form): the verification link, the
 * receipt with its deadline, the completion (an access request's download link with it), and the day-30 escalation
 * to the compliance inbox. The deletion form's own confirmation and the day-21 reminder are in privacy.ts.
 */
import type { PrivacyRequestKind } from '../privacy-requests.js';
import { renderEmail, type RenderedEmail } from './layout.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What each kind asks, in the person's words. */
export const REQUEST_KIND_TEXT: Record<PrivacyRequestKind, string> = {
  access: 'a copy of the data held about you',
  correction: 'the correction of the data held about you',
  deletion: 'the deletion of the data held about you',
  restriction: 'the restriction of the processing of your data',
  objection: 'your objection to the processing of your data',
};

export const privacyRequestVerificationEmail = (f: { kind: PrivacyRequestKind; email: string; link: string; validHours: number }) =>
  renderEmail({
    template: 'privacy_request_verification',
    subject: 'Confirm your data request',
    sections: [
      {
        paragraphs: [
          `Someone used our form to ask, for ${f.email}, for ${REQUEST_KIND_TEXT[f.kind]}. If that was you, confirm within ${f.validHours} hours:`,
        ],
        link: { label: 'Confirm the request', url: f.link },
      },
      { paragraphs: ['If it was not you, ignore this email; nothing will happen.'] },
    ],
  });

export const privacyRequestReceivedEmail = (f: {
  kind: PrivacyRequestKind;
  requestId: string;
  receivedAt: number;
  dueAt: number;
  statusUrl: string;
}): RenderedEmail =>
  renderEmail({
    template: 'privacy_request_received',
    subject: `We received your data request (${f.requestId})`,
    sections: [
      {
        paragraphs: [`We have received your request for ${REQUEST_KIND_TEXT[f.kind]}.`],
        rows: [
          ['Confirmation code', f.requestId],
          ['Received', day(f.receivedAt)],
          ['We answer by', day(f.dueAt)],
        ],
        link: { label: 'Follow your request', url: f.statusUrl },
      },
    ],
  });

export const privacyRequestCompletedEmail = (f: {
  kind: PrivacyRequestKind;
  requestId: string;
  statusUrl: string;
  /** Access requests: the download page of the export, and when it stops working. */
  download?: { url: string; expiresAt: number };
}): RenderedEmail =>
  renderEmail({
    template: 'privacy_request_completed',
    subject: `Your data request is complete (${f.requestId})`,
    sections: [
      {
        paragraphs: [`Your request for ${REQUEST_KIND_TEXT[f.kind]} is complete.`],
        rows: [['Confirmation code', f.requestId]],
        link: { label: 'Request status', url: f.statusUrl },
      },
      ...(f.download
        ? [
            {
              paragraphs: [
                `Download your data (a JSON file) from this link. It works once, until ${new Date(f.download.expiresAt).toUTCString()}; do not forward it.`,
              ],
              link: { label: 'Download my data', url: f.download.url },
            },
          ]
        : []),
    ],
  });

/** To the compliance inbox at day 30: the deadline has passed. */
export const privacyRequestOverdueEmail = (f: {
  requestId: string;
  kind: PrivacyRequestKind;
  receivedAt: number;
  dueAt: number;
  currentStep?: string;
  statusUrl: string;
}): RenderedEmail =>
  renderEmail({
    template: 'privacy_request_overdue',
    subject: `Overdue: privacy request ${f.requestId} was due ${day(f.dueAt)}`,
    sections: [
      {
        paragraphs: [`Privacy request ${f.requestId} (${f.kind}) has passed its deadline and is not complete.`],
        rows: [
          ['Received', new Date(f.receivedAt).toISOString()],
          ['Due', new Date(f.dueAt).toISOString()],
          ['Waiting on step', f.currentStep ?? 'starting'],
        ],
        link: { label: 'Status page', url: f.statusUrl },
      },
    ],
  });
