import { randomBytes } from 'node:crypto';
import { insertAudit } from '../db/audit.js';
import { upsertBinding, deleteBinding, listBindings, type BindingRow } from '../db/bindings.js';
import { findConnection } from '../db/connections.js';
import { findConnector } from '../db/connectors.js';
import { findEnvironment, updateEnvironment, type EnvironmentRow } from '../db/orgs.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';

/** The key's view of where it lives: one environment of one org. */
export interface EnvScope {
  orgId: string;
  environmentId: string;
}

export function environmentView(env: EnvironmentRow, webhookSecret?: string) {
  return {
    id: env.id,
    name: env.name,
    allowedOrigins: env.allowedOrigins,
    webhookUrl: env.webhookUrl,
    ...(webhookSecret ? { webhookSecret } : {}),
  };
}

export async function getEnvironment(p: Portico, scope: EnvScope) {
  const env = await findEnvironment(p.db, scope.environmentId);
  if (!env) throw new NotFoundError('Environment');
  return environmentView(env);
}

/**
 * Updates origins and webhook URL. The first time a webhook URL is set, Portico creates the
 * environment's `whsec_` signing secret and answers it this once.
 */
export async function patchEnvironment(
  p: Portico,
  scope: EnvScope,
  patch: { allowedOrigins?: string[] | undefined; webhookUrl?: string | null | undefined },
  actor: Actor,
) {
  const env = await findEnvironment(p.db, scope.environmentId);
  if (!env) throw new NotFoundError('Environment');
  const set: Parameters<typeof updateEnvironment>[2] = {};
  let webhookSecret: string | undefined;
  if (patch.allowedOrigins !== undefined) set.allowedOrigins = [...new Set(patch.allowedOrigins)];
  if (patch.webhookUrl !== undefined) {
    set.webhookUrl = patch.webhookUrl;
    if (patch.webhookUrl && !env.webhookSecretSealed) {
      webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
      set.webhookSecretSealed = p.box.seal(webhookSecret, {
        purpose: 'webhook-secret',
        rowId: env.id,
        orgId: env.orgId,
      });
    }
  }
  await updateEnvironment(p.db, env.id, set);
  await insertAudit(
    p.db,
    auditEntry(
      scope,
      actor,
      'environment.updated',
      { type: 'environment', id: env.id },
      {
        fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined),
      },
    ),
  );
  return environmentView((await findEnvironment(p.db, env.id))!, webhookSecret);
}

export function bindingView(b: BindingRow) {
  return {
    environmentId: b.environmentId,
    connectorId: b.connectorId,
    connectionId: b.connectionId,
    createdAt: new Date(b.createdAt).toISOString(),
  };
}

export async function bind(
  p: Portico,
  scope: EnvScope,
  connectorId: string,
  connectionId: string,
  actor: Actor,
) {
  if (!(await findConnector(p.db, scope.orgId, connectorId))) throw new NotFoundError('Connector');
  const connection = await findConnection(p.db, scope.orgId, connectionId);
  if (!connection) throw new NotFoundError('Connection');
  if (connection.connectorId !== connectorId) {
    throw new ValidationError('connectionId: the connection belongs to another connector');
  }
  const row: BindingRow = {
    environmentId: scope.environmentId,
    connectorId,
    connectionId,
    createdAt: Date.now(),
  };
  await upsertBinding(p.db, row);
  await insertAudit(
    p.db,
    auditEntry(scope, actor, 'binding.set', { type: 'connector', id: connectorId }, { connectionId }),
  );
  return bindingView(row);
}

export async function unbind(p: Portico, scope: EnvScope, connectorId: string, actor: Actor): Promise<void> {
  if (!(await deleteBinding(p.db, scope.environmentId, connectorId))) throw new NotFoundError('Binding');
  await insertAudit(
    p.db,
    auditEntry(scope, actor, 'binding.removed', { type: 'connector', id: connectorId }),
  );
}

export async function bindings(p: Portico, scope: EnvScope) {
  return (await listBindings(p.db, scope.environmentId)).map(bindingView);
}
