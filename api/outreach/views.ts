/** Rows → API views of the outreach API. */
import type { z } from 'zod';
import type { OutreachCampaignDoc, OutreachProspectDoc } from '../../db/models/outreach.js';
import type { CampaignViewSchema, ProspectViewSchema } from './schemas.js';
import { isoOrNull } from '../../lib/iso.js';

type WithMeta<T> = T & { _id: string; createdAt?: Date | null };

export const prospectView = (p: WithMeta<OutreachProspectDoc>): z.infer<typeof ProspectViewSchema> => ({
  id: p._id,
  company: p.company,
  email: p.email,
  contactName: p.contactName ?? null,
  website: p.website ?? null,
  source: p.source,
  lawfulBasis: p.lawfulBasis,
  timezone: p.timezone ?? null,
  engagedAt: isoOrNull(p.engagedAt),
  lastEmailedAt: isoOrNull(p.lastEmailedAt),
  createdAt: isoOrNull(p.createdAt) ?? '',
});

export const campaignView = (c: WithMeta<OutreachCampaignDoc>): z.infer<typeof CampaignViewSchema> => ({
  id: c._id,
  name: c.name,
  status: c.status as z.infer<typeof CampaignViewSchema>['status'],
  steps: c.steps.map((s) => ({ subject: s.subject, body: s.body, delayDays: s.delayDays })),
  senderName: c.senderName,
  dailyCap: c.dailyCap,
  perMinute: c.perMinute,
  isTrackingEnabled: c.isTrackingEnabled ?? false,
  businessHours: { startHour: c.businessHours?.startHour ?? 9, endHour: c.businessHours?.endHour ?? 17 },
  createdAt: isoOrNull(c.createdAt) ?? '',
});
