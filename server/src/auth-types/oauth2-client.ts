import * as oauth from 'oauth4webapi';
import { CredentialsRejectedError, PorticoError } from '../errors.js';
import type { OAuth2Config } from './oauth2.js';

/** What Portico keeps of an OAuth2 token response. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  expiresAt?: number;
  scope?: string;
}

/** The authorization server as oauth4webapi wants it, built from the auth method's configuration. */
export function authorizationServer(config: OAuth2Config): oauth.AuthorizationServer {
  return {
    issuer: config.issuer ?? new URL(config.tokenUrl).origin,
    token_endpoint: config.tokenUrl,
    ...(config.authorizeUrl ? { authorization_endpoint: config.authorizeUrl } : {}),
  };
}

export function clientAuthentication(config: OAuth2Config, clientSecret: string): oauth.ClientAuth {
  return config.tokenAuth === 'client_secret_post'
    ? oauth.ClientSecretPost(clientSecret)
    : oauth.ClientSecretBasic(clientSecret);
}

/** Plain-http providers are allowed only on loopback (local development and tests). */
export function requestOptions(url: string): {
  [oauth.allowInsecureRequests]?: boolean;
  signal: AbortSignal;
} {
  const { protocol, hostname } = new URL(url);
  const loopback = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  return {
    ...(protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {}),
    signal: AbortSignal.timeout(15_000),
  };
}

export function toTokenSet(result: oauth.TokenEndpointResponse, now = Date.now()): TokenSet {
  return {
    accessToken: result.access_token,
    tokenType: result.token_type,
    ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    ...(typeof result.expires_in === 'number' ? { expiresAt: now + result.expires_in * 1000 } : {}),
    ...(result.scope ? { scope: result.scope } : {}),
  };
}

/**
 * The client credentials grant (RFC 6749 §4.4) with a client id and secret. A provider that
 * refuses the client (`invalid_client`, `unauthorized_client`, 401) means the credentials are wrong.
 */
export async function clientCredentialsToken(
  config: OAuth2Config,
  clientId: string,
  clientSecret: string,
): Promise<TokenSet> {
  const as = authorizationServer(config);
  const client: oauth.Client = { client_id: clientId };
  const params = new URLSearchParams();
  if (config.scopes.length > 0) params.set('scope', config.scopes.join(' '));
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      clientAuthentication(config, clientSecret),
      params,
      requestOptions(config.tokenUrl),
    );
    return toTokenSet(await oauth.processClientCredentialsResponse(as, client, response));
  } catch (err) {
    throw oauthFailure(err);
  }
}

/** Maps oauth4webapi and network failures onto Portico's errors, never echoing provider bodies. */
export function oauthFailure(err: unknown): PorticoError {
  if (err instanceof PorticoError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    if (['invalid_client', 'unauthorized_client', 'invalid_grant', 'access_denied'].includes(err.error)) {
      return new CredentialsRejectedError(`The provider refused the credentials (${err.error})`);
    }
    return new PorticoError(
      502,
      'upstream_error',
      `The provider answered an error (${err.error.slice(0, 64)})`,
    );
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError || (err as { status?: number }).status === 401) {
    return new CredentialsRejectedError('The provider refused the credentials');
  }
  if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
    return new PorticoError(504, 'upstream_timeout', 'The provider did not answer in time');
  }
  return new PorticoError(502, 'upstream_error', 'Could not obtain a token from the provider');
}

/** The refresh token grant (RFC 6749 §6). Providers that rotate refresh tokens answer a new one. */
export async function refreshTokens(
  config: OAuth2Config,
  clientId: string,
  clientSecret: string | undefined,
  refreshToken: string,
): Promise<TokenSet> {
  const as = authorizationServer(config);
  const client: oauth.Client = { client_id: clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientSecret ? clientAuthentication(config, clientSecret) : oauth.None(),
      refreshToken,
      requestOptions(config.tokenUrl),
    );
    const tokens = toTokenSet(await oauth.processRefreshTokenResponse(as, client, response));
    // Without rotation the provider answers no refresh token: the old one stays valid.
    return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant')
      throw new GrantRevokedError();
    throw oauthFailure(err);
  }
}

/** The provider no longer honours the grant (RFC 6749 `invalid_grant`): the user must sign in again. */
export class GrantRevokedError extends PorticoError {
  override readonly name = 'GrantRevokedError';
  constructor() {
    super(409, 'needs_reauth', 'The provider revoked access; the user must reconnect');
  }
}
