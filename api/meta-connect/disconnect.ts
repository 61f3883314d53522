/**
 * Disconnecting a channel always succeeds here, whatever Meta answers: webhooks for the Page are switched off
 * when no other channel of ours still needs them, the person's grant is revoked when nothing else uses it,
 * and the sealed token is deleted. Threads of the channel stop sending because delivery needs 'connected'.
 */
import { decryptString } from '../../lib/crypto.js';
import { notFound } from '../errors.js';
import { auditChannelChange, publicChannel } from './channels.js';
import { appToken, nowFrom, type Actor, type MetaConnectDeps } from './deps.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

const ACTIVE = { $ne: 'disconnected' as const };

const attempt = async (deps: MetaConnectDeps, what: string, call: () => Promise<unknown>) => {
  try {
    await call();
    return true;
  } catch (err) {
    // An already revoked grant or a dead token is fine: the goal is that we stop, not that Meta agrees.
    deps.log.warn({ what, err: (err as Error).message }, 'meta call during disconnect failed; disconnecting locally anyway');
    return false;
  }
};

export const disconnectChannel = async (deps: MetaConnectDeps, input: { businessId: string; channelId: string; actor: Actor }) => {
  const { models, config } = deps;
  const channel = await models.Channel.findOne({ _id: input.channelId, businessId: input.businessId }).lean();
  if (!channel) throw notFound('channel');
  if (channel.status === 'disconnected') return { channel: publicChannel(channel), unsubscribed: false, revoked: false };

  let token: string | undefined;
  try {
    token = channel.tokenSealed ? decryptString(config.ENCRYPTION_KEY, channel.tokenSealed, channelTokenContext(channel._id)) : undefined;
  } catch (err) {
    deps.log.warn({ channelId: channel._id, err: (err as Error).message }, 'channel token could not be decrypted; skipping Meta clean-up');
  }

  const pageStillUsed = await models.Channel.exists({
    _id: { $ne: channel._id },
    businessId: input.businessId,
    pageId: channel.pageId,
    status: ACTIVE,
  });
  const unsubscribed =
    !pageStillUsed && token !== undefined
      ? await attempt(deps, 'unsubscribe page', () => deps.graph.unsubscribeApp(channel.pageId, token))
      : false;

  // The grant is the person's, across every business they connected: revoke it only when nothing uses it.
  const asid = channel.connectedByAsid;
  const grantStillUsed = asid ? await models.Channel.exists({ _id: { $ne: channel._id }, connectedByAsid: asid, status: ACTIVE }) : true;
  const revoked =
    asid && !grantStillUsed ? await attempt(deps, 'revoke permissions', () => deps.graph.revokePermissions(asid, appToken(config))) : false;

  const now = nowFrom(deps);
  await models.Channel.updateOne(
    { _id: channel._id },
    { $set: { status: 'disconnected', disconnectedAt: now }, $unset: { tokenSealed: 1, statusReason: 1 } },
  );
  deps.invalidateRoutes?.();
  await auditChannelChange(
    models,
    input,
    { action: 'channel.disconnected', channelId: channel._id, details: { kind: channel.kind, unsubscribed, revoked } },
    now,
  );
  deps.log.info({ businessId: input.businessId, channelId: channel._id, unsubscribed, revoked }, 'meta channel disconnected');
  const after = await models.Channel.findById(channel._id).lean();
  return { channel: publicChannel(after ?? channel), unsubscribed, revoked };
};
