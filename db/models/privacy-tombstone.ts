/**
 * What outlives an erasure, objection or restriction: one row per identifier of the person (a thread's
 * contact, a lead's email or phone, per business), named by a keyed hash and holding nothing else personal.
 * The webhook and widget consult it before handing an event to a workflow (lib/privacy-tombstones.ts).
 * Kept indefinitely: it is what stops a redelivered event from bringing erased data back.
 */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const TOMBSTONE_KINDS = ['contact', 'email', 'phone'] as const;
export const RESTRICTION_REASONS = ['objection', 'restriction'] as const;

export const privacyTombstoneSchema = new Schema(
  {
    /** hashFor(ring, 'tombstone', …).hex under the key named by keyId; lookups try every ring key. */
    _id: { type: String, required: true },
    keyId: { type: String, required: true },
    kind: { type: String, enum: TOMBSTONE_KINDS, required: true },
    /** Latest erasure: events sent up to then (a Meta redelivery) are dropped; web sessions end for good. */
    erasedAt: Date,
    /** First objection or restriction: nothing from this person is processed any more. */
    restrictedAt: Date,
    restriction: { type: String, enum: RESTRICTION_REASONS },
    /** The privacy requests that wrote it (ids only), for the audit trail. */
    requestIds: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);

export type PrivacyTombstoneDoc = InferSchemaType<typeof privacyTombstoneSchema>;
export const privacyTombstoneModel = (c: Connection) => c.model('PrivacyTombstone', privacyTombstoneSchema, 'privacy_tombstones');
