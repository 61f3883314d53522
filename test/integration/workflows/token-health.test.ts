import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenHealthActivities } from '../../../activities/channels/token-health.js';
import { DEMO } from '../../../domain/demo-seed.js';
import { tokenHealthWorkflow } from '../../../workflows/token-health.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';

describe('token health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('token-health');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('leaves healthy channels alone, then marks them when Meta invalidates the token and tells the business once', async () => {
    const handle = await h.client.workflow.start(tokenHealthWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: `token-health-test-${randomUUID()}`,
      args: [{ businessId: DEMO.businessId, intervalMs: 300 }],
    });
    // A round checks the channels one after the other: wait until both have been checked, not just the first.
    await eventually(
      async () => (await h.models.Channel.countDocuments({ businessId: DEMO.businessId, lastHealthCheckAt: { $exists: true } })) === 2,
      { what: 'first check of both channels' },
    );
    expect((await h.models.Channel.findById('ch_demo_messenger').lean())?.status).toBe('connected');
    const debugCalls = h.graph.callsTo('GET', /\/debug_token$/);
    expect(debugCalls.length).toBeGreaterThanOrEqual(2);
    expect(debugCalls[0]!.query.access_token).toBe(`${h.graph.appId}|${h.graph.appSecret}`);

    h.graph.invalidateToken(DEMO.pageToken);
    const outcome = await handle.result();
    expect(outcome.reason).toBe('no_connected_channels');
    const channels = await h.models.Channel.find({ businessId: DEMO.businessId }).lean();
    expect(channels.map((c) => [c._id, c.status])).toEqual([
      ['ch_demo_messenger', 'needs_reconnect'],
      ['ch_demo_instagram', 'needs_reconnect'],
    ]);
    expect(channels[0]!.statusReason).toMatch(/no longer valid/);

    const alerts = await h.models.BusinessAlert.find({ businessId: DEMO.businessId }).lean();
    expect(alerts.map((a) => [a.kind, a.channelId])).toEqual([
      ['channel_needs_reconnect', 'ch_demo_messenger'],
      ['channel_needs_reconnect', 'ch_demo_instagram'],
    ]);
    expect(alerts[0]!.message).toMatch(/Reconnect/);
    // The workflow emails the business about it (recorded as notified once).
    expect(alerts.every((a) => a.notifiedAt)).toBe(true);
    expect(JSON.stringify(alerts)).not.toContain(DEMO.pageToken);
    expect(await h.models.AuditEntry.countDocuments({ businessId: DEMO.businessId, action: 'channel.needs_reconnect' })).toBe(2);

    // Another round (or a retry) adds nothing.
    const again = await createTokenHealthActivities(h.activityDeps).checkChannelTokens({ businessId: DEMO.businessId });
    expect(again).toEqual({ checked: 2, markedChannelIds: [], connected: 0 });
    expect(await h.models.BusinessAlert.countDocuments({ businessId: DEMO.businessId })).toBe(2);
  });

  it('alerts about a channel a failed send already marked, and never trusts an error about the app token', async () => {
    await h.models.Business.create({ _id: 'biz_th', name: 'TH', publishableKey: 'pk_th' });
    await h.models.Channel.create({
      _id: 'ch_th_marked',
      businessId: 'biz_th',
      kind: 'messenger',
      externalId: '300000000000001',
      pageId: '300000000000001',
      status: 'needs_reconnect',
      statusReason: 'token rejected by Meta (code 190)',
      connectedAt: new Date(),
    });
    const activities = createTokenHealthActivities(h.activityDeps);
    expect(await activities.checkChannelTokens({ businessId: 'biz_th' })).toEqual({ checked: 1, markedChannelIds: [], connected: 0 });
    expect(await h.models.BusinessAlert.countDocuments({ businessId: 'biz_th', channelId: 'ch_th_marked' })).toBe(1);

    await h.models.Channel.updateOne({ _id: 'ch_demo_messenger' }, { $set: { status: 'connected' } });
    h.graph.failNext({
      method: 'GET',
      path: /\/debug_token$/,
      status: 400,
      body: { error: { code: 190, message: 'Invalid OAuth access token (app)' } },
    });
    const inconclusive = await activities.checkChannelTokens({ businessId: DEMO.businessId });
    expect(inconclusive.markedChannelIds).toEqual([]);
    expect((await h.models.Channel.findById('ch_demo_messenger').lean())?.status).toBe('connected');
  });
});
