import * as oauth from 'oauth4webapi';
import {
  authorizationServer,
  clientAuthentication,
  oauthFailure,
  requestOptions,
  toTokenSet,
} from '../auth-types/oauth2-client.js';
import { authorizationHeader } from '../auth-types/oauth1-signature.js';
import type { OAuth1Config } from '../auth-types/oauth1.js';
import type { OAuth2Config } from '../auth-types/oauth2.js';
import { sha256Hex } from '../crypto/secret-keys.js';
import { consumeOAuthFlow, insertOAuthFlow } from '../db/oauth-flows.js';
import { appendFlowEvent, findSession } from '../db/sessions.js';
import { findEndUserById } from '../db/users.js';
import { CredentialsRejectedError, PorticoError, ValidationError } from '../errors.js';
import type { Portico } from '../portico.js';
import { loadScopedConnection, storeActivation } from './activate.js';
import type { ConnectSession } from './sessions.js';

export const STATE_TTL_MS = 10 * 60_000;
/** Authorize parameters the vendor's `authorizeParams` may not override: they carry the protocol. */
const PROTECTED_PARAMS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
]);

export function callbackUrl(p: Portico): string {
  return `${p.config.publicUrl}/connect/oauth/callback`;
}

interface FlowSecrets {
  codeVerifier?: string;
  /** OAuth 1.0a: the temporary credentials' secret. */
  requestTokenSecret?: string;
}

/** The key a pending flow is found by: OAuth2's `state`, or OAuth 1.0a's temporary token. */
function flowKey(kind: 'oauth2' | 'oauth1', value: string): string {
  return sha256Hex(kind === 'oauth2' ? value : `oauth1:${value}`);
}

const OAUTH1_TIMEOUT_MS = 15_000;

/** POSTs a signed OAuth 1.0a request and parses the form-encoded answer. */
async function oauth1Post(url: string, header: string): Promise<URLSearchParams> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: header,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/x-www-form-urlencoded',
      },
      body: '',
      signal: AbortSignal.timeout(OAUTH1_TIMEOUT_MS),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError')
      throw new PorticoError(504, 'upstream_timeout', 'The provider did not answer in time');
    throw new PorticoError(502, 'upstream_error', 'Could not reach the OAuth 1.0a provider');
  }
  const text = await res.text();
  if (!res.ok) {
    if (res.status === 401) throw new CredentialsRejectedError('The provider refused the request (HTTP 401)');
    throw new PorticoError(502, 'upstream_error', `The provider answered HTTP ${res.status}`);
  }
  return new URLSearchParams(text);
}

/** OAuth 1.0a, step 1 (RFC 5849 §2.1): temporary credentials with our callback, then the authorize URL. */
async function startOAuth1(
  p: Portico,
  s: ConnectSession,
  input: { connectionId: string; flowId?: string | undefined },
  config: OAuth1Config,
): Promise<{ authorizeUrl: string }> {
  const answer = await oauth1Post(
    config.requestTokenUrl,
    authorizationHeader({
      method: 'POST',
      url: new URL(config.requestTokenUrl),
      consumerKey: config.consumerKey,
      consumerSecret: config.consumerSecret,
      signatureMethod: config.signatureMethod,
      extra: { oauth_callback: callbackUrl(p) },
    }),
  );
  const token = answer.get('oauth_token');
  const secret = answer.get('oauth_token_secret');
  if (!token || !secret || answer.get('oauth_callback_confirmed') !== 'true') {
    throw new PorticoError(502, 'upstream_error', 'The provider answered no usable temporary credentials');
  }
  const stateHash = flowKey('oauth1', token);
  const now = Date.now();
  await insertOAuthFlow(p.db, {
    stateHash,
    orgId: s.orgId,
    sessionJti: s.jti,
    connectionId: input.connectionId,
    flowId: input.flowId ?? null,
    secretsSealed: p.box.sealJson({ requestTokenSecret: secret } satisfies FlowSecrets, {
      purpose: 'oauth-flow',
      rowId: stateHash,
      orgId: s.orgId,
    }),
    expiresAt: now + STATE_TTL_MS,
    createdAt: now,
  });
  const url = new URL(config.authorizeUrl);
  url.searchParams.set('oauth_token', token);
  return { authorizeUrl: url.href };
}

