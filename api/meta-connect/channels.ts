/** Channel records for connected Pages and Instagram accounts: one owner business per account, tokens sealed. */
import { createHash } from 'node:crypto';
import type { ChannelDoc } from '../../db/models/channel.js';
import type { Models } from '../../db/models/index.js';
import { writeAudit, type AuditInput } from '../../domain/audit.js';
import { encryptString, type KeyRing } from '../../lib/crypto.js';
import { conflict } from '../errors.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';
import type { Actor } from './deps.js';

export type ChannelKind = 'messenger' | 'instagram';

/** Deterministic per business: reconnecting reuses the record (and its threads), another business gets its own. */
export const channelIdFor = (businessId: string, kind: ChannelKind, externalId: string) =>
  `ch_${createHash('sha256').update(`${businessId}|${kind}|${externalId}`).digest('hex').slice(0, 24)}`;

/** The audit entry of a person connecting or disconnecting a channel of their business. */
export const auditChannelChange = (
  models: Models,
  by: { businessId: string; actor: Actor },
  change: { action: 'channel.connected' | 'channel.disconnected'; channelId: string; details: AuditInput['details'] },
  now: Date,
) =>
  writeAudit(
    models,
    {
      actorType: 'user',
      actorId: by.actor.userId,
      actorRole: by.actor.role,
      businessId: by.businessId,
      action: change.action,
      target: change.channelId,
      details: change.details,
    },
    now,
  );

/** What the dashboard sees of a channel: never the token, never who granted it. */
export const publicChannel = (c: ChannelDoc & { _id: string }) => ({
  id: c._id,
  kind: c.kind,
  externalId: c.externalId,
  pageId: c.pageId,
  name: c.name ?? null,
  status: c.status,
  statusReason: c.statusReason ?? null,
  connectedAt: c.connectedAt?.toISOString() ?? null,
  disconnectedAt: c.disconnectedAt?.toISOString() ?? null,
  lastHealthCheckAt: c.lastHealthCheckAt?.toISOString() ?? null,
});

const takenElsewhere = (kind: ChannelKind, externalId: string) =>
  conflict(
    `This ${kind === 'messenger' ? 'Facebook Page' : 'Instagram account'} (${externalId}) is connected to another business; disconnect it there first.`,
  );

/** Fails with 409 when another business still holds the account (connected or waiting for reconnection). */
export const assertUnclaimed = async (models: Models, businessId: string, kind: ChannelKind, externalId: string) => {
  const existing = await models.Channel.findOne({ kind, externalId }, { businessId: 1, status: 1 }).lean();
  if (existing && existing.businessId !== businessId && existing.status !== 'disconnected') throw takenElsewhere(kind, externalId);
};

export type ChannelUpsert = {
  businessId: string;
  kind: ChannelKind;
  externalId: string;
  pageId: string;
  name: string;
  token: string;
  asid: string;
  at: Date;
};

export const upsertConnectedChannel = async (models: Models, ring: KeyRing, c: ChannelUpsert) => {
  const existing = await models.Channel.findOne({ kind: c.kind, externalId: c.externalId }).lean();
  if (existing && existing.businessId !== c.businessId) {
    if (existing.status !== 'disconnected') throw takenElsewhere(c.kind, c.externalId);
    // Released by another business: its record goes, so that business's old threads can never send with this token.
    await models.Channel.deleteOne({ _id: existing._id, status: 'disconnected' });
  }
  const _id = existing && existing.businessId === c.businessId ? existing._id : channelIdFor(c.businessId, c.kind, c.externalId);
  try {
    await models.Channel.updateOne(
      { _id },
      {
        $set: {
          businessId: c.businessId,
          kind: c.kind,
          externalId: c.externalId,
          pageId: c.pageId,
          name: c.name,
          tokenSealed: encryptString(ring, c.token, channelTokenContext(_id)),
          status: 'connected',
          connectedByAsid: c.asid,
          connectedAt: c.at,
        },
        $unset: { statusReason: 1, disconnectedAt: 1 },
      },
      { upsert: true },
    );
  } catch (err) {
    // The unique {kind, externalId} index settles a race between two businesses connecting the same Page.
    if ((err as { code?: number }).code === 11000) throw takenElsewhere(c.kind, c.externalId);
    throw err;
  }
  const saved = await models.Channel.findById(_id).lean();
  if (!saved) throw new Error(`channel ${_id} vanished after upsert`);
  return saved;
};
