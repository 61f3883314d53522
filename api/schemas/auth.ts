/** Request and response shapes of sign-up, login, refresh, /me, email verification and password change/reset. */
import { z } from 'zod';
import { EmailSchema, TimezoneSchema } from './common.js';

export const PasswordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters')
  .refine((p) => new Set(p).size > 1, 'must not repeat a single character');

export const SignupSchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    name: z.string().trim().min(1, 'is required').max(100),
    businessName: z.string().trim().min(1, 'is required').max(120),
    niche: z.string().trim().min(1).max(80).optional(),
    timezone: TimezoneSchema.optional(),
  })
  .strict();
export type Signup = z.infer<typeof SignupSchema>;

export const LoginSchema = z.object({ email: EmailSchema, password: z.string().min(1, 'is required').max(256) }).strict();
export const RefreshSchema = z.object({ refreshToken: z.string().min(10).max(200) }).strict();

export const TokenPairSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: each refresh returns a new one; reusing an old one ends the session'),
  refreshExpiresAt: z.string(),
});
export const SignupResultSchema = TokenPairSchema.extend({ userId: z.string(), businessId: z.string() });

export const MeSchema = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    emailVerified: z
      .boolean()
      .describe('false until the link mailed at sign-up is opened; an unverified account cannot join other businesses'),
    name: z.string().nullable(),
    platformRole: z.enum(['support', 'compliance', 'admin']).nullable(),
  }),
  memberships: z.array(z.object({ businessId: z.string(), businessName: z.string().nullable(), role: z.enum(['owner', 'member']) })),
});

/** A token from an emailed link (`…?token=`): opaque, single use. */
export const EmailedTokenSchema = z.string().trim().min(10, 'must be the token from the emailed link').max(200);

export const VerifyEmailSchema = z.object({ token: EmailedTokenSchema }).strict();
export const EmailVerifiedSchema = z.object({ email: z.string(), emailVerifiedAt: z.string() });

export const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1, 'is required').max(256), newPassword: PasswordSchema })
  .strict()
  .refine((b) => b.currentPassword !== b.newPassword, { message: 'must differ from the current password', path: ['newPassword'] });
export const PasswordResetRequestSchema = z.object({ email: EmailSchema }).strict();
export const PasswordResetConfirmSchema = z.object({ token: EmailedTokenSchema, newPassword: PasswordSchema }).strict();

/** 202 answers that must read the same whatever the address is (exists or not, verified or not). */
export const AcceptedSchema = z.object({ status: z.literal('accepted'), detail: z.string() });
