/** Request and response schemas of the rights-request API, and how a stored request is shown. */
import { z } from 'zod';
import type { Models } from '../../db/models/index.js';
import type { PrivacyRequestDoc } from '../../db/models/privacy-request.js';
import { PRIVACY_REQUEST_KINDS, PRIVACY_REQUEST_STATUSES } from '../../db/models/privacy-request.js';
import type { PrivacySubject } from '../../domain/privacy-requests.js';
import { EmailSchema, IdSchema } from '../schemas/common.js';
import { isoOrNull } from '../../lib/iso.js';

const PhoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[\d\s().-]{6,24}$/, 'must be a phone number such as +44 7700 900123');

export const SubjectSchema = z
  .object({
    channel: z.enum(['messenger', 'instagram', 'web']).optional(),
    contactId: z.string().trim().min(1).max(200).optional().describe('PSID, IGSID or widget session id; needs channel'),
    email: EmailSchema.optional(),
    phone: PhoneSchema.optional(),
    leadId: IdSchema.optional(),
  })
  .strict()
  .refine((s) => Boolean(s.channel) === Boolean(s.contactId), 'channel and contactId go together')
  .refine((s) => Boolean(s.contactId || s.email || s.phone || s.leadId), 'give at least one of channel+contactId, email, phone or leadId');

export const RightsRequestBodySchema = z
  .object({
    kind: z.enum(PRIVACY_REQUEST_KINDS),
    subject: SubjectSchema,
    correction: z
      .object({ name: z.string().trim().min(1).max(200).optional(), email: EmailSchema.optional(), phone: PhoneSchema.optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => b.kind !== 'correction' || Boolean(b.correction && Object.keys(b.correction).length > 0), {
    message: 'a correction request needs correction fields',
    path: ['correction'],
  });

export const ComplianceRequestBodySchema = z.intersection(
  RightsRequestBodySchema,
  z.object({
    businessId: IdSchema.optional().describe('Limit to one business; absent means every business'),
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        'A request that arrived by email: when it reached the privacy address. The 30-day deadline counts from it (at most 30 days ago, not in the future)',
      ),
    replyTo: EmailSchema.optional().describe(
      'A request that arrived by email: the address it came from, told at receipt and at completion',
    ),
  }),
);

export const RequestParamsSchema = z.object({ requestId: z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character request id') });
export const BusinessRequestParamsSchema = RequestParamsSchema.extend({ businessId: IdSchema });
export const RequestListQuerySchema = z.object({
  status: z.enum(PRIVACY_REQUEST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const toSubject = (s: z.infer<typeof SubjectSchema>): PrivacySubject => ({
  ...(s.channel && s.contactId ? { contacts: [{ channel: s.channel, contactId: s.contactId }] } : {}),
  ...(s.email ? { email: s.email } : {}),
  ...(s.phone ? { phone: s.phone } : {}),
  ...(s.leadId ? { leadIds: [s.leadId] } : {}),
});

const StepViewSchema = z.object({ name: z.string(), at: z.string(), counts: z.record(z.string(), z.number()) });
export const RequestViewSchema = z.object({
  id: z.string(),
  kind: z.enum(PRIVACY_REQUEST_KINDS),
  source: z.string(),
  status: z.enum(PRIVACY_REQUEST_STATUSES),
  businessId: z.string().nullable(),
  receivedAt: z.string(),
  dueAt: z.string(),
  completedAt: z.string().nullable(),
  reminderSentAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  steps: z.array(StepViewSchema),
  statusUrl: z.string(),
  hasExport: z.boolean(),
});
export const RequestListSchema = z.object({ data: z.array(RequestViewSchema) });
export const HistoryEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const RequestDetailSchema = RequestViewSchema.extend({ history: z.array(HistoryEntrySchema) });

type Row = PrivacyRequestDoc & { _id: string };

export const requestView = (r: Row, publicUrl: string) => ({
  id: r._id,
  kind: r.kind,
  source: r.source,
  status: r.status,
  businessId: r.businessId ?? null,
  receivedAt: r.receivedAt.toISOString(),
  dueAt: r.dueAt.toISOString(),
  completedAt: isoOrNull(r.completedAt),
  reminderSentAt: isoOrNull(r.reminderSentAt),
  overdueAt: isoOrNull(r.overdueAt),
  steps: (r.steps ?? []).map((s) => ({ name: s.name, at: s.at.toISOString(), counts: (s.counts ?? {}) as Record<string, number> })),
  statusUrl: `${publicUrl.replace(/\/+$/, '')}/data-deletion/${r._id}`,
  hasExport: r.kind === 'access' && r.status === 'completed',
});

/** Overdue first (someone must act on those), then open ones by due date, then completed ones, newest first. */
export const listRequests = async (models: Models, filter: Record<string, unknown>, q: z.infer<typeof RequestListQuerySchema>) => {
  const tiers: [Record<string, unknown>, Record<string, 1 | -1>][] = q.status
    ? [[{ status: q.status }, { dueAt: 1 }]]
    : [
        [{ status: 'overdue' }, { dueAt: 1 }],
        [{ status: { $in: ['received', 'in_progress'] } }, { dueAt: 1 }],
        [{ status: 'completed' }, { dueAt: -1 }],
      ];
  const rows: Row[] = [];
  for (const [where, sort] of tiers) {
    if (rows.length >= q.limit) break;
    rows.push(
      ...((await models.PrivacyRequest.find({ ...filter, ...where })
        .sort({ ...sort, _id: 1 })
        .limit(q.limit - rows.length)
        .lean()) as Row[]),
    );
  }
  return rows;
};

/** The request's audit trail: every entry written under its id, oldest first. */
export const requestHistory = async (models: Models, requestId: string) => {
  const rows = await models.AuditEntry.find({ 'details.requestId': requestId }).sort({ at: 1, _id: 1 }).lean();
  return rows.map((e) => ({
    at: e.at.toISOString(),
    action: e.action,
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    details: (e.details ?? {}) as Record<string, unknown>,
  }));
};
