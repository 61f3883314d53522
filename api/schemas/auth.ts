/** Request and response shapes of sign-up, login, refresh and /me. */
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
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), platformRole: z.enum(['support', 'compliance', 'admin']).nullable() }),
  memberships: z.array(z.object({ businessId: z.string(), businessName: z.string().nullable(), role: z.enum(['owner', 'member']) })),
});
