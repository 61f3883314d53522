import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadWebhookActivities, deliveryIdFor } from '../../../activities/notifications/lead-webhooks.js';
import { encryptString } from '../../../lib/crypto.js';
import type { ResolveHost } from '../../../lib/outbound-target.js';
import { eventually, startHarness, type Harness } from '../../helpers/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { leadWebhookSecretContext } from '../../../domain/encryption-contexts.js';

/** Names for these tests only: the system resolver knows none of them, so a delivery can only use our answer. */
const fakeDns = (answers: Record<string, string[]>) => {
  const asked: string[] = [];
  const resolveHost: ResolveHost = async (hostname) => {
    asked.push(hostname);
    return (answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolveHost };
};

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('deliverLeadWebhook: only public addresses, pinned, no redirects, bounded answers', () => {
  let h: Harness;
  let crm: WebhookReceiver;
  const servers: Server[] = [];
  beforeAll(async () => {
    h = await startHarness('lead-webhook-delivery-activity', { startWorker: false });
    crm = await startWebhookReceiver();
  });
  afterAll(async () => {
    await h?.stop();
    await crm?.close();
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  /** An endpoint and a lead event to send to it; returns what deliverLeadWebhook takes. */
  const endpointFor = async (url: string) => {
    const id = randomUUID().slice(0, 8);
    const [businessId, endpointId, leadId] = [`biz_${id}`, `lwh_${id}`, `lead_${id}`];
    await h.models.LeadWebhook.create({
      _id: endpointId,
      businessId,
      url,
      secretSealed: encryptString(h.config.ENCRYPTION_KEY, 'whsec_test', leadWebhookSecretContext(endpointId)),
    });
    await h.models.Lead.create({ _id: leadId, businessId, channel: 'web', name: 'Sam Taylor' });
    await h.models.LeadEvent.create({ _id: `lead_created:${leadId}`, businessId, leadId, kind: 'lead_created' });
    return { businessId, endpointId, eventId: `lead_created:${leadId}`, workflowId: `wf-${id}`, attempt: 1 };
  };

  const activitiesWith = (resolveHost: ResolveHost, allowLoopback = true) =>
    createLeadWebhookActivities({
      ...h.activityDeps,
      notify: { ...h.activityDeps.notify!, webhookTargets: { allowLoopback, resolveHost } },
    });

  const loggedRow = async (input: { workflowId: string }) =>
    (await h.models.WebhookDelivery.findById(deliveryIdFor(input.workflowId, 1)).lean())!;

  it('refuses at delivery time a name that now resolves to a private address, and logs only "address not allowed"', async () => {
    const dns = fakeDns({
      'crm.rebound.test': ['10.0.0.5'],
      'mixed.rebound.test': ['93.184.216.34', '169.254.169.254'],
      'ula.rebound.test': ['fd00::5'],
    });
    for (const host of ['crm.rebound.test', 'mixed.rebound.test', 'ula.rebound.test']) {
      const input = await endpointFor(`https://${host}:8443/hooks`);
      expect(await activitiesWith(dns.resolveHost).deliverLeadWebhook(input)).toEqual({ status: 'failed', why: 'address not allowed' });
      const row = await loggedRow(input);
      expect(row).toMatchObject({ isDelivered: false, error: 'address not allowed' });
      expect(row.statusCode).toBeUndefined();
    }
    expect(dns.asked).toEqual(['crm.rebound.test', 'mixed.rebound.test', 'ula.rebound.test']);
  });

  it('refuses loopback when it is not allowed (production)', async () => {
    const dns = fakeDns({ 'localhost.rebound.test': ['127.0.0.1'] });
    for (const url of [crm.url, 'http://localhost.rebound.test/hooks', 'https://[::ffff:7f00:1]/hooks']) {
      const input = await endpointFor(url);
      expect(await activitiesWith(dns.resolveHost, false).deliverLeadWebhook(input)).toEqual({
        status: 'failed',
        why: 'address not allowed',
      });
    }
    expect(crm.received).toHaveLength(0);
  });

  it('connects to the address it vetted, resolving once, with the host name kept in Host', async () => {
    const port = new URL(crm.url).port;
    const dns = fakeDns({ 'crm.pinned.test': ['127.0.0.1'] });
    const input = await endpointFor(`http://crm.pinned.test:${port}/hooks/luxleads`);
    const before = crm.received.length;
    expect(await activitiesWith(dns.resolveHost).deliverLeadWebhook(input)).toEqual({ status: 'delivered', statusCode: 200 });
    expect(dns.asked).toEqual(['crm.pinned.test']);
    expect(crm.received).toHaveLength(before + 1);
    expect(crm.received.at(-1)!.headers.host).toBe(`crm.pinned.test:${port}`);
  });

  it('does not follow a redirect: a 302 is a failed attempt with a plain reason', async () => {
    const redirector = createServer((_req, res) => res.writeHead(302, { location: crm.url }).end());
    servers.push(redirector);
    const input = await endpointFor(`http://127.0.0.1:${await listen(redirector)}/hooks`);
    const before = crm.received.length;
    expect(await activitiesWith(fakeDns({}).resolveHost).deliverLeadWebhook(input)).toEqual({
      status: 'failed',
      statusCode: 302,
      why: 'HTTP 302 (redirects are not followed)',
    });
    expect(await loggedRow(input)).toMatchObject({ statusCode: 302, isDelivered: false, error: 'HTTP 302 (redirects are not followed)' });
    expect(crm.received).toHaveLength(before);
  });

  it('stops reading an endless answer and still records the status', async () => {
    let isClosed = false;
    const flood = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (isClosed = true));
      pump();
    });
    servers.push(flood);
    const input = await endpointFor(`http://127.0.0.1:${await listen(flood)}/hooks`);
    const result = await activitiesWith(fakeDns({}).resolveHost).deliverLeadWebhook(input);
    expect(result).toEqual({ status: 'delivered', statusCode: 200 });
    // Well inside the 10 s delivery timeout: the read was cut off, not timed out.
    expect((await loggedRow(input)).durationMs).toBeLessThan(5_000);
    await eventually(() => isClosed, { what: 'flood connection closed by us' });
  });

  it('logs a refused connection as "connection failed", without the socket error or address', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const input = await endpointFor(`http://127.0.0.1:${port}/hooks`);
    expect(await activitiesWith(fakeDns({}).resolveHost).deliverLeadWebhook(input)).toEqual({ status: 'failed', why: 'connection failed' });
    // Exactly the plain reason: no ECONNREFUSED, no address or port to learn from.
    expect(await loggedRow(input)).toMatchObject({ isDelivered: false, error: 'connection failed' });
  });
});
