/** API keys, members and the audit trail of a business. */
import { z } from 'zod';
import { BusinessParamsSchema, EmailSchema, IdSchema } from './common.js';

export const CreateApiKeySchema = z.object({ name: z.string().trim().min(1, 'is required').max(80) }).strict();
export const ApiKeyParamsSchema = BusinessParamsSchema.extend({ apiKeyId: IdSchema });
export const ApiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const CreatedApiKeySchema = ApiKeyViewSchema.extend({ key: z.string().describe('shown once; store it now') });

export const InviteMemberSchema = z.object({ email: EmailSchema, role: z.enum(['owner', 'member']).default('member') }).strict();
export const MemberParamsSchema = BusinessParamsSchema.extend({ userId: IdSchema });
export const AcceptInviteSchema = z
  .object({ token: z.string().trim().min(10, 'must be the token from the invitation link').max(200) })
  .strict();
export const JoinedBusinessSchema = z.object({ businessId: z.string(), businessName: z.string(), role: z.enum(['owner', 'member']) });
export const MemberViewSchema = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: z.enum(['owner', 'member']),
  since: z.string(),
});

export const AuditEntryViewSchema = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
