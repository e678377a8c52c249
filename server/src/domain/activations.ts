import {
  findActivation,
  listActivations,
  revokeActivation,
  type ActivationWithUser,
} from '../db/activations.js';
import { findEnvironment } from '../db/orgs.js';
import type { ActivationStatus } from '../db/schema.js';
import { findEndUser, listEndUsers, type EndUserRow } from '../db/users.js';
import { NotFoundError } from '../errors.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import type { EnvScope } from './environments.js';
import { outboxEvent } from './webhook-events.js';

export function activationView(a: ActivationWithUser) {
  return {
    id: a.activation.id,
    connectionId: a.activation.connectionId,
    externalUserId: a.externalUserId,
    status: a.activation.status,
    createdAt: new Date(a.activation.createdAt).toISOString(),
    updatedAt: new Date(a.activation.updatedAt).toISOString(),
  };
}

function userView(u: EndUserRow, activations: ActivationWithUser[]) {
  return {
    externalId: u.externalId,
    displayName: u.displayName,
    email: u.email,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
    activations: activations.filter((a) => a.activation.endUserId === u.id).map(activationView),
  };
}

export async function listUsers(
  p: Portico,
  scope: EnvScope,
  page: { after?: string | undefined; limit: number },
) {
  const users = await listEndUsers(p.db, scope.environmentId, {
    limit: page.limit,
    ...(page.after ? { after: page.after } : {}),
  });
  const activations = await listActivations(p.db, scope.environmentId, {
    endUserIds: users.map((u) => u.id),
    limit: 10_000,
  });
  return users.map((u) => userView(u, activations));
}

export async function getUser(p: Portico, scope: EnvScope, externalId: string) {
  const user = await findEndUser(p.db, scope.environmentId, externalId);
  if (!user) throw new NotFoundError('User');
  const activations = await listActivations(p.db, scope.environmentId, {
    endUserIds: [user.id],
    limit: 10_000,
  });
  return userView(user, activations);
}

export async function listActivationViews(
  p: Portico,
  scope: EnvScope,
  filter: {
    connectionId?: string | undefined;
    externalUserId?: string | undefined;
    status?: ActivationStatus | undefined;
    after?: string | undefined;
    limit: number;
  },
) {
  const rows = await listActivations(p.db, scope.environmentId, {
    limit: filter.limit,
    ...(filter.connectionId ? { connectionId: filter.connectionId } : {}),
    ...(filter.externalUserId !== undefined ? { externalUserId: filter.externalUserId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.after ? { after: filter.after } : {}),
  });
  return rows.map(activationView);
}

export async function getActivation(p: Portico, scope: EnvScope, id: string) {
  const row = await findActivation(p.db, scope.environmentId, id);
  if (!row) throw new NotFoundError('Activation');
  return activationView(row);
}

/** Revokes an activation: status `revoked`, credentials destroyed, audited, reported to the vendor. */
export async function revokeActivationById(p: Portico, scope: EnvScope, id: string, actor: Actor) {
  const env = await findEnvironment(p.db, scope.environmentId);
  if (!env) throw new NotFoundError('Environment');
  const found = await findActivation(p.db, scope.environmentId, id);
  if (!found) throw new NotFoundError('Activation');
  await revokeActivation(p.db, scope.environmentId, id, Date.now(), (before) => ({
    audit: [
      auditEntry(
        scope,
        actor,
        'activation.revoked',
        { type: 'activation', id },
        { connectionId: before.connectionId },
      ),
    ],
    outbox: outboxEvent(env, 'activation.revoked', {
      activationId: id,
      connectionId: before.connectionId,
      externalUserId: found.externalUserId,
      status: 'revoked',
    }),
  }));
  return getActivation(p, scope, id);
}
