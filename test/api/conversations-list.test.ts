/**
 * The inbox list's extra facts: the lead's name and urgency and a short preview of the last message, cut on the
 * server; the urgency filter; and all of it only within the asking member's business (rows written as the
 * conversation activities write them, so no workflow runs here).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_CHARS, previewOf } from '../../api/conversations/views.js';
import type { URGENCIES } from '../../db/models/lead.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let owner: TestAccount;
let other: TestAccount;
const LONG = `${'Hello there, I would like to know more about the sea-view suite and its balcony. '.repeat(5)}SECRET-TAIL`;

const listOf = (account: TestAccount, query: Record<string, string> = {}, businessId = account.businessId) =>
  request(h.app).get(`/api/v1/businesses/${businessId}/conversations`).query(query).set(account.auth);

/** A thread with its rolling transcript, and a lead if `lead` is given. */
const seed = async (
  businessId: string,
  id: string,
  o: { minutesAgo: number; last?: string; lead?: { name?: string; urgency: (typeof URGENCIES)[number] } },
) => {
  const at = new Date(Date.now() - o.minutesAgo * 60_000);
  const leadId = o.lead ? `lead_${id}` : undefined;
  await h.models.Conversation.create({
    _id: id,
    businessId,
    channel: 'messenger',
    channelId: 'ch_list',
    contactId: `psid_${id}`,
    workflowId: id,
    leadId,
    messageCount: o.last ? 2 : 0,
    lastMessageAt: at,
    recent: o.last
      ? [
          { id: `${id}_1`, direction: 'inbound', author: 'visitor', text: 'First message', at: new Date(at.getTime() - 1000) },
          { id: `${id}_2`, direction: 'outbound', author: 'assistant', text: o.last, at },
        ]
      : [],
  });
  if (o.lead)
    await h.models.Lead.create({
      _id: leadId,
      businessId,
      channel: 'messenger',
      conversationIds: [id],
      urgency: o.lead.urgency,
      ...(o.lead.name ? { name: o.lead.name } : {}),
    });
};

beforeAll(async () => {
  h = await startHarness('conversations-list-api', { startWorker: false });
  owner = await signUp(h.app, { businessName: 'List Clinic' });
  other = await signUp(h.app, { businessName: 'Other Clinic' });
  await seed(owner.businessId, 'conv_list_urgent', { minutesAgo: 1, last: LONG, lead: { name: 'Anna Urgent', urgency: 'emergency' } });
  await seed(owner.businessId, 'conv_list_normal', { minutesAgo: 2, last: 'See you   on\nFriday!', lead: { urgency: 'normal' } });
  await seed(owner.businessId, 'conv_list_nolead', { minutesAgo: 3 });
  await seed(other.businessId, 'conv_list_other', {
    minutesAgo: 1,
    last: 'Other business text',
    lead: { name: 'Olaf Other', urgency: 'emergency' },
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('the inbox list', () => {
  it("carries the lead's name and urgency and a preview of the last message, cut on the server", async () => {
    const res = await listOf(owner);
    expect(res.status).toBe(200);
    const [urgent, normal, noLead] = res.body.data;
    expect(urgent).toMatchObject({ id: 'conv_list_urgent', leadName: 'Anna Urgent', urgency: 'emergency' });
    expect(urgent.lastMessage.author).toBe('assistant');
    expect(urgent.lastMessage.preview.endsWith('…')).toBe(true);
    expect([...urgent.lastMessage.preview].length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(JSON.stringify(res.body)).not.toContain('SECRET-TAIL');
    expect(normal).toMatchObject({ id: 'conv_list_normal', leadName: null, urgency: 'normal' });
    expect(normal.lastMessage.preview).toBe('See you on Friday!');
    expect(noLead).toMatchObject({ id: 'conv_list_nolead', leadName: null, urgency: null, lastMessage: null });
  });

  it('filters by urgency, and the filter and the lead facts stay within the business', async () => {
    const emergency = await listOf(owner, { urgency: 'emergency' });
    expect(emergency.body.data.map((c: { id: string }) => c.id)).toEqual(['conv_list_urgent']);
    expect((await listOf(owner, { urgency: 'low' })).body.data).toEqual([]);
    expect(JSON.stringify((await listOf(owner)).body)).not.toMatch(/Olaf Other|Other business text/);

    const theirs = await listOf(other, { urgency: 'emergency' });
    expect(theirs.body.data.map((c: { id: string; leadName: string }) => [c.id, c.leadName])).toEqual([['conv_list_other', 'Olaf Other']]);
    // Another business's list, asked for by a non-member: nothing, not even a count.
    expect((await listOf(other, {}, owner.businessId)).status).toBe(404);
    expect((await listOf(owner, { urgency: 'urgent' })).status).toBe(400);
  });
});

describe('previewOf', () => {
  it('folds whitespace, keeps short texts whole and cuts long ones at a word', () => {
    expect(previewOf('  a\n\n b\tc ')).toBe('a b c');
    const cut = previewOf(LONG);
    expect(cut).toMatch(/balcony\.?…$|[a-z]…$/);
    expect(LONG.startsWith(cut.slice(0, -1))).toBe(true);
    expect(previewOf('🙂'.repeat(PREVIEW_CHARS))).toBe('🙂'.repeat(PREVIEW_CHARS));
  });
});
