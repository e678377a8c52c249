import type { Readable } from 'node:stream';
import type { AuthTypeName } from '../auth-types/types.js';
import { findActivationById } from '../db/activations.js';
import { findConnectionTarget } from '../db/connections.js';
import { findAuthMethod } from '../db/connectors.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { proxyRequest, type ProxyTarget } from '../outbound/proxy.js';
import type { Portico } from '../portico.js';
import { openAuthMethodConfig } from './auth-methods.js';
import { forceRefresh, usableCredentials } from './credentials.js';
import type { EnvScope } from './environments.js';

/**
 * The proxy (SPEC §6) for one end user's activation: the key's environment only (another org's
 * or environment's activation answers 404, as if unknown); OAuth2 tokens refreshed first and
 * once more after an upstream 401.
 */
export async function proxyActivation(
  p: Portico,
  scope: EnvScope,
  activationId: string,
  rawPath: string,
  request: Request,
  nodeBody?: Readable,
) {
  const activation = await findActivationById(p.db, activationId);
  if (!activation || activation.environmentId !== scope.environmentId) throw new NotFoundError('Activation');
  const usable = await usableCredentials(p, activation);
  const view = (await findConnectionTarget(p.db, scope.orgId, activation.connectionId))!;
  const target: ProxyTarget = {
    baseUrl: view.connection.baseUrl ?? view.connectorBaseUrl,
    authType: usable.authType,
    config: usable.config,
    credentials: usable.credentials,
  };
  return proxyRequest(
    request,
    rawPath,
    target,
    {
      ...timeouts(p),
      ...(usable.authType === 'oauth2'
        ? { onUnauthorized: async () => (await forceRefresh(p, usable.activation)).credentials }
        : {}),
    },
    nodeBody,
  );
}

/** The proxy for a standard connection: the vendor's own stored credentials. */
export async function proxyConnection(
  p: Portico,
  scope: EnvScope,
  connectionId: string,
  rawPath: string,
  request: Request,
  nodeBody?: Readable,
) {
  const view = await findConnectionTarget(p.db, scope.orgId, connectionId);
  if (!view) throw new NotFoundError('Connection');
  if (view.connection.embedded) {
    throw new ValidationError(
      'An embedded connection has no credentials of its own: proxy through an activation',
    );
  }
  const method = (await findAuthMethod(p.db, scope.orgId, view.connection.authMethodId))!;
  const credentials = view.connection.credentialsSealed
    ? p.box.openJson<Record<string, unknown>>(view.connection.credentialsSealed, {
        purpose: 'connection-credentials',
        rowId: connectionId,
        orgId: scope.orgId,
      })
    : {};
  const target: ProxyTarget = {
    baseUrl: view.connection.baseUrl ?? view.connectorBaseUrl,
    authType: method.type as AuthTypeName,
    config: openAuthMethodConfig(p.box, method),
    credentials,
  };
  return proxyRequest(request, rawPath, target, timeouts(p), nodeBody);
}

function timeouts(p: Portico) {
  return {
    headersTimeoutMs: p.config.proxyTimeoutMs,
    bodyTimeoutMs: p.config.proxyTimeoutMs * 2,
    maxBodyBytes: p.config.proxyBodyLimitBytes,
  };
}
