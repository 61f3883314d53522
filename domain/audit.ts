/** Writes one audit entry; ids are time-ordered so an entry list reads as a history. */
import { randomBytes } from 'node:crypto';
import type { Models } from '../db/models/index.js';

export type AuditInput = {
  actorType: 'user' | 'platform' | 'api_key' | 'system' | 'meta';
  actorId?: string;
  actorRole?: string;
  businessId?: string;
  action: string;
  target?: string;
  details?: Record<string, string | number | boolean | null>;
  /** Idempotency: the same key never writes a second entry (activity retries). */
  key?: string;
};

export const writeAudit = async (models: Models, e: AuditInput, at = new Date()) => {
  const _id = e.key ?? `aud_${at.getTime().toString(36).padStart(9, '0')}_${randomBytes(6).toString('hex')}`;
  const { key: _key, ...fields } = e;
  await models.AuditEntry.updateOne({ _id }, { $setOnInsert: { ...fields, details: e.details ?? {}, at } }, { upsert: true });
  return _id;
};
