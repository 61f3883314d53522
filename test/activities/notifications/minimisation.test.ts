import { describe, expect, it } from 'vitest';
import { leadEventTemplateParams, leadFactsOf } from '../../../activities/notifications/content.js';
import { webhookLeadView } from '../../../activities/notifications/lead-webhooks.js';
import type { LeadRow } from '../../../domain/leads.js';

const SPECIALIST_KINDS = ['medical', 'legal', 'financial', 'other_regulated', 'emergency'] as const;

const leadWith = (specialist: string) =>
  ({
    _id: 'lead_min_1',
    businessId: 'biz_min',
    channel: 'messenger',
    name: 'Sam',
    phone: '+447700900123',
    enquiry: 'Swelling after an extraction',
    urgency: 'high',
    specialist,
    needsHuman: true,
    status: 'new',
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-01T10:00:00Z'),
  }) as unknown as LeadRow;

describe('what leaves LuxLeads about a specialist enquiry', () => {
  it('a CRM webhook says only that a specialist is needed, never which kind', () => {
    for (const kind of SPECIALIST_KINDS) {
      const view = webhookLeadView(leadWith(kind));
      expect(view.needsSpecialist).toBe(true);
      expect(view).not.toHaveProperty('specialist');
      expect(JSON.stringify(view)).not.toContain(kind);
    }
    expect(webhookLeadView(leadWith('none')).needsSpecialist).toBe(false);
  });

  it('a WhatsApp alert says Specialist review, never which kind', () => {
    for (const kind of SPECIALIST_KINDS) {
      const text = leadEventTemplateParams(
        'specialist_review',
        'Bright Smile',
        leadFactsOf(leadWith(kind), 'https://app.example/l/1'),
      ).join(' ');
      expect(text).toContain('Specialist review');
      expect(text.toLowerCase()).not.toContain(kind.replace('_', ' '));
      expect(text.toLowerCase()).not.toContain(kind);
    }
  });
});
