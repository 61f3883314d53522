/** A connected Messenger Page or Instagram account; its token is stored only encrypted. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const CHANNEL_KINDS = ['messenger', 'instagram'] as const;

export const channelSchema = new Schema(
  {
    _id: { type: String, required: true },
    businessId: { type: String, required: true },
    kind: { type: String, enum: CHANNEL_KINDS, required: true },
    /** Page id for Messenger, Instagram professional account id for Instagram. */
    externalId: { type: String, required: true },
    /** The Facebook Page whose token sends for this channel (itself for Messenger). */
    pageId: { type: String, required: true },
    name: String,
    tokenSealed: String,
    status: { type: String, enum: ['connected', 'needs_reconnect', 'disconnected'], default: 'connected' },
    statusReason: String,
    connectedByAsid: String,
    connectedAt: Date,
    disconnectedAt: Date,
    lastHealthCheckAt: Date,
  },
  { timestamps: true, versionKey: false },
);
channelSchema.index({ kind: 1, externalId: 1 }, { unique: true });
channelSchema.index({ businessId: 1 });

export type ChannelDoc = InferSchemaType<typeof channelSchema>;
export const channelModel = (c: Connection) => c.model('Channel', channelSchema, 'channels');
