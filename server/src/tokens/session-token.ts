import { sign as cryptoSign } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from '../errors.js';
import type { SigningKeyStore } from './signing-keys.js';

export const SESSION_TOKEN_TYPE = 'connect-session+jwt';
export const SESSION_AUDIENCE = 'portico:connect';

export interface SessionClaims {
  sub: string;
  org: string;
  env: string;
  cx: string[];
  origin: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Signs and verifies connect-session tokens (SPEC §4), pinned to EdDSA, `typ`, `iss` and `aud`. */
export class SessionTokens {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly issuer: string,
  ) {}

  /**
   * Signs with node:crypto directly (Ed25519 is one call); jose verifies, here and for anyone
   * holding the JWKS, so the format is checked by an independent implementation in the tests.
   */
  async sign(claims: Omit<SessionClaims, 'iat'> & { iat?: number }): Promise<string> {
    const { kid, privateKey } = await this.keys.signingKey();
    const header = { alg: 'EdDSA', typ: SESSION_TOKEN_TYPE, kid };
    const payload = {
      iss: this.issuer,
      aud: SESSION_AUDIENCE,
      sub: claims.sub,
      org: claims.org,
      env: claims.env,
      cx: claims.cx,
      origin: claims.origin,
      jti: claims.jti,
      iat: claims.iat ?? Math.floor(Date.now() / 1000),
      exp: claims.exp,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  }

  /** Verifies signature and claims; revocation is checked by the caller against the session row. */
  async verify(token: string): Promise<SessionClaims> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.verificationKey(header.kid) : undefined;
          if (!key) throw new AuthError('Unknown signing key', 'invalid_token');
          return key;
        },
        {
          algorithms: ['EdDSA'],
          typ: SESSION_TOKEN_TYPE,
          issuer: this.issuer,
          audience: SESSION_AUDIENCE,
          requiredClaims: ['sub', 'jti', 'iat', 'exp'],
          clockTolerance: 5,
        },
      );
      return toClaims(payload);
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof joseErrors.JWTExpired)
        throw new AuthError('The session has expired', 'session_expired');
      throw new AuthError('Invalid session token', 'invalid_token');
    }
  }
}

function toClaims(payload: JWTPayload): SessionClaims {
  const { sub, jti, iat, exp, org, env, cx, origin } = payload;
  if (
    typeof sub !== 'string' ||
    typeof jti !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    typeof org !== 'string' ||
    typeof env !== 'string' ||
    typeof origin !== 'string' ||
    !Array.isArray(cx) ||
    !cx.every((c) => typeof c === 'string')
  ) {
    throw new AuthError('Invalid session token', 'invalid_token');
  }
  return { sub, jti, iat, exp, org, env, cx: cx as string[], origin };
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
