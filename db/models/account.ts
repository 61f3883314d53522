/**
 * People who log in, their memberships of businesses, their sessions, the businesses' API keys, the
 * single-use tokens that emails carry (verification, password reset, invitation) and login backoff.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const PLATFORM_ROLES = ['support', 'compliance', 'admin'] as const;
export const BUSINESS_ROLES = ['owner', 'member'] as const;

export const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    passwordHash: { type: String, required: true },
    name: String,
    /** Authorised LuxLeads personnel only; every access they make to a business is audited. */
    platformRole: { type: String, enum: PLATFORM_ROLES },
    metaAsid: String,
    /** Set when the person proved they read this address (a verification or reset link); null until then. */
    emailVerifiedAt: { type: Date, default: null },
    passwordChangedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });

export const membershipSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    businessId: { type: String, required: true },
    role: { type: String, enum: BUSINESS_ROLES, required: true },
  },
  { timestamps: true, versionKey: false },
);
membershipSchema.index({ userId: 1 });
membershipSchema.index({ businessId: 1 });

/** A refresh-token session; the _id is a hash of the refresh token, never the token itself. */
export const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    rotatedTo: String,
  },
  { timestamps: true, versionKey: false },
);
sessionSchema.index({ sessionId: 1 });
sessionSchema.index({ userId: 1 });

export const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    name: String,
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    createdBy: String,
    lastUsedAt: Date,
    revokedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
apiKeySchema.index({ hash: 1 }, { unique: true });
apiKeySchema.index({ businessId: 1 });

export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'password_reset', 'invite'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** A token mailed to someone; the _id is its SHA-256, never the token. Spent once (usedAt), then kept until it expires. */
export const accountTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: ACCOUNT_TOKEN_PURPOSES, required: true },
    /** The address the token was mailed to; it must still be the account's email when it is spent. */
    email: { type: String, required: true },
    userId: String,
    businessId: String,
    role: { type: String, enum: BUSINESS_ROLES },
    createdBy: String,
    expiresAt: { type: Date, required: true },
    usedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
accountTokenSchema.index({ userId: 1, purpose: 1 });

/** Failed logins of one email from one IP; the _id is a hash of both, so neither is stored in clear. */
export const loginThrottleSchema = new Schema(
  { _id: { type: String, required: true }, failures: { type: Number, default: 0 }, lastFailureAt: Date, blockedUntil: Date },
  { versionKey: false },
);

export type UserDoc = InferSchemaType<typeof userSchema>;
export const userModel = (c: Connection) => c.model('User', userSchema, 'users');
export const membershipModel = (c: Connection) => c.model('Membership', membershipSchema, 'memberships');
export const sessionModel = (c: Connection) => c.model('Session', sessionSchema, 'sessions');
export const apiKeyModel = (c: Connection) => c.model('ApiKey', apiKeySchema, 'api_keys');
export const accountTokenModel = (c: Connection) => c.model('AccountToken', accountTokenSchema, 'account_tokens');
export const loginThrottleModel = (c: Connection) => c.model('LoginThrottle', loginThrottleSchema, 'login_throttles');
