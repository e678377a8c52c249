import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import { insertAudit } from '../db/audit.js';
import { findEnvironment } from '../db/orgs.js';
import { consumeNonce } from '../db/sessions.js';
import { deleteVendorKey, insertVendorKey, listVendorKeys, type VendorKeyRow } from '../db/vendor-keys.js';
import { NotFoundError, PorticoError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import type { EnvScope } from './environments.js';
import { mintSession } from './sessions.js';

export const ASSERTION_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
const MAX_ASSERTION_LIFETIME_S = 300;
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** An RFC 6749 §5.2 error: token endpoints answer `{"error", "error_description"}`. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_target',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

// ── Vendor signing keys ────────────────────────────────────────────────────────────────────

function keyView(row: VendorKeyRow) {
  return {
    id: row.id,
    ...(row.jwk ? { jwk: row.jwk } : {}),
    ...(row.jwksUrl ? { jwksUrl: row.jwksUrl } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** Registers a vendor's public key (a JWK) or key set (JWKS URL) for token exchange. */
export async function addVendorKey(
  p: Portico,
  scope: EnvScope,
  input: { jwk?: Record<string, unknown> | undefined; jwksUrl?: string | undefined },
  actor: Actor,
) {
  if (!!input.jwk === !!input.jwksUrl) throw new ValidationError('Give exactly one of jwk and jwksUrl');
  if (input.jwk) {
    const jwk = input.jwk as JWK;
    if (PRIVATE_MEMBERS.some((m) => m in jwk))
      throw new ValidationError('jwk: send the public key only (no private members)');
    if (!['RSA', 'EC', 'OKP'].includes(String(jwk.kty)))
      throw new ValidationError('jwk: kty must be RSA, EC or OKP');
    const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' ? 'ES256' : 'EdDSA');
    if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ValidationError(`jwk: alg must be one of ${ASSERTION_ALGORITHMS.join(', ')}`);
    }
    try {
      await importJWK(jwk, alg);
    } catch {
      throw new ValidationError('jwk: not a usable public key');
    }
  }
  const row: VendorKeyRow = {
    id: newId('vk'),
    orgId: scope.orgId,
    environmentId: scope.environmentId,
    jwk: input.jwk ?? null,
    jwksUrl: input.jwksUrl ?? null,
    createdAt: Date.now(),
  };
  await insertVendorKey(p.db, row);
  await insertAudit(p.db, auditEntry(scope, actor, 'signing_key.added', { type: 'signing_key', id: row.id }));
  return keyView(row);
}

export async function vendorKeys(p: Portico, scope: EnvScope) {
  return (await listVendorKeys(p.db, scope.environmentId)).map(keyView);
}

export async function removeVendorKey(p: Portico, scope: EnvScope, id: string, actor: Actor) {
  if (!(await deleteVendorKey(p.db, scope.environmentId, id))) throw new NotFoundError('Signing key');
  await insertAudit(p.db, auditEntry(scope, actor, 'signing_key.removed', { type: 'signing_key', id }));
}

/** Remote key sets, cached per URL by jose (with its own cooldown and refresh on unknown kid). */
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function remoteSet(url: string) {
  let set = remoteSets.get(url);
  if (!set)
    remoteSets.set(
      url,
      (set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: 5000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      })),
    );
  return set;
}

// ── The exchange ───────────────────────────────────────────────────────────────────────────

/**
 * RFC 8693 token exchange (SPEC §4): a vendor-signed assertion for one user becomes a connect
 * session. The assertion's `iss` names the environment; it must be signed with one of that
 * environment's registered keys (RS256, ES256 or EdDSA), be audience-bound to Portico, expire
 * within 5 minutes, and carry a `jti` that has never been seen (replay is rejected).
 */
export async function exchangeToken(p: Portico, form: URLSearchParams) {
  if (form.get('grant_type') !== TOKEN_EXCHANGE_GRANT) {
    throw new OAuthError('unsupported_grant_type', `grant_type must be ${TOKEN_EXCHANGE_GRANT}`);
  }
  if (form.get('subject_token_type') !== JWT_TOKEN_TYPE) {
    throw new OAuthError('invalid_request', `subject_token_type must be ${JWT_TOKEN_TYPE}`);
  }
  const assertion = form.get('subject_token');
  if (!assertion || assertion.length > 16_384)
    throw new OAuthError('invalid_request', 'subject_token is required');

  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(assertion).alg;
  } catch {
    throw new OAuthError('invalid_grant', 'subject_token is not a JWS');
  }
  if (!alg || !(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new OAuthError(
      'invalid_grant',
      `The assertion must be signed with ${ASSERTION_ALGORITHMS.join(', ')}`,
    );
  }
  // The issuer names the environment; read it unverified only to find the keys to verify with.
  const unverifiedIss = (() => {
    try {
      return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()).iss as unknown;
    } catch {
      return undefined;
    }
  })();
  const env =
    typeof unverifiedIss === 'string' && unverifiedIss.length <= 64
      ? await findEnvironment(p.db, unverifiedIss)
      : undefined;
  if (!env) throw new OAuthError('invalid_grant', 'Unknown assertion issuer');
  const keys = await listVendorKeys(p.db, env.id);
  if (keys.length === 0)
    throw new OAuthError('invalid_grant', 'No signing key is registered for this environment');

  const payload = await verifyWithAny(assertion, keys, { issuer: env.id, audience: p.config.publicUrl });
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp > now + MAX_ASSERTION_LIFETIME_S) {
    throw new OAuthError('invalid_grant', 'The assertion must expire within 5 minutes');
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 256) {
    throw new OAuthError('invalid_grant', 'The assertion needs a sub (your user id)');
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
    throw new OAuthError('invalid_grant', 'The assertion needs a unique jti');
  }
  const cx = payload.cx;
  if (
    cx !== undefined &&
    (!Array.isArray(cx) ||
      cx.length === 0 ||
      cx.length > 100 ||
      !cx.every((c) => typeof c === 'string' && c.length <= 64))
  ) {
    throw new OAuthError('invalid_grant', 'cx must be a non-empty array of connection ids');
  }
  if (payload.origin !== undefined && typeof payload.origin !== 'string')
    throw new OAuthError('invalid_grant', 'origin must be a string');
  // Consumed before it is acted on: a replay, even a concurrent one, finds it used.
  if (!(await consumeNonce(p.db, `assertion:${env.id}`, payload.jti, (payload.exp + 60) * 1000))) {
    throw new OAuthError('invalid_grant', 'This assertion was already used');
  }
  try {
    const session = await mintSession(
      p,
      { orgId: env.orgId, environmentId: env.id },
      {
        externalUserId: payload.sub,
        ...(typeof payload.name === 'string' ? { displayName: payload.name.slice(0, 256) } : {}),
        ...(typeof payload.email === 'string' ? { email: payload.email.slice(0, 320) } : {}),
        ...(cx ? { connections: cx as string[] } : {}),
        ...(typeof payload.origin === 'string' ? { origin: payload.origin } : {}),
      },
      'exchange',
    );
    return {
      access_token: session.token,
      issued_token_type: JWT_TOKEN_TYPE,
      token_type: 'N_A',
      expires_in: Math.round((Date.parse(session.expiresAt) - Date.now()) / 1000),
    };
  } catch (err) {
    if (err instanceof PorticoError && err.status === 400) throw new OAuthError('invalid_grant', err.message);
    throw err;
  }
}

async function verifyWithAny(
  assertion: string,
  keys: VendorKeyRow[],
  claims: { issuer: string; audience: string },
): Promise<JWTPayload> {
  const options = {
    algorithms: [...ASSERTION_ALGORITHMS],
    ...claims,
    requiredClaims: ['exp', 'sub', 'jti'],
    clockTolerance: 5,
  };
  const local = keys.filter((k) => k.jwk).map((k) => k.jwk as JWK);
  const sets = [
    ...(local.length > 0 ? [createLocalJWKSet({ keys: local })] : []),
    ...keys.filter((k) => k.jwksUrl).map((k) => remoteSet(k.jwksUrl!)),
  ];
  let reason = 'The assertion signature does not verify with any registered key';
  for (const set of sets) {
    try {
      return (await jwtVerify(assertion, set, options)).payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired)
        throw new OAuthError('invalid_grant', 'The assertion has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed)
        reason = `The assertion's ${err.claim} claim is not valid`;
    }
  }
  throw new OAuthError('invalid_grant', reason);
}
