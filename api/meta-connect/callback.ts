/**
 * Facebook Login's return trip: the signed state authenticates, the code becomes a long-lived user token,
 * and the Pages the person granted in the dialog are kept, tokens sealed, as a pending connection the owner picks from.
 * The user token itself is never stored: Page tokens from a long-lived user token do not expire.
 */
import { randomBytes } from 'node:crypto';
import type { DebugTokenData } from '../../integrations/meta-graph.js';
import { encryptString } from '../../lib/crypto.js';
import { AppError, badRequest } from '../errors.js';
import { nowFrom, type MetaConnectDeps } from './deps.js';
import { oauthRedirectUri } from './dialog.js';
import { viaGraph } from './graph-problem.js';
import { verifyOAuthState, type StateCheck } from './oauth-state.js';
import { INSTAGRAM_LINK_PERMISSIONS } from './permissions.js';
import { pendingTokenContext } from '../../domain/encryption-contexts.js';

export const PENDING_TTL_MS = 30 * 60 * 1000;

export type CandidatePage = { id: string; name: string; hasInstagram: boolean; canMessage: boolean };
export type PendingSummary = { pendingId: string; businessId: string; pages: CandidatePage[]; expiresAt: string };

const STATE_PROBLEMS: Record<Exclude<StateCheck, { ok: true }>['why'] | 'reused', string> = {
  malformed: 'The state parameter is not one we issued; start the connection again from the dashboard.',
  bad_signature: 'The state parameter is not one we issued; start the connection again from the dashboard.',
  expired: 'This Facebook connection attempt is older than 10 minutes; start it again from the dashboard.',
  browser_mismatch: 'This connection was started in another browser; start it again from the dashboard in this browser.',
  reused: 'This Facebook connection link was already used; start the connection again from the dashboard.',
};
const stateProblem = (why: keyof typeof STATE_PROBLEMS) =>
  new AppError(400, 'invalid-oauth-state', 'Invalid connection attempt', STATE_PROBLEMS[why], { reason: why });

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** Single use: the nonce's row is the claim; a second insert of the same nonce fails on _id. */
const consumeNonce = async (deps: MetaConnectDeps, nonce: string, expiresAt: number, now: Date) => {
  await deps.models.UsedOAuthNonce.deleteMany({ expiresAt: { $lt: now } });
  try {
    await deps.models.UsedOAuthNonce.create({ _id: nonce, expiresAt: new Date(expiresAt) });
  } catch (err) {
    if (isDuplicateKey(err)) throw stateProblem('reused');
    throw err;
  }
};

export const toSummary = (p: {
  _id: string;
  businessId: string;
  expiresAt: Date;
  pages: { id: string; name?: string | null; instagramId?: string | null; tasks?: string[] }[];
}): PendingSummary => ({
  pendingId: p._id,
  businessId: p.businessId,
  pages: p.pages.map((page) => ({
    id: page.id,
    name: page.name ?? '',
    hasInstagram: Boolean(page.instagramId),
    canMessage: canMessage(page.tasks ?? []),
  })),
  expiresAt: p.expiresAt.toISOString(),
});

/**
 * The Pages the person granted pages_messaging on in the dialog (debug_token's granular_scopes), so no
 * permission beyond the policy's is needed to find them. Capped like the owner's choice (50).
 */
export const grantedPageIds = (data: DebugTokenData) => {
  const granted = data.granular_scopes?.find((g) => g.scope === 'pages_messaging')?.target_ids ?? [];
  return [...new Set(granted)].filter((id) => /^\d{1,32}$/.test(id)).slice(0, 50);
};

/** Meta omits `tasks` for some roles (and a Page read by id carries none); only an explicit list without MESSAGING rules a Page out. */
export const canMessage = (tasks: string[]) => tasks.length === 0 || tasks.includes('MESSAGING');

export const completeOAuthCallback = async (
  deps: MetaConnectDeps,
  input: { code: string; state: string; binding?: string },
): Promise<PendingSummary> => {
  const now = nowFrom(deps);
  const check = verifyOAuthState(deps.config.ENCRYPTION_KEY, input.state, input.binding, now.getTime());
  if (!check.ok) throw stateProblem(check.why);
  const { claims } = check;
  await consumeNonce(deps, claims.nonce, claims.expiresAt, now);

  const short = await viaGraph('the login code', () => deps.graph.exchangeCode(input.code, oauthRedirectUri(deps.config)));
  const long = await viaGraph('the long-lived token exchange', () => deps.graph.exchangeLongLived(short.access_token));
  const grant = await viaGraph('checking what you granted', () => deps.graph.debugToken(long.access_token));
  const asid = grant.data.user_id ?? '';
  if (!grant.data.is_valid || !/^\d{1,32}$/.test(asid))
    throw badRequest('Facebook returned an unexpected login; start the connection again.');
  // We never ask for these (policy §6): without them Meta will not name the Page's Instagram account.
  const canReadInstagramLink = INSTAGRAM_LINK_PERMISSIONS.every((p) => grant.data.scopes?.includes(p));
  const pages = [];
  for (const pageId of grantedPageIds(grant.data)) {
    const page = await viaGraph(`reading Page ${pageId}`, () =>
      deps.graph.pageForUser(pageId, long.access_token, canReadInstagramLink ? ['instagram_business_account'] : []),
    );
    if (page.access_token) pages.push({ ...page, id: pageId, access_token: page.access_token });
  }

  const pendingId = `mpc_${randomBytes(16).toString('base64url')}`;
  const ring = deps.config.ENCRYPTION_KEY;
  await deps.models.PendingMetaConnection.deleteMany({ expiresAt: { $lt: now } });
  const doc = await deps.models.PendingMetaConnection.create({
    _id: pendingId,
    businessId: claims.businessId,
    userId: claims.userId,
    asid,
    pages: pages.map((p) => ({
      id: p.id,
      name: (p.name ?? '').slice(0, 200),
      instagramId: p.instagram_business_account?.id,
      tokenSealed: encryptString(ring, p.access_token, pendingTokenContext(pendingId, p.id)),
    })),
    expiresAt: new Date(now.getTime() + PENDING_TTL_MS),
  });
  deps.log.info(
    { businessId: claims.businessId, pendingId, pageCount: doc.pages.length },
    'facebook login completed; pages waiting for the owner to choose',
  );
  return toSummary(doc);
};
