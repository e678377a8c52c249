import { createHmac, timingSafeEqual } from 'node:crypto';
import { authType } from '../auth-types/registry.js';
import type { HmacConfig } from '../auth-types/hmac.js';
import { findActivationById } from '../db/activations.js';
import { findConnection } from '../db/connections.js';
import { findAuthMethod } from '../db/connectors.js';
import { writeSideEffects } from '../db/effects.js';
import { findEnvironment } from '../db/orgs.js';
import { findEndUserById } from '../db/users.js';
import { auditEntry } from '../domain/audit.js';
import { openAuthMethodConfig } from '../domain/auth-methods.js';
import { outboxEvent } from '../domain/webhook-events.js';
import { AuthError, NotFoundError } from '../errors.js';
import type { Portico } from '../portico.js';

/**
 * Verifies an HMAC signature over the raw body (with the timestamp, `"<timestamp>.<body>"`, when
 * the auth method names a timestamp header) in constant time.
 */
export function verifyHmacSignature(
  config: HmacConfig,
  secret: string,
  body: Buffer,
  headers: Headers,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  let signed: Buffer = body;
  if (config.timestampHeader) {
    const ts = headers.get(config.timestampHeader);
    if (!ts || !/^\d{1,12}$/.test(ts)) return false;
    if (config.toleranceSeconds !== undefined && Math.abs(nowSeconds - Number(ts)) > config.toleranceSeconds)
      return false;
    signed = Buffer.concat([Buffer.from(`${ts}.`), body]);
  }
  let presented = headers.get(config.header) ?? '';
  if (config.prefix) {
    if (!presented.startsWith(config.prefix)) return false;
    presented = presented.slice(config.prefix.length);
  }
  const expected = createHmac(config.algorithm, secret).update(signed).digest();
  const got = Buffer.from(presented.trim(), config.encoding);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const BODY_IN_EVENT_LIMIT = 64 * 1024;

/**
 * `POST /hooks/{activationId}`: a target system calls back with an HMAC-signed payload. A good
 * signature becomes a `webhook.received` event to the vendor; a bad one is 401 and leaves no trace.
 */
export async function receiveHook(
  p: Portico,
  activationId: string,
  body: Buffer,
  headers: Headers,
): Promise<void> {
  const activation = await findActivationById(p.db, activationId);
  if (!activation || activation.status !== 'active' || !activation.credentialsSealed)
    throw new NotFoundError('Hook');
  const connection = await findConnection(p.db, activation.orgId, activation.connectionId);
  const method = connection
    ? await findAuthMethod(p.db, activation.orgId, connection.authMethodId)
    : undefined;
  if (!method || method.type !== 'hmac') throw new NotFoundError('Hook');
  const config = authType('hmac').configSchema.parse(openAuthMethodConfig(p.box, method)) as HmacConfig;
  const { secret } = p.box.openJson<{ secret: string }>(activation.credentialsSealed, {
    purpose: 'activation-credentials',
    rowId: activation.id,
    orgId: activation.orgId,
  });
  if (!verifyHmacSignature(config, secret, body, headers)) throw new AuthError('Invalid webhook signature');

  const env = (await findEnvironment(p.db, activation.environmentId))!;
  const user = await findEndUserById(p.db, activation.endUserId);
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const scope = { orgId: activation.orgId, environmentId: activation.environmentId };
  writeSideEffects(p.db, {
    audit: [
      auditEntry(
        scope,
        { type: 'system', id: 'hooks' },
        'webhook.received',
        { type: 'activation', id: activation.id },
        { bytes: body.length },
      ),
    ],
    outbox: outboxEvent(env, 'webhook.received', {
      activationId: activation.id,
      connectionId: activation.connectionId,
      externalUserId: user?.externalId,
      contentType: headers.get('content-type'),
      ...(json !== undefined && body.length <= BODY_IN_EVENT_LIMIT ? { body: json } : {}),
      ...(json === undefined && body.length <= BODY_IN_EVENT_LIMIT ? { bodyText: text } : {}),
      ...(body.length > BODY_IN_EVENT_LIMIT ? { truncated: true, bytes: body.length } : {}),
    }),
  });
}
