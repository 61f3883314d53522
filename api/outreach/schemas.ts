/** Request and response schemas of the staff outreach API (/api/v1/outreach/...). */
import { z } from 'zod';
import { MERGE_FIELDS, unknownMergeFields } from '../../domain/outreach/template.js';
import { REJECT_REASONS } from '../../domain/outreach/import.js';
import { CAMPAIGN_STATUSES, ENROLLMENT_STATUSES, STOP_REASONS } from '../../db/models/outreach.js';
import { EmailSchema, IdSchema, TimezoneSchema } from '../schemas/common.js';
import { PageQuerySchema, PageSchema } from '../pagination.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const template = (max: number) =>
  text(max).refine((t) => unknownMergeFields(t).length === 0, `merge fields must be one of {{${MERGE_FIELDS.join('}}, {{')}}}`);

export const ProspectBodySchema = z.object({
  company: text(200),
  email: EmailSchema,
  contactName: text(200).optional(),
  website: z.string().trim().max(500).optional(),
  source: text(200).describe('Where the contact came from (trade directory, event, website)'),
  lawfulBasis: text(500).optional().describe('Legitimate-interest note; defaults to a B2B relevance note'),
  timezone: TimezoneSchema.optional().describe('IANA zone: emails then go out within business hours there'),
});

export const ProspectViewSchema = z.object({
  id: z.string(),
  company: z.string(),
  email: z.string(),
  contactName: z.string().nullable(),
  website: z.string().nullable(),
  source: z.string(),
  lawfulBasis: z.string(),
  timezone: z.string().nullable(),
  engagedAt: z.string().nullable(),
  lastEmailedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const ProspectPageSchema = PageSchema(ProspectViewSchema);
export const ProspectParamsSchema = z.object({ prospectId: IdSchema });
export const ProspectListQuerySchema = PageQuerySchema;

export const ImportReportSchema = z.object({
  importId: z.string(),
  accepted: z.number(),
  rejected: z.array(z.object({ line: z.number(), email: z.string(), reason: z.enum(REJECT_REASONS) })),
  reportUrl: z.string().describe('The rejected rows as CSV'),
});
export const ImportParamsSchema = z.object({ importId: IdSchema });

const StepSchema = z.object({
  subject: template(200),
  body: template(10_000),
  delayDays: z.number().int().min(0).max(365).describe('Days after the previous step (the first: after enrollment)'),
});

export const CampaignBodySchema = z.object({
  name: text(200),
  steps: z.array(StepSchema).min(1).max(10),
  senderName: text(100).describe('The person the emails are from, named in every email'),
  dailyCap: z.number().int().min(1).max(10_000).default(200),
  perMinute: z.number().int().min(1).max(600).default(10),
  isTrackingEnabled: z.boolean().default(false).describe('Open pixel and click redirect; off unless turned on'),
  businessHours: z
    .object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(1).max(24) })
    .refine((h) => h.startHour < h.endHour, 'startHour must be before endHour')
    .default({ startHour: 9, endHour: 17 }),
});
export const CampaignPatchSchema = CampaignBodySchema.partial().describe('Template edits apply to the steps not yet sent');

export const CampaignViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  steps: z.array(z.object({ subject: z.string(), body: z.string(), delayDays: z.number() })),
  senderName: z.string(),
  dailyCap: z.number(),
  perMinute: z.number(),
  isTrackingEnabled: z.boolean(),
  businessHours: z.object({ startHour: z.number(), endHour: z.number() }),
  createdAt: z.string(),
});
export const CampaignListSchema = z.object({ data: z.array(CampaignViewSchema) });
export const CampaignParamsSchema = z.object({ campaignId: IdSchema });

export const PreviewBodySchema = z.object({
  step: z.number().int().min(0).max(9).default(0),
  prospectId: IdSchema.optional().describe('Fill the merge fields from this prospect; sample values otherwise'),
});
export const PreviewSchema = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  headers: z.record(z.string(), z.string()),
});

export const EnrollBodySchema = z
  .object({
    prospectIds: z.array(IdSchema).max(5000).optional(),
    allProspects: z.boolean().optional().describe('Every prospect not yet in this campaign'),
  })
  .refine((b) => Boolean(b.prospectIds?.length) !== Boolean(b.allProspects), 'give prospectIds or allProspects: true');
export const EnrollResultSchema = z.object({
  enrolled: z.number(),
  alreadyEnrolled: z.number(),
  suppressed: z.number(),
  unknown: z.number(),
});
export const SignalledSchema = z.object({ status: z.enum(CAMPAIGN_STATUSES), signalled: z.number() });

const StepStatsSchema = z.object({
  step: z.number(),
  sent: z.number(),
  delivered: z.number(),
  opened: z.number(),
  clicked: z.number(),
  replied: z.number(),
  optedOut: z.number(),
  bounced: z.number(),
  complained: z.number(),
});
export const CampaignStatsSchema = z.object({
  campaignId: z.string(),
  enrollments: z.record(z.enum(ENROLLMENT_STATUSES), z.number()),
  stopReasons: z.record(z.enum(STOP_REASONS), z.number()),
  total: StepStatsSchema.omit({ step: true }),
  steps: z.array(StepStatsSchema),
});

export const SuppressionBodySchema = z.object({
  kind: z.enum(['email', 'domain']),
  value: text(254).describe('An address, or a domain such as example.com'),
  reason: z.enum(['staff', 'objection']).default('staff').describe('objection: a rights request (GDPR art. 21)'),
});
export const SuppressionResultSchema = z.object({ isNew: z.boolean(), stoppedSequences: z.number() });
