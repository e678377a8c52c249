import { authType } from '../auth-types/registry.js';
import type { AuthTypeName } from '../auth-types/types.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { AuthMethodRow } from '../db/connectors.js';
import { ValidationError } from '../errors.js';
import { newId } from '../ids.js';

export const MASK = '••••';

/** A new auth-method row with its configuration validated and its secrets sealed. */
export function buildAuthMethod(
  box: SecretBox,
  orgId: string,
  connectorId: string,
  input: { name: string; type: AuthTypeName; config?: Record<string, unknown> },
  now: number,
  position: number,
  path = 'config',
): AuthMethodRow {
  const id = newId('am');
  const { config, secretsSealed } = sealAuthMethodConfig(
    box,
    orgId,
    id,
    input.type,
    input.config ?? {},
    path,
  );
  return {
    id,
    orgId,
    connectorId,
    name: input.name,
    type: input.type,
    config,
    position,
    secretsSealed,
    createdAt: now,
  };
}

/**
 * Validates a configuration for its type and splits it: the public part is stored as JSON, the
 * secret fields are sealed together, bound to the row's id and the org.
 */
export function sealAuthMethodConfig(
  box: SecretBox,
  orgId: string,
  id: string,
  typeName: AuthTypeName,
  input: Record<string, unknown>,
  path = 'config',
): { config: Record<string, unknown>; secretsSealed: string | null } {
  const type = authType(typeName);
  const parsed = type.configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${[path, ...issue.path].join('.')}: ${issue.message}`);
  }
  const config: Record<string, unknown> = { ...parsed.data };
  const secrets: Record<string, unknown> = {};
  for (const key of type.secretConfigKeys) {
    if (config[key] !== undefined) secrets[key] = config[key];
    delete config[key];
  }
  const secretsSealed =
    Object.keys(secrets).length > 0
      ? box.sealJson(secrets, { purpose: 'auth-method-secrets', rowId: id, orgId })
      : null;
  return { config, secretsSealed };
}

/** The auth method as the API shows it: secrets present are masked, never returned. */
export function authMethodView(row: AuthMethodRow) {
  const type = authType(row.type as AuthTypeName);
  const config: Record<string, unknown> = { ...row.config };
  if (row.secretsSealed) for (const key of type.secretConfigKeys) config[key] = MASK;
  return {
    id: row.id,
    name: row.name,
    type: row.type as AuthTypeName,
    config,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** The full configuration with secrets opened: for the server's own use (OAuth), never for responses. */
export function openAuthMethodConfig(box: SecretBox, row: AuthMethodRow): Record<string, unknown> {
  const secrets = row.secretsSealed
    ? box.openJson<Record<string, unknown>>(row.secretsSealed, {
        purpose: 'auth-method-secrets',
        rowId: row.id,
        orgId: row.orgId,
      })
    : {};
  return { ...row.config, ...secrets };
}
