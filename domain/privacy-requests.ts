/** Contract types shared by the privacy request workflows, their activities and the API that starts them. */
import type { RetryPolicy } from '@temporalio/common';
import type { ConversationChannel } from './conversation.js';

export type PrivacyRequestKind = 'deletion' | 'access' | 'correction' | 'restriction' | 'objection';
export type PrivacyRequestStatus = 'received' | 'in_progress' | 'completed' | 'overdue';
export type PrivacyRequestSource = 'meta_callback' | 'chat' | 'form' | 'business' | 'compliance';

export type SubjectContact = { channel: ConversationChannel; contactId: string };

/**
 * Whoever the request is about, by any identifier we were given. It travels only in workflow input,
 * which the payload codec encrypts; ids, search attributes and audit entries carry its hash instead.
 */
export type PrivacySubject = {
  /** PSIDs, IGSIDs, widget session ids. */
  contacts?: SubjectContact[];
  /** App-scoped id of a Facebook Login user (Meta's data deletion callback). */
  asid?: string;
  email?: string;
  phone?: string;
  leadIds?: string[];
};

export type PrivacyRequester = { type: 'user' | 'platform' | 'meta' | 'subject'; id?: string };

export type StepCounts = Record<string, number>;
export type StepRecord = { name: string; at: number; counts: StepCounts };

export type RequestTiming = { reminderAfterMs?: number; dueAfterMs?: number };

export type PrivacyRequestBase = {
  requestId: string;
  kind: PrivacyRequestKind;
  source: PrivacyRequestSource;
  subject: PrivacySubject;
  subjectHash: string;
  /** Only this business's records (owner requests, chat, form); absent means every business. */
  businessId?: string;
  /** Who asked: the workflow's first step writes it when it has to create the request's row itself. */
  requestedBy?: PrivacyRequester;
  timing?: RequestTiming;
  /** Overrides the step retry policy (tests shorten the backoff so skipped days mean few attempts). */
  stepRetry?: RetryPolicy;
  /** When the request was received (the verified submission; epoch ms); the deadline counts from it. Absent: the start. */
  receivedAt?: number;
  /** The person's verified address: told at receipt and at completion (an access request's export link with it). */
  notifyEmail?: string;
};

export type LeadCorrection = { name?: string; email?: string; phone?: string };

export type RequestProgress = {
  requestId: string;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  receivedAt: number;
  reminderAt: number;
  dueAt: number;
  completedAt?: number;
  isReminderSent: boolean;
  currentStep?: string;
  steps: StepRecord[];
};

/** What the subject lookup found: ids only, never the records themselves. */
export type SubjectRecords = { conversationIds: string[]; leadIds: string[]; counts: StepCounts };
