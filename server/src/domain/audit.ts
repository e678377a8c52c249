import type { AuditInsert } from '../db/effects.js';
import { newId } from '../ids.js';

/** Who did something: a secret key, an end user's session, an admin, or Portico itself. */
export interface Actor {
  type: 'key' | 'session' | 'admin' | 'system' | 'cli';
  id: string;
}

export interface AuditScope {
  orgId: string;
  environmentId: string | null;
}

/** Builds an audit row; `data` must never hold a secret (ids, names and statuses only). */
export function auditEntry(
  scope: AuditScope,
  actor: Actor,
  action: string,
  target?: { type: string; id: string },
  data?: Record<string, unknown>,
): AuditInsert {
  return {
    id: newId('evt'),
    orgId: scope.orgId,
    environmentId: scope.environmentId,
    actorType: actor.type,
    actorId: actor.id,
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    data: data ?? null,
    createdAt: Date.now(),
  };
}
