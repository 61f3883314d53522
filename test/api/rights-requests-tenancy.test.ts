/**
 * A business's rights requests reach only that business's records, whatever ids the body names: B's lead id
 * or B's customer's contact id in A's request finds nothing, exports nothing, corrects, restricts and erases
 * nothing, and alerts nobody at B.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdsFromConfig } from '../../api/widget/session-id.js';
import { createPrivacyActivities } from '../../activities/privacy/index.js';
import { privacyRequestWorkflowId } from '../../starters/privacy-requests.js';
import type { PrivacyRequestKind } from '../../domain/privacy-requests.js';
import { signUp, type TestAccount } from '../helpers/accounts.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { mid } from '../helpers/meta-events.js';

let h: Harness;
let a: TestAccount;
let b: TestAccount;
let bSession: string;
let bLeadId: string;
let bConversationId: string;

beforeAll(async () => {
  h = await startHarness('rights-tenancy');
  a = await signUp(h.app, { businessName: 'Requesting Clinic A' });
  b = await signUp(h.app, { businessName: 'Victim Clinic B' });
  const business = await h.models.Business.findById(b.businessId).lean();
  bSession = sessionIdsFromConfig(h.config).issue(b.businessId);
  await h.dispatcher.inbound({ businessId: b.businessId, channel: 'web', contactId: bSession }, business!.publishableKey, {
    eventId: mid(),
    kind: 'message',
    text: "Hi, I'm Bella Victim, bella@example.com, I need a root canal",
    at: Date.now(),
  });
  const lead = await eventually(() => h.models.Lead.findOne({ businessId: b.businessId, email: 'bella@example.com' }).lean(), {
    what: "B's lead",
  });
  bLeadId = lead._id;
  bConversationId = lead.conversationIds[0]!;
  await eventually(async () => (await h.models.Message.countDocuments({ conversationId: bConversationId })) >= 2, {
    what: "B's reply stored",
  });
});
afterAll(async () => {
  await h?.stop();
});

const askAsA = async (kind: PrivacyRequestKind, subject: Record<string, string>) => {
  const body = {
    kind,
    subject,
    ...(kind === 'correction' ? { correction: { name: 'Overwritten By A', email: 'attacker@example.com' } } : {}),
  };
  const res = await request(h.app).post(`/api/v1/businesses/${a.businessId}/rights-requests`).set(a.auth).send(body);
  expect(res.status).toBe(202);
  const result = await h.client.workflow.getHandle(privacyRequestWorkflowId(kind, res.body.id)).result();
  return { id: res.body.id as string, result };
};

/** Every way A's request could name B's customer: by B's lead id, by B's contact id, and both at once. */
const subjectsOfB = (): Record<string, string>[] => [
  { leadId: bLeadId },
  { channel: 'web', contactId: bSession },
  { leadId: bLeadId, channel: 'web', contactId: bSession },
];

const expectBUntouched = async () => {
  const lead = await h.models.Lead.findById(bLeadId).lean();
  expect(lead).toMatchObject({ businessId: b.businessId, name: 'Bella Victim', email: 'bella@example.com' });
  expect(lead!.conversationIds).toContain(bConversationId);
  const conversation = await h.models.Conversation.findById(bConversationId).lean();
  expect(conversation?.mode).not.toBe('restricted');
  expect(await h.models.Message.countDocuments({ conversationId: bConversationId })).toBeGreaterThanOrEqual(2);
  expect(await h.models.LeadEvent.countDocuments({ businessId: b.businessId })).toBeGreaterThanOrEqual(1);
  expect(await h.models.BusinessAlert.countDocuments({ businessId: b.businessId, kind: 'processing_restricted' })).toBe(0);
  const described = await h.client.workflow.getHandle(bConversationId).describe();
  expect(described.status.name).toBe('RUNNING');
};

describe("rights requests never reach another business's records (issue 12 H1)", () => {
  it("an access request naming B's lead or contact exports nothing of B's", async () => {
    for (const subject of subjectsOfB()) {
      const { id, result } = await askAsA('access', subject);
      expect(result.counts).toMatchObject({ leads: 0, conversations: 0, messages: 0 });
      const doc = await request(h.app).get(`/api/v1/businesses/${a.businessId}/rights-requests/${id}/export`).set(a.auth);
      expect(doc.status).toBe(200);
      for (const secret of ['bella@example.com', 'Bella Victim', 'root canal', bLeadId, b.businessId])
        expect(doc.text).not.toContain(secret);
    }
    await expectBUntouched();
  });

  it("a correction naming B's lead rewrites nothing", async () => {
    for (const subject of subjectsOfB()) expect((await askAsA('correction', subject)).result.counts).toMatchObject({ leads: 0 });
    await expectBUntouched();
  });

  it("a restriction or objection naming B's customer restricts nothing and alerts nobody at B", async () => {
    for (const kind of ['restriction', 'objection'] as const) {
      for (const subject of subjectsOfB())
        expect((await askAsA(kind, subject)).result.counts).toMatchObject({ conversations: 0, workflows: 0, businessesAlerted: 0 });
    }
    await expectBUntouched();
  });

  it("a deletion naming B's customer erases nothing of B's", async () => {
    for (const subject of subjectsOfB()) {
      const { result } = await askAsA('deletion', subject);
      expect(result.counts).toMatchObject({ leads: 0, conversations: 0, messages: 0, leadEvents: 0 });
    }
    await expectBUntouched();
  });

  it("leaves no audit entry in B's name and none in A's that names B's records", async () => {
    expect(await h.models.AuditEntry.countDocuments({ businessId: b.businessId, actorId: a.userId })).toBe(0);
    const audits = JSON.stringify(await h.models.AuditEntry.find({ businessId: a.businessId }).lean());
    expect(audits).not.toContain(bLeadId);
    expect(audits).not.toContain(bConversationId);
  });
});

describe('every privacy step filters by the business, even when handed foreign ids (defence in depth)', () => {
  it("export, correction, restriction and erasure steps scoped to A do nothing to B's ids", async () => {
    const steps = createPrivacyActivities(h.activityDeps);
    const foreign = { requestId: 'f'.repeat(24), businessId: a.businessId, leadIds: [bLeadId], conversationIds: [bConversationId] };
    expect((await steps.compileSubjectExport(foreign)).counts).toMatchObject({ leads: 0, conversations: 0, messages: 0, notifications: 0 });
    expect((await steps.correctSubjectLeads({ ...foreign, correction: { name: 'Overwritten By A' } })).counts).toMatchObject({ leads: 0 });
    expect(await steps.restrictSubjectProcessing({ ...foreign, kind: 'objection' })).toMatchObject({
      counts: { conversations: 0, businessesAlerted: 0 },
      conversationIds: [],
    });
    expect((await steps.eraseConversations({ ...foreign, stoppedIds: [bConversationId] })).counts).toMatchObject({
      conversations: 0,
      messages: 0,
      workflowsStopped: 0,
    });
    expect((await steps.eraseLeadEvents(foreign)).counts).toMatchObject({ leadEvents: 0 });
    expect((await steps.eraseLeads(foreign)).counts).toMatchObject({ leads: 0 });
    await expectBUntouched();
  });
});
