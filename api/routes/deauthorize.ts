/**
 * Meta's deauthorize callback: a Facebook user removed our app, so every grant they gave is dead. Their
 * channels stop sending (needs_reconnect, reason `deauthorized`), their sealed tokens are deleted and each
 * business is told. Verified exactly like the data deletion callback; answers 200 with no body of note.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../../config/schema.js';
import type { Models } from '../../db/models/index.js';
import { writeAudit } from '../../domain/audit.js';
import { keyedHash } from '../../lib/crypto.js';
import type { Logger } from '../../lib/logger.js';
import type { TemporalTarget } from '../../temporal/deadline.js';
import { AppError } from '../errors.js';
import { verifySignedRequest } from '../meta/signed-request.js';

export type PrivacyRouterDeps = { config: Config; models: Models; log: Logger; temporal: TemporalTarget };

export const disabledMeta = () =>
  new AppError(503, 'integration-disabled', 'Meta integration is not configured', 'Set META_APP_SECRET, then restart.');

/** Marks every grant of `asid` revoked; idempotent, so Meta's retries change nothing further. */
export const revokeMetaGrants = async (models: Models, asid: string, alertKey: string) => {
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

export const deauthorizeRouter = (deps: PrivacyRouterDeps) => {
  const router = Router();
  router.post(
    '/webhooks/meta/deauthorize',
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req: Request, res: Response, next: NextFunction) => {
      const secret = deps.config.META_APP_SECRET;
      if (!secret) return next(disabledMeta());
      const verified = verifySignedRequest((req.body as Record<string, unknown> | undefined)?.signed_request, secret);
      if (!verified.ok)
        return next(new AppError(400, 'invalid-signed-request', 'Invalid signed_request', `${verified.reason}; nothing was changed.`));
      const { user_id: asid, issued_at: issuedAt } = verified.payload;
      revokeMetaGrants(deps.models, asid, String(issuedAt ?? 'none'))
        .then(async (counts) => {
          await writeAudit(deps.models, {
            key: `deauthorize:${keyedHash(deps.config.ENCRYPTION_KEY, `asid:${asid}`)}:${issuedAt ?? 'none'}`,
            actorType: 'meta',
            action: 'meta.deauthorized',
            target: keyedHash(deps.config.ENCRYPTION_KEY, `asid:${asid}`),
            details: counts,
          });
          res.status(200).json({ success: true });
        })
        .catch(next);
    },
  );
  return router;
};
