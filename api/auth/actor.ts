/** Who to name in the audit trail for a request that passed authenticate() and requireBusiness(). */
import type { Request } from 'express';
import type { AuditInput } from '../../domain/audit.js';

export const auditActorOf = (req: Request): Pick<AuditInput, 'actorType' | 'actorId' | 'actorRole'> => {
  const auth = req.auth;
  if (auth?.kind === 'api_key') return { actorType: 'api_key', actorId: auth.apiKeyId };
  if (req.business?.via === 'platform') return { actorType: 'platform', actorId: auth?.userId, actorRole: auth?.platformRole };
  return { actorType: 'user', actorId: auth?.userId, actorRole: req.business?.role };
};
