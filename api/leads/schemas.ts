/** Request and response schemas of the lead routes. Queries are strict: `status[$ne]=x` is a 400, never an operator. */
import { z } from 'zod';
import { CONVERSATION_CHANNELS } from '../../db/models/conversation.js';
import { LEAD_STATUSES, URGENCIES } from '../../db/models/lead.js';
import { PageQuerySchema } from '../pagination.js';
import { BusinessParamsSchema } from '../schemas/common.js';
import { DAY_MS } from '../../lib/durations.js';

export { BusinessParamsSchema };
export const LeadParamsSchema = BusinessParamsSchema.extend({ leadId: z.string().min(1).max(100) });

const isoDateOnly = /^\d{4}-\d{2}-\d{2}$/;
const dateParam = (edge: 'start' | 'end') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { message: 'must be a date (2025-01-31) or an ISO date-time' })
    // A bare date means the whole day: `to=2025-01-31` includes everything created that day.
    .transform((v) => (isoDateOnly.test(v) && edge === 'end' ? new Date(Date.parse(v) + DAY_MS - 1) : new Date(v)));

const filterShape = {
  status: z.enum(LEAD_STATUSES).optional(),
  channel: z.enum(CONVERSATION_CHANNELS).optional(),
  urgency: z.enum(URGENCIES).optional(),
  from: dateParam('start').optional(),
  to: dateParam('end').optional(),
  q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
};
const fromBeforeTo = (v: { from?: Date; to?: Date }) => !v.from || !v.to || v.from <= v.to;

export const LeadExportQuerySchema = z
  .strictObject(filterShape)
  .refine(fromBeforeTo, { message: '`from` must not be after `to`', path: ['from'] });
export const LeadListQuerySchema = z
  .strictObject({ ...PageQuerySchema.shape, ...filterShape })
  .refine(fromBeforeTo, { message: '`from` must not be after `to`', path: ['from'] });
export type LeadFilters = z.infer<typeof LeadExportQuerySchema>;

export const LeadPatchSchema = z
  .strictObject({
    status: z.enum(LEAD_STATUSES).optional(),
    notes: z.string().max(4000, 'must be at most 4000 characters').nullable().optional(),
    assignee: z.string().min(1).max(100).nullable().optional().describe('user id of a member of this business; null unassigns'),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one of status, notes, assignee' });
export type LeadPatch = z.infer<typeof LeadPatchSchema>;

export const MergeBodySchema = z.strictObject({ intoLeadId: z.string().min(1).max(100) });

const date = z.string().nullable();
export const LeadViewSchema = z.object({
  id: z.string(),
  status: z.enum(LEAD_STATUSES),
  channel: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  enquiry: z.string().nullable(),
  enquiryType: z.string(),
  urgency: z.enum(URGENCIES),
  specialist: z.string(),
  needsHuman: z.boolean(),
  notes: z.string().nullable(),
  assignee: z.string().nullable(),
  conversationIds: z.array(z.string()),
  mergedInto: z.string().nullable(),
  createdAt: date,
  updatedAt: date,
  lastMessageAt: date,
});