/**
 * Starts an OAuth2 authorization-code flow (RFC 6749 §4.1 with PKCE, RFC 7636): a random,
 * single-use `state` bound to the session and the connection, valid for 10 minutes; only its
 * hash is stored, with the PKCE verifier sealed beside it.
 */
export async function startOAuth(
  p: Portico,
  s: ConnectSession,
  input: { connectionId: string; flowId?: string | undefined },
): Promise<{ authorizeUrl: string }> {
  const target = await loadScopedConnection(p, s, input.connectionId);
  if (target.type.type === 'oauth1')
    return startOAuth1(p, s, input, target.type.configSchema.parse(target.config) as OAuth1Config);
  if (target.type.type !== 'oauth2' || target.type.activation(target.config).kind !== 'redirect') {
    throw new ValidationError('This connection is not activated by signing in at a provider');
  }
  const config = target.type.configSchema.parse(target.config) as OAuth2Config;
  if (!config.clientId || !config.authorizeUrl) {
    throw new PorticoError(
      409,
      'conflict',
      'The OAuth2 auth method has no client id yet; the vendor must set it',
    );
  }
  const state = oauth.generateRandomState();
  const secrets: FlowSecrets = config.pkce ? { codeVerifier: oauth.generateRandomCodeVerifier() } : {};
  const stateHash = flowKey('oauth2', state);
  const now = Date.now();
  await insertOAuthFlow(p.db, {
    stateHash,
    orgId: s.orgId,
    sessionJti: s.jti,
    connectionId: input.connectionId,
    flowId: input.flowId ?? null,
    secretsSealed: p.box.sealJson(secrets, { purpose: 'oauth-flow', rowId: stateHash, orgId: s.orgId }),
    expiresAt: now + STATE_TTL_MS,
    createdAt: now,
  });
  const url = new URL(config.authorizeUrl);
  for (const [k, v] of Object.entries(config.authorizeParams ?? {}))
    if (!PROTECTED_PARAMS.has(k)) url.searchParams.set(k, v);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', callbackUrl(p));
  if (config.scopes.length > 0) url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('state', state);
  if (secrets.codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(secrets.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { authorizeUrl: url.href };
}

/** What the callback page reports to the opener. */
export type CallbackOutcome =
  | { ok: true; origin: string; connectionId: string; activationId: string; flowId?: string }
  | { ok: false; origin?: string; connectionId?: string; flowId?: string; code: string; message: string };

/**
 * Finishes the flow at `PORTICO_PUBLIC_URL/connect/oauth/callback`. The state is consumed first
 * (so it can never be used twice), then checked for expiry and for a live session; the provider's
 * `iss` is checked against the configured issuer (RFC 9207); only then is the code exchanged.
 */
export async function finishOAuth(p: Portico, params: URLSearchParams): Promise<CallbackOutcome> {
  // OAuth 1.0a comes back with its temporary token (or `denied=<token>`) instead of a state.
  const oauth1Token = params.has('state') ? null : (params.get('oauth_token') ?? params.get('denied'));
  const state = oauth1Token ?? params.get('state');
  if (!state || state.length > 512)
    return { ok: false, code: 'invalid_state', message: 'The sign-in response has no valid state.' };
  const flow = await consumeOAuthFlow(p.db, flowKey(oauth1Token ? 'oauth1' : 'oauth2', state));
  if (!flow)
    return {
      ok: false,
      code: 'invalid_state',
      message: 'This sign-in link was already used or is unknown. Start again.',
    };
  const row = await findSession(p.db, flow.sessionJti);
  const base = { connectionId: flow.connectionId, ...(flow.flowId ? { flowId: flow.flowId } : {}) };
  if (!row)
    return {
      ok: false,
      ...base,
      code: 'invalid_state',
      message: 'The session of this sign-in no longer exists.',
    };
  const outcome = (code: string, message: string): CallbackOutcome => ({
    ok: false,
    origin: row.origin,
    ...base,
    code,
    message,
  });
  const now = Date.now();
  const failed = async (code: string, message: string) => {
    await appendFlowEvent(p.db, {
      sessionJti: row.jti,
      type: 'activation.failed',
      connectionId: flow.connectionId,
      flowId: flow.flowId,
      error: { code, message },
      createdAt: now,
    });
    return outcome(code, message);
  };
  if (flow.expiresAt < now) return failed('state_expired', 'The sign-in took too long. Start again.');
  if (row.revokedAt !== null || row.expiresAt < now)
    return failed('session_expired', 'Your session has ended. Start again from the app.');

  const user = await findEndUserById(p.db, row.endUserId);
  const session: ConnectSession = {
    jti: row.jti,
    orgId: row.orgId,
    environmentId: row.environmentId,
    endUserId: row.endUserId,
    externalUserId: user?.externalId ?? '',
    connectionIds: row.connectionIds,
    origin: row.origin,
    expiresAt: row.expiresAt,
  };
  try {
    const target = await loadScopedConnection(p, session, flow.connectionId);
    const secrets = p.box.openJson<FlowSecrets>(flow.secretsSealed, {
      purpose: 'oauth-flow',
      rowId: flow.stateHash,
      orgId: flow.orgId,
    });
    if (oauth1Token) {
      if (params.has('denied')) return failed('access_denied', 'You declined the request at the provider.');
      const verifier = params.get('oauth_verifier');
      if (!verifier || target.type.type !== 'oauth1')
        return failed('invalid_response', 'The provider answered no verifier.');
      const config = target.type.configSchema.parse(target.config) as OAuth1Config;
      // Step 3 (§2.3): token credentials, signed with the temporary credentials and the verifier.
      const answer = await oauth1Post(
        config.accessTokenUrl,
        authorizationHeader({
          method: 'POST',
          url: new URL(config.accessTokenUrl),
          consumerKey: config.consumerKey,
          consumerSecret: config.consumerSecret,
          token: oauth1Token,
          tokenSecret: secrets.requestTokenSecret ?? '',
          signatureMethod: config.signatureMethod,
          extra: { oauth_verifier: verifier },
        }),
      );
      const token = answer.get('oauth_token');
      const tokenSecret = answer.get('oauth_token_secret');
      if (!token || !tokenSecret)
        return failed('invalid_response', 'The provider answered no token credentials.');
      const extras = Object.fromEntries([...answer].filter(([k]) => !k.startsWith('oauth_')).slice(0, 20));
      const stored = await storeActivation(
        p,
        session,
        flow.connectionId,
        { token, tokenSecret, ...extras },
        undefined,
        flow.flowId ?? undefined,
      );
      return { ok: true, origin: row.origin, ...base, activationId: stored.activationId };
    }
    const config = target.type.configSchema.parse(target.config) as OAuth2Config;
    const as = authorizationServer(config);
    const client: oauth.Client = { client_id: config.clientId! };
    const received = new URLSearchParams(params);
    // RFC 9207: with a configured issuer, a present `iss` must match it; without one it cannot be checked.
    if (!config.issuer) received.delete('iss');
    let callbackParams: URLSearchParams;
    try {
      callbackParams = oauth.validateAuthResponse(as, client, received, state);
    } catch (err) {
      if (err instanceof oauth.AuthorizationResponseError) {
        const description = err.error_description ? `: ${err.error_description.slice(0, 200)}` : '';
        return failed(
          err.error.slice(0, 64),
          `The provider refused the sign-in (${err.error.slice(0, 64)})${description}`,
        );
      }
      return failed('invalid_response', 'The provider answered an invalid sign-in response.');
    }
    const clientSecret =
      typeof target.config.clientSecret === 'string' ? target.config.clientSecret : undefined;
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientSecret ? clientAuthentication(config, clientSecret) : oauth.None(),
      callbackParams,
      callbackUrl(p),
      secrets.codeVerifier ?? oauth.nopkce,
      requestOptions(config.tokenUrl),
    );
    const tokens = toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
    const stored = await storeActivation(
      p,
      session,
      flow.connectionId,
      { ...tokens },
      tokens.expiresAt,
      flow.flowId ?? undefined,
    );
    return { ok: true, origin: row.origin, ...base, activationId: stored.activationId };
  } catch (err) {
    const e = oauthFailure(err);
    return failed(e.code, e.message);
  }
}
