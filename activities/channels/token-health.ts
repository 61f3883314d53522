/**
 * Checks a business's Meta channel tokens with debug_token. A token Meta calls invalid marks the channel
 * `needs_reconnect` and leaves a BusinessAlert (once per connection) for notifications to send to the owner.
 */
import { writeAudit } from '../../domain/audit.js';
import { decryptString } from '../../lib/crypto.js';
import { nowOf, type ActivityDeps } from '../deps.js';
import { channelTokenContext } from '../../domain/encryption-contexts.js';

type ChannelRow = {
  _id: string;
  businessId: string;
  kind: string;
  name?: string | null;
  status: string;
  statusReason?: string | null;
  connectedAt?: Date | null;
  tokenSealed?: string | null;
};
type Verdict = { isValid: true } | { isValid: false; reason: string } | { isValid: 'unknown' };

export type TokenHealthResult = { checked: number; markedChannelIds: string[]; connected: number };

const REQUIRED_SCOPE = 'pages_messaging';

export const createTokenHealthActivities = (deps: ActivityDeps) => {
  const { models, log } = deps;

  const verdictFor = async (c: ChannelRow): Promise<Verdict> => {
    let token: string;
    try {
      token = decryptString(deps.keyRing, c.tokenSealed ?? '', channelTokenContext(c._id));
    } catch {
      return { isValid: false, reason: 'the stored token cannot be read (encryption key changed)' };
    }
    try {
      const { data } = await deps.graph.debugToken(token);
      if (!data.is_valid)
        return {
          isValid: false,
          reason: 'Meta reports the Page token is no longer valid (password change, removed Page role or revoked permission)',
        };
      if (data.scopes && !data.scopes.includes(REQUIRED_SCOPE))
        return { isValid: false, reason: `the ${REQUIRED_SCOPE} permission was removed` };
      return { isValid: true };
    } catch (err) {
      // An error here is about our app token or Meta itself, never proof that this Page's token died.
      log.warn({ channelId: c._id, err: (err as Error).message }, 'token health check inconclusive; will check again next round');
      return { isValid: 'unknown' };
    }
  };

  /** Idempotent: the alert and audit keys name the channel's connection, so a retry or a rerun adds nothing. */
  const alertOwner = async (c: ChannelRow, reason: string) => {
    const key = `channel_needs_reconnect:${c._id}:${c.connectedAt?.getTime() ?? 0}`;
    const label = c.kind === 'instagram' ? 'Instagram account' : 'Facebook Page';
    await models.BusinessAlert.updateOne(
      { _id: key },
      {
        $setOnInsert: {
          businessId: c.businessId,
          kind: 'channel_needs_reconnect',
          channelId: c._id,
          message: `Your ${label} "${c.name ?? c._id}" stopped working: ${reason}. Reconnect it in Channels so replies keep going out.`,
        },
      },
      { upsert: true },
    );
    await writeAudit(models, {
      actorType: 'system',
      businessId: c.businessId,
      action: 'channel.needs_reconnect',
      target: c._id,
      details: { reason },
      key: `aud_${key}`,
    });
    log.warn({ businessId: c.businessId, channelId: c._id, reason }, 'channel needs reconnection: tell the business');
  };

  return {
    async checkChannelTokens(input: { businessId: string }): Promise<TokenHealthResult> {
      const channels = (await models.Channel.find({
        businessId: input.businessId,
        status: { $in: ['connected', 'needs_reconnect'] },
      }).lean()) as ChannelRow[];
      const marked: string[] = [];
      let connected = 0;
      for (const c of channels) {
        if (c.status === 'needs_reconnect') {
          // Marked by a failed send: make sure the owner hears about it too.
          await alertOwner(c, c.statusReason ?? 'Meta rejected the Page token');
          continue;
        }
        const verdict = await verdictFor(c);
        await models.Channel.updateOne({ _id: c._id }, { $set: { lastHealthCheckAt: nowOf(deps) } });
        if (verdict.isValid !== false) {
          connected++;
          continue;
        }
        const changed = await models.Channel.updateOne(
          { _id: c._id, status: 'connected' },
          { $set: { status: 'needs_reconnect', statusReason: verdict.reason } },
        );
        if (changed.modifiedCount === 1) marked.push(c._id);
        await alertOwner(c, verdict.reason);
      }
      return { checked: channels.length, markedChannelIds: marked, connected };
    },
  };
};
