/** People who log in, their memberships of businesses, their sessions and the businesses' API keys. */
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
    failedLogins: { type: Number, default: 0 },
    lockedUntil: Date,
  },
  { timestamps: true, versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });

export const membershipSchema = new Schema(
  { _id: { type: String, required: true }, userId: { type: String, required: true }, businessId: { type: String, required: true }, role: { type: String, enum: BUSINESS_ROLES, required: true } },
  { timestamps: true, versionKey: false },
);
membershipSchema.index({ userId: 1 });
membershipSchema.index({ businessId: 1 });

/** A refresh-token session; the _id is a hash of the refresh token, never the token itself. */
export const sessionSchema = new Schema(
  { _id: { type: String, required: true }, sessionId: { type: String, required: true }, userId: { type: String, required: true }, expiresAt: { type: Date, required: true }, revokedAt: Date, rotatedTo: String },
  { timestamps: true, versionKey: false },
);
sessionSchema.index({ sessionId: 1 });
sessionSchema.index({ userId: 1 });

export const apiKeySchema = new Schema(
  { _id: { type: String, required: true }, businessId: { type: String, required: true }, name: String, prefix: { type: String, required: true }, hash: { type: String, required: true }, createdBy: String, lastUsedAt: Date, revokedAt: Date },
  { timestamps: true, versionKey: false },
);
apiKeySchema.index({ hash: 1 }, { unique: true });
apiKeySchema.index({ businessId: 1 });

export type UserDoc = InferSchemaType<typeof userSchema>;
export const userModel = (c: Connection) => c.model('User', userSchema, 'users');
export const membershipModel = (c: Connection) => c.model('Membership', membershipSchema, 'memberships');
export const sessionModel = (c: Connection) => c.model('Session', sessionSchema, 'sessions');
export const apiKeyModel = (c: Connection) => c.model('ApiKey', apiKeySchema, 'api_keys');
