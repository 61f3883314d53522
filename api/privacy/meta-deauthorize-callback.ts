/**
 * Meta's deauthorize callback: a Facebook user removed our app, so every grant they gave is dead. Their
 * channels stop sending (needs_reconnect, reason `deauthorized`), their sealed tokens are deleted and each
 * business is told. Verified exactly like the data deletion callback; answers 200 with no body of note.
 */
import type { Router } from 'express';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { keyedHash } from '../../lib/crypto.js';
import { signedRequestBody, signedRequestCallback } from '../meta/signed-callback.js';
import { documentedWebhook } from '../openapi/route.js';
import type { PrivacyRouterDeps } from './deps.js';

/** Marks every grant of `asid` revoked; idempotent, so Meta's retries change nothing further. */
const revokeMetaGrants = async (models: Models, asid: string, alertKey: string) => {
  const channels = await models.Channel.find({ connectedByAsid: asid }, { businessId: 1, name: 1, kind: 1, status: 1 }).lean();
  await models.Channel.updateMany(
    { connectedByAsid: asid, status: 'connected' },
    { $set: { status: 'needs_reconnect', statusReason: 'deauthorized' } },
  );
  await models.Channel.updateMany({ connectedByAsid: asid }, { $unset: { tokenSealed: 1 } });
  const pending = await models.PendingMetaConnection.deleteMany({ asid });
  for (const c of channels.filter((ch) => ch.status === 'connected')) {
    await models.BusinessAlert.updateOne(
      { _id: `deauthorized:${c._id}:${alertKey}` },
      {
        $setOnInsert: {
          businessId: c.businessId,
          kind: 'channel_needs_reconnect',
          channelId: c._id,
          message: `The person who connected ${c.name ?? `your ${c.kind} channel`} removed LuxLeads from their Facebook account. Reconnect it to keep answering messages.`,
        },
      },
      { upsert: true },
    );
  }
  return { channels: channels.length, pendingConnections: pending.deletedCount };
};

export const metaDeauthorizeCallback = (router: Router, deps: PrivacyRouterDeps) => {
  documentedWebhook(
    router,
    {
      path: '/webhooks/meta/deauthorize',
      tags: ['Privacy'],
      summary: "Meta's deauthorize callback (signed_request): the person's channels need reconnecting",
      rawBody: signedRequestBody,
      responses: { 200: 'Grants marked revoked', 400: 'Invalid signed_request' },
    },
    signedRequestCallback(deps.config.META_APP_SECRET, 'nothing was changed'),
    async (_req, res, { verified }) => {
      const { user_id: asid, issued_at: issuedAt } = verified;
      const counts = await revokeMetaGrants(deps.models, asid, String(issuedAt ?? 'none'));
      const subject = keyedHash(deps.config.ENCRYPTION_KEY, `asid:${asid}`);
      await writeAudit(deps.models, {
        key: `deauthorize:${subject}:${issuedAt ?? 'none'}`,
        actorType: 'meta',
        action: 'meta.deauthorized',
        target: subject,
        details: counts,
      });
      res.status(200).json({ success: true });
    },
  );
};
