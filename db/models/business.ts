/** A business (tenant): its profile drives the assistant, its settings drive widget and notifications. */
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const workingHoursSchema = new Schema(
  { day: { type: Number, min: 0, max: 6, required: true }, open: String, close: String },
  { _id: false },
);
const bookingLinkSchema = new Schema({ label: String, url: String }, { _id: false });
const whatsappTargetSchema = new Schema(
  { number: { type: String, required: true }, status: { type: String, enum: ['ok', 'failing'], default: 'ok' }, lastError: String },
  { _id: false },
);

export const businessSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    niche: { type: String, default: 'general' },
    country: { type: String, default: 'GB' },
    timezone: { type: String, default: 'Europe/London' },
    language: { type: String, default: 'en' },
    workingHours: { type: [workingHoursSchema], default: [] },
    pricing: String,
    bookingLinks: { type: [bookingLinkSchema], default: [] },
    calendlyUrl: String,
    customInstructions: String,
    aiMode: { type: String, enum: ['auto', 'draft', 'off'], default: 'auto' },
    // Unset means DEFAULT_HANDOVER_PAUSE_MINUTES (domain/conversation.ts; read through handoverPauseMinutesOf).
    handoverPauseMinutes: Number,
    // Top-level, not nested: FerretDB's SQLite backend cannot index nested fields.
    publishableKey: { type: String, required: true },
    allowedOrigins: { type: [String], default: [] },
    widgetColor: { type: String, default: '#2563eb' },
    widgetGreeting: { type: String, default: 'Hi! How can we help you today?' },
    privacyUrl: String,
    notifyWhatsapp: { type: [whatsappTargetSchema], default: [] },
    notifyEmails: { type: [String], default: [] },
    emailMode: { type: String, enum: ['instant', 'digest'], default: 'instant' },
    status: { type: String, enum: ['active', 'closing', 'closed'], default: 'active' },
    ownerAsid: String,
  },
  { timestamps: true, versionKey: false },
);
businessSchema.index({ publishableKey: 1 }, { unique: true });

export type BusinessDoc = InferSchemaType<typeof businessSchema>;
export const businessModel = (c: Connection) => c.model('Business', businessSchema, 'businesses');
