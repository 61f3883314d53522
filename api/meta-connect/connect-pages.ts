/**
 * The owner picks Pages from a pending connection: each is checked live at Meta, subscribed to our webhooks,
 * and stored as a Messenger channel (plus an Instagram channel when an account is linked). Claims are checked
 * before any call to Meta, so a Page of another business is refused without side effects.
 */
import { decryptString } from '../../lib/crypto.js';
import { badRequest, notFound, planLimitReached } from '../errors.js';
import { canMessage } from './callback.js';
import { assertUnclaimed, auditChannelChange, publicChannel, upsertConnectedChannel } from './channels.js';
import { nowFrom, type Actor, type MetaConnectDeps } from './deps.js';
import { PAGE_WEBHOOK_FIELDS } from './dialog.js';
import { viaGraph } from './graph-problem.js';
import { pendingTokenContext } from '../../domain/encryption-contexts.js';
import { billingPageUrl, channelsInUseFilter, checkPlanLimit } from '../../domain/plan-limits.js';
import type { Models } from '../../db/models/index.js';
import type { Config } from '../../config/schema.js';

export type ConnectPagesInput = { businessId: string; pendingId: string; pageIds: string[]; actor: Actor };

export const loadPending = async (deps: MetaConnectDeps, q: { businessId: string; pendingId: string; userId: string }) => {
  // Only the person who logged in with Facebook may use the Pages their login reached.
  const pending = await deps.models.PendingMetaConnection.findOne({
    _id: q.pendingId,
    businessId: q.businessId,
    userId: q.userId,
    expiresAt: { $gt: nowFrom(deps) },
  }).lean();
  if (!pending) throw notFound('pending Facebook connection (it expires 30 minutes after login)');
  return pending;
};

/** The accounts among `wanted` that would take a new channel slot (reconnecting one in use takes none). */
const newChannelKeys = async (models: Models, businessId: string, wanted: { kind: string; externalId: string }[]) => {
  const inUse = await models.Channel.find(channelsInUseFilter(businessId), { kind: 1, externalId: 1 }).lean();
  const held = new Set(inUse.map((c) => `${c.kind}:${c.externalId}`));
  return new Set(wanted.map((w) => `${w.kind}:${w.externalId}`).filter((k) => !held.has(k)));
};

/** The channels a Page brings: its Messenger channel, and its Instagram account when one is linked. */
const accountsOf = (page: { id: string; instagramId?: string | null }) => [
  { kind: 'messenger', externalId: page.id },
  ...(page.instagramId ? [{ kind: 'instagram', externalId: page.instagramId }] : []),
];

/** Refuses with 402 when the plan has no room for `adding` more channels (see domain/plan-limits.ts). */
const assertChannelRoom = async (models: Models, config: Config, businessId: string, adding: number) => {
  if (adding === 0) return;
  const check = await checkPlanLimit(models, {
    businessId,
    resource: 'channels',
    adding,
    isStripeConfigured: Boolean(config.STRIPE_SECRET_KEY),
  });
  if (!check.isAllowed) throw planLimitReached(check, billingPageUrl(config.PUBLIC_URL));
};

export const connectPages = async (deps: MetaConnectDeps, input: ConnectPagesInput) => {
  const { models, config } = deps;
  const pending = await loadPending(deps, { businessId: input.businessId, pendingId: input.pendingId, userId: input.actor.userId });
  const chosen = [...new Set(input.pageIds)].map((id) => {
    const page = pending.pages.find((p) => p.id === id);
    if (!page) throw badRequest(`Page ${id} was not offered by this Facebook login; choose among the listed pages.`);
    if (!canMessage(page.tasks))
      throw badRequest(`You cannot manage messages of "${page.name}" on Facebook; ask a Page admin to give you the Messaging task.`);
    return page;
  });
  for (const page of chosen) {
    await assertUnclaimed(models, input.businessId, 'messenger', page.id);
    if (page.instagramId) await assertUnclaimed(models, input.businessId, 'instagram', page.instagramId);
  }
  // The plan's channel limit, before any call to Meta: a refusal changes nothing anywhere.
  await assertChannelRoom(
    models,
    config,
    input.businessId,
    (await newChannelKeys(models, input.businessId, chosen.flatMap(accountsOf))).size,
  );

  const now = nowFrom(deps);
  const connected = [];
  for (const page of chosen) {
    const token = decryptString(config.ENCRYPTION_KEY, page.tokenSealed, pendingTokenContext(pending._id, page.id));
    const live = await viaGraph(`reading Page ${page.id}`, () => deps.graph.getPage(page.id, token));
    if (live.is_published === false) throw badRequest(`"${page.name}" is not published on Facebook; publish it, then connect it again.`);
    await viaGraph(`subscribing Page ${page.id} to messages`, () => deps.graph.subscribeApp(page.id, token, [...PAGE_WEBHOOK_FIELDS]));
    const name = live.name ?? page.name ?? '';
    const base = { businessId: input.businessId, pageId: page.id, token, asid: pending.asid, at: now };
    // Again at the moment of writing this Page's channels (count, then write: the race is in domain/plan-limits.ts).
    await assertChannelRoom(models, config, input.businessId, (await newChannelKeys(models, input.businessId, accountsOf(page))).size);
    connected.push(await upsertConnectedChannel(models, config.ENCRYPTION_KEY, { ...base, kind: 'messenger', externalId: page.id, name }));
    // Read at login (only possible when the person's grant allows it); the Page token may not read it again.
    const igId = page.instagramId ?? undefined;
    if (igId)
      connected.push(
        await upsertConnectedChannel(models, config.ENCRYPTION_KEY, {
          ...base,
          kind: 'instagram',
          externalId: igId,
          name: `${name} (Instagram)`,
        }),
      );
  }

  await models.Business.updateOne({ _id: input.businessId }, { $set: { ownerAsid: pending.asid } });
  await models.User.updateOne({ _id: input.actor.userId }, { $set: { metaAsid: pending.asid } });
  // Consumed only once every chosen Page succeeded, so a failure part-way can simply be retried.
  await models.PendingMetaConnection.deleteOne({ _id: pending._id });
  deps.invalidateRoutes?.();
  for (const c of connected) {
    await auditChannelChange(models, input, { action: 'channel.connected', channelId: c._id, details: { kind: c.kind } }, now);
  }
  try {
    await deps.ensureTokenHealth?.(input.businessId);
  } catch (err) {
    deps.log.error(
      { businessId: input.businessId, err: (err as Error).message },
      'token health check could not be started; channels are connected anyway',
    );
  }
  deps.log.info({ businessId: input.businessId, channels: connected.map((c) => c._id) }, 'meta channels connected');
  return connected.map(publicChannel);
};
