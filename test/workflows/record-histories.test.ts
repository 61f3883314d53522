/** Records the replay fixtures. Run on purpose only: RECORD_HISTORIES=1 npx vitest run test/workflows/record-histories.test.ts */
import type { WorkflowHandle } from '@temporalio/client';
import { describe, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import type { BillingRecord } from '../../domain/billing.js';
import { leadWebhookSecretContext } from '../../domain/encryption-contexts.js';
import { encryptString } from '../../lib/crypto.js';
import { startPrivacyRequest } from '../../starters/privacy-requests.js';
import { DEMO } from '../../domain/demo-seed.js';
import { conversationStateQuery } from '../../workflows/conversation.js';
import { accountClosureWorkflow, accountClosureWorkflowId } from '../../workflows/account-closure.js';
import { billingStateQuery, billingWorkflow, billingWorkflowId, stripeEventSignal } from '../../workflows/billing.js';
import { leadWebhookDeliveryWorkflowId } from '../../workflows/lead-webhook-delivery.js';
import { notificationDigestWorkflowId } from '../../workflows/notification-digest.js';
import { notificationRetrySweepWorkflow } from '../../workflows/notification-retry-sweep.js';
import { retentionSweepWorkflow } from '../../workflows/retention-sweep.js';
import { sendEmailWorkflow, sendEmailWorkflowId } from '../../workflows/send-email.js';
import type { SendEmailResult } from '../../activities/email/deliver.js';
import { tokenHealthWorkflow, tokenHealthWorkflowId } from '../../workflows/token-health.js';
import {
  outreachResumeSignal,
  outreachPauseSignal,
  outreachStopSignal,
  outreachWorkflow,
  outreachWorkflowId,
} from '../../workflows/outreach.js';
import type { OutreachStepInput, OutreachStepResult } from '../../activities/outreach/index.js';
import { eventually, startHarness } from '../helpers/harness.js';
import { FIXTURE_ENCRYPTION_KEY, saveHistory } from '../helpers/history-fixtures.js';
import { mid } from '../helpers/meta-events.js';
import { createNotifiedBusiness, customerSays } from '../helpers/notification-fixtures.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { startWorkflowEnv, withWorker, type StubActivities } from '../helpers/workflow-env.js';
import { isWorkflowIdle } from '../helpers/workflow-idle.js';
import { DAY_MS } from '../../lib/durations.js';

describe.runIf(process.env.RECORD_HISTORIES === '1')('record workflow histories', () => {
  it('records a Messenger conversation through reply, handover, paused capture and the 90-day purge', async () => {
    const h = await startHarness('record-histories', { timeSkipping: true, env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY } });
    try {
      const key = { businessId: DEMO.businessId, channel: 'messenger' as const, contactId: 'psid-fixture' };
      const handle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(key));
      await h.dispatcher.inbound(key, 'ch_demo_messenger', {
        eventId: mid(),
        kind: 'message',
        text: "Hi, I'm Sam, can I book? 07700 900123",
        at: Date.now(),
      });
      await eventually(() => h.graph.messagesTo('psid-fixture').length === 1, { what: 'reply' });
      await h.dispatcher.echo(key, 'ch_demo_messenger', {
        eventId: mid('echo'),
        at: Date.now(),
        text: 'Hi Sam, Anna here',
        fromOurApp: false,
      });
      await eventually(async () => (await handle.query(conversationStateQuery)).mode === 'paused', { what: 'paused' });
      await h.dispatcher.inbound(key, 'ch_demo_messenger', {
        eventId: mid(),
        kind: 'message',
        text: 'my email is sam@example.com',
        at: Date.now(),
      });
      await eventually(() => h.models.Lead.findOne({ email: 'sam@example.com' }).lean(), { what: 'lead enriched while paused' });
      await h.testEnv!.sleep('91 days');
      await handle.result();
      await saveHistory('conversation-handover-purge', handle);

      const web = { businessId: DEMO.businessId, channel: 'web' as const, contactId: 'ws_fixture' };
      const webHandle = h.client.workflow.getHandle(h.dispatcher.workflowIdFor(web));
      await h.dispatcher.inbound(web, DEMO.publishableKey, {
        eventId: 'c1',
        kind: 'message',
        text: 'Can I talk to a real person?',
        at: Date.now(),
      });
      await eventually(
        () => h.models.Message.findOne({ conversationId: webHandle.workflowId, direction: 'outbound', status: 'sent' }).lean(),
        { what: 'web reply' },
      );
      await webHandle.executeUpdate('control', { args: [{ action: 'resume' }] });
      await saveHistory('conversation-web-handover', webHandle);
    } finally {
      await h.stop();
    }
  });

  it('records two daily retention sweeps', async () => {
    const h = await startHarness('record-histories-retention', { timeSkipping: true, env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY } });
    try {
      const handle = await h.client.workflow.start(retentionSweepWorkflow, {
        workflowId: 'retention-sweep-fixture',
        taskQueue: h.taskQueue,
        args: [{ retentionDays: 90, stopAfterSweeps: 2 }],
      });
      await h.testEnv!.sleep('2 days');
      await handle.result();
      await saveHistory(process.env.RECORD_HISTORY_NAME ?? 'retention-sweep', handle);
    } finally {
      await h.stop();
    }
  });

  it('records token health: a healthy round, then Meta invalidates the page token and the next round ends the workflow', async () => {
    const h = await startHarness('record-histories-token-health', { timeSkipping: true, env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY } });
    try {
      const handle = await h.client.workflow.start(tokenHealthWorkflow, {
        workflowId: tokenHealthWorkflowId(DEMO.businessId),
        taskQueue: h.taskQueue,
        args: [{ businessId: DEMO.businessId }],
      });
      await eventually(() => isWorkflowIdle(h.client, handle.workflowId), { what: 'first round done' });
      h.graph.invalidateToken(DEMO.pageToken);
      await h.testEnv!.sleep('7 hours');
      await handle.result();
      await saveHistory('token-health', handle);
    } finally {
      await h.stop();
    }
  });

  it('records an account closure: disconnect and cancel at once, the grace period, then the purge', async () => {
    const h = await startHarness('record-histories-closure', { timeSkipping: true, env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY } });
    try {
      await h.dispatcher.inbound({ businessId: DEMO.businessId, channel: 'web', contactId: 'ws_closure' }, DEMO.publishableKey, {
        eventId: 'closure-1',
        kind: 'message',
        text: "Hi, I'm Jo, 07700 900456",
        at: Date.now(),
      });
      await eventually(() => h.models.Lead.findOne({ name: 'Jo' }).lean(), { what: 'a lead to erase' });
      const handle = await h.client.workflow.start(accountClosureWorkflow, {
        workflowId: accountClosureWorkflowId(DEMO.businessId),
        taskQueue: h.taskQueue,
        args: [{ businessId: DEMO.businessId, requestedBy: 'usr_fixture' }],
      });
      await eventually(() => isWorkflowIdle(h.client, handle.workflowId), { what: 'grace period started' });
      await h.testEnv!.sleep('31 days');
      await handle.result();
      await saveHistory('account-closure', handle);
    } finally {
      await h.stop();
    }
  });

  it('records a CRM delivery retried once, a digest day and a notification retry sweep that starts its children', async () => {
    const h = await startHarness('record-histories-notifications', {
      timeSkipping: true,
      withResend: true,
      env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY },
    });
    const receiver = await startWebhookReceiver();
    try {
      const completed = (handle: WorkflowHandle, status = 'COMPLETED') =>
        eventually(async () => (await handle.describe()).status.name === status, { what: `${handle.workflowId} ${status}` });
      const b = await createNotifiedBusiness(h, { numbers: 0, emailMode: 'digest' });
      await h.models.LeadWebhook.create({
        _id: 'lwh_fixture',
        businessId: b.id,
        url: receiver.url,
        secretSealed: encryptString(h.config.ENCRYPTION_KEY, 'whsec_fixture', leadWebhookSecretContext('lwh_fixture')),
      });
      receiver.respondWith([500]);
      await customerSays(h, b, 'sess-fixture', "Hi, I'm Sam Taylor, sam@example.com, I'd like a check-up");
      const lead = await eventually(() => h.models.Lead.findOne({ businessId: b.id }).lean(), { what: 'lead' });
      const delivery = h.client.workflow.getHandle(leadWebhookDeliveryWorkflowId('lwh_fixture', `lead_created:${lead._id}`));
      await eventually(() => receiver.received.length === 1, { what: 'first attempt refused' });
      await h.testEnv!.sleep('1 minute');
      await completed(delivery);
      await saveHistory('lead-webhook-delivery', delivery);

      const digestId = notificationDigestWorkflowId(b.id);
      const { runId } = await h.client.workflow.getHandle(digestId).describe();
      await h.testEnv!.sleep('25 hours');
      const digestDay = h.client.workflow.getHandle(digestId, runId);
      await completed(digestDay, 'CONTINUED_AS_NEW');
      await saveHistory('notification-digest', digestDay);
      await h.client.workflow.getHandle(digestId).terminate('recorded');

      // An event whose conversation gave up on it (both providers were down): the sweep notifies it and starts its children.
      const late = await h.models.Lead.create({
        _id: 'lead_fixture_late',
        businessId: b.id,
        channel: 'web',
        name: 'Jo',
        email: 'jo@example.com',
      });
      const twentyMinutesAgo = new Date(Date.now() - 20 * 60_000);
      await h.models.LeadEvent.collection.insertOne({
        _id: `lead_created:${late._id}` as never,
        businessId: b.id,
        leadId: late._id,
        kind: 'lead_created',
        createdAt: twentyMinutesAgo,
        updatedAt: twentyMinutesAgo,
      });
      const sweep = await h.client.workflow.start(notificationRetrySweepWorkflow, {
        workflowId: 'notification-retry-sweep-fixture',
        taskQueue: h.taskQueue,
        args: [{ stopAfterSweeps: 1 }],
      });
      await completed(sweep);
      await saveHistory('notification-retry-sweep', sweep);
      await h.client.workflow.getHandle(digestId).terminate('recorded');
    } finally {
      await receiver.close();
      await h.stop();
    }
  });

  it('records a restriction that tells the running thread, and a deletion that erases it', async () => {
    const h = await startHarness('record-histories-privacy', { timeSkipping: true, env: { ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY } });
    try {
      const key = { businessId: DEMO.businessId, channel: 'web' as const, contactId: 'ws_privacy_fixture' };
      await h.dispatcher.inbound(key, DEMO.publishableKey, {
        eventId: 'p1',
        kind: 'message',
        text: "Hi, I'm Robin, robin@example.com",
        at: Date.now(),
      });
      await eventually(() => h.models.Lead.findOne({ email: 'robin@example.com' }).lean(), { what: 'lead' });
      await eventually(() => isWorkflowIdle(h.client, h.dispatcher.workflowIdFor(key)), { what: 'thread settled' });
      const deps = { client: h.client, taskQueue: h.taskQueue, models: h.models, keyRing: h.config.ENCRYPTION_KEY };
      const ask = (kind: 'restriction' | 'deletion') =>
        startPrivacyRequest(deps, {
          kind,
          source: 'business',
          subject: { email: 'robin@example.com' },
          businessId: DEMO.businessId,
          requestedBy: { type: 'user', id: 'usr_fixture' },
        });
      for (const [kind, name] of [
        ['restriction', 'rights-request-restriction'],
        ['deletion', 'data-deletion'],
      ] as const) {
        const handle = h.client.workflow.getHandle((await ask(kind)).workflowId);
        await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', {
          what: `${kind} completed`,
          timeoutMs: 90_000,
        });
        await saveHistory(name, handle);
      }
    } finally {
      await h.stop();
    }
  });

  it('records billing (stub activities: Stripe is not in the harness): trial reminder, bought, canceled, ended after the paid period', async () => {
    const env = await startWorkflowEnv(loadConfig({ ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY }).ENCRYPTION_KEY);
    try {
      const trialEndsAt = (await env.currentTimeMs()) + 14 * DAY_MS;
      const stripe = { status: 'trialing' };
      const activities = {
        loadBillingAccount: async ({ businessId }: { businessId: string }): Promise<BillingRecord> => ({
          businessId,
          plan: 'trial',
          status: 'trialing',
          trialEndsAt,
        }),
        saveBillingAccount: async () => undefined,
        fetchSubscription: async ({ subscriptionId }: { subscriptionId: string }) => ({
          found: true as const,
          subscription: {
            id: subscriptionId,
            customerId: 'cus_fixture',
            status: stripe.status,
            plan: 'starter',
            cancelAtPeriodEnd: false,
            currentPeriodEnd: trialEndsAt + 30 * DAY_MS,
          },
        }),
        sendBillingEmail: async () => ({ sent: 1 }),
      } satisfies StubActivities;
      await withWorker(env, activities, async (taskQueue) => {
        const handle = await env.client.workflow.start(billingWorkflow, {
          taskQueue,
          workflowId: billingWorkflowId(DEMO.businessId),
          args: [{ businessId: DEMO.businessId }],
        });
        const status = (want: string) =>
          eventually(async () => (await handle.query(billingStateQuery))?.status === want, { what: `billing ${want}` });
        await env.sleep('12 days');
        stripe.status = 'active';
        await handle.signal(stripeEventSignal, { eventId: 'evt_paid', type: 'checkout.session.completed', subscriptionId: 'sub_fixture' });
        await status('active');
        stripe.status = 'canceled';
        await handle.signal(stripeEventSignal, {
          eventId: 'evt_deleted',
          type: 'customer.subscription.deleted',
          subscriptionId: 'sub_fixture',
        });
        await status('canceled');
        await handle.result();
        await saveHistory('billing', handle);
      });
    } finally {
      await env.teardown();
    }
  });
  it('records an outreach sequence (stub activities): a rate-cap wait, step one, a pause and resume, step two, then an opt-out', async () => {
    const env = await startWorkflowEnv(loadConfig({ ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY }).ENCRYPTION_KEY);
    try {
      let calls = 0;
      const activities = {
        sendOutreachStep: async (i: OutreachStepInput): Promise<OutreachStepResult> =>
          calls++ === 0 ? { kind: 'wait', waitMs: 60_000, why: 'rate-cap' } : { kind: 'sent', sendId: `${i.workflowId}:${i.step}` },
        finishOutreachEnrollment: async () => undefined,
      } satisfies StubActivities;
      await withWorker(env, activities, async (taskQueue) => {
        const handle = await env.client.workflow.start(outreachWorkflow, {
          taskQueue,
          workflowId: outreachWorkflowId('cmp_fixture', 'prs_fixture'),
          args: [{ campaignId: 'cmp_fixture', prospectId: 'prs_fixture', delaysMs: [0, 3 * DAY_MS, 7 * DAY_MS] }],
        });
        await env.sleep('1 day');
        await handle.signal(outreachPauseSignal);
        await env.sleep('3 days');
        await handle.signal(outreachResumeSignal);
        await eventually(() => calls === 3, { what: 'step two sent' });
        await handle.signal(outreachStopSignal, { reason: 'opted-out' });
        await handle.result();
        await saveHistory('outreach', handle);
      });
    } finally {
      await env.teardown();
    }
  });
  it('records a background email (stub activity): two failed sends, then sent', async () => {
    const env = await startWorkflowEnv(loadConfig({ ENCRYPTION_KEY: FIXTURE_ENCRYPTION_KEY }).ENCRYPTION_KEY);
    try {
      let calls = 0;
      const activities = {
        deliverEmail: async (): Promise<SendEmailResult> => {
          if (++calls <= 2) throw new Error('Resend 503 (internal_server_error, retryable)');
          return { status: 'sent' };
        },
      } satisfies StubActivities;
      await withWorker(env, activities, async (taskQueue) => {
        const key = 'account:welcome:usr_fixture';
        const handle = await env.client.workflow.start(sendEmailWorkflow, {
          taskQueue,
          workflowId: sendEmailWorkflowId(key),
          args: [{ message: { to: ['owner@clinic.example'], subject: 'Welcome to LuxLeads', text: 'Welcome', idempotencyKey: key } }],
        });
        await handle.result();
        await saveHistory('send-email', handle);
      });
    } finally {
      await env.teardown();
    }
  });
});
