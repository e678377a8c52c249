import { createHmac, randomBytes } from 'node:crypto';

/** OAuth 1.0 request signing (RFC 5849 §3.4). */
export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

/** RFC 5849 §3.6: RFC 3986 percent-encoding, everything but unreserved characters. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** §3.4.1.2: scheme and host in lower case, default ports dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const defaultPort =
    (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  const host = url.hostname.toLowerCase() + (url.port && !defaultPort ? `:${url.port}` : '');
  return `${url.protocol.toLowerCase()}//${host}${url.pathname}`;
}

/** §3.4.1.3.2: encode names and values, sort by name then value, join. */
export function normalizeParameters(params: [string, string][]): string {
  return params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * §3.4.1: the signature base string. `params` are the oauth_* protocol parameters (without
 * `oauth_signature` and `realm`), the query's parameters and, for form-encoded bodies, the body's.
 */
export function signatureBaseString(method: string, url: URL, params: [string, string][]): string {
  return [
    method.toUpperCase(),
    percentEncode(baseStringUri(url)),
    percentEncode(normalizeParameters(params)),
  ].join('&');
}

export function sign(
  signatureMethod: SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret = '',
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  if (signatureMethod === 'PLAINTEXT') return key;
  const algorithm = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, key).update(baseString).digest('base64');
}

/** Query (and form body) parameters, decoded as application/x-www-form-urlencoded (§3.4.1.3.1). */
export function requestParameters(url: URL, formBody?: string): [string, string][] {
  const out: [string, string][] = [...url.searchParams];
  if (formBody) out.push(...new URLSearchParams(formBody));
  return out;
}

export interface SigningInput {
  method: string;
  url: URL;
  /** The body, when it is application/x-www-form-urlencoded: its parameters are signed too. */
  formBody?: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  signatureMethod: SignatureMethod;
  /** Extra protocol parameters: `oauth_callback`, `oauth_verifier`. */
  extra?: Record<string, string>;
  timestamp?: string;
  nonce?: string;
}

/** Signs a request and answers the `Authorization: OAuth …` header value (§3.5.1). */
export function authorizationHeader(input: SigningInput): string {
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_signature_method: input.signatureMethod,
    oauth_timestamp: input.timestamp ?? String(Math.floor(Date.now() / 1000)),
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_version: '1.0',
    ...(input.token ? { oauth_token: input.token } : {}),
    ...input.extra,
  };
  const base = signatureBaseString(input.method, input.url, [
    ...Object.entries(oauthParams),
    ...requestParameters(input.url, input.formBody),
  ]);
  oauthParams.oauth_signature = sign(input.signatureMethod, base, input.consumerSecret, input.tokenSecret);
  return (
    'OAuth ' +
    Object.entries(oauthParams)
      .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
      .join(', ')
  );
}
