/**
 * The short-lived half of connecting Meta: OAuth state nonces already used (single use), and the Pages a
 * person may connect after Facebook Login, with their tokens sealed until the owner picks some.
 * FerretDB has no TTL indexes, so expiry is checked on read and old rows are swept on write.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const usedOAuthNonceSchema = new Schema(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { versionKey: false },
);
usedOAuthNonceSchema.index({ expiresAt: 1 });

const candidatePageSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, default: '' },
    instagramId: String,
    tasks: { type: [String], default: [] },
    /** Page token encrypted with context `pending:<pendingId>:<pageId>`. */
    tokenSealed: { type: String, required: true },
  },
  { _id: false },
);

export const pendingMetaConnectionSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    userId: { type: String, required: true },
    /** The app-scoped id of the Facebook user who logged in. */
    asid: { type: String, required: true },
    pages: { type: [candidatePageSchema], default: [] },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);
pendingMetaConnectionSchema.index({ businessId: 1 });
pendingMetaConnectionSchema.index({ expiresAt: 1 });

export type PendingMetaConnectionDoc = InferSchemaType<typeof pendingMetaConnectionSchema>;
export const usedOAuthNonceModel = (c: Connection) => c.model('UsedOAuthNonce', usedOAuthNonceSchema, 'used_oauth_nonces');
export const pendingMetaConnectionModel = (c: Connection) =>
  c.model('PendingMetaConnection', pendingMetaConnectionSchema, 'pending_meta_connections');
