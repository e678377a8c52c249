import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * A small, spec-exact OAuth 1.0a provider (RFC 5849): temporary credentials, resource-owner
 * authorization (auto-approved, or denied with `deny=1`), token credentials, and protected
 * resources under an API prefix. Every signature is verified with this file's own
 * implementation of §3.4 — written apart from Portico's signer, so each checks the other — and
 * timestamps and nonces are checked too. Used by the demo and, on its own server, by the tests.
 */
export interface OAuth1Request {
  method: string;
  /** The URL as the client addressed it (scheme, host, path, query). */
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface OAuth1Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function parseAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith('OAuth ')) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_%.~-]+)="([^"]*)"/g))
    out[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return out;
}

export function createOAuth1Provider(options: {
  /** Where the protocol endpoints live: `<prefix>/request_token`, `/authorize`, `/access_token`. */
  prefix: string;
  /** Where the protected resources live (default `<prefix>/api`). */
  apiPrefix?: string;
  method?: SignatureMethod;
  consumer?: { key: string; secret: string };
}) {
  const apiPrefix = options.apiPrefix ?? `${options.prefix}/api`;
  const method = options.method ?? 'HMAC-SHA1';
  const consumer = options.consumer ?? {
    key: 'portico-consumer',
    secret: 'consumer-secret-' + randomBytes(4).toString('hex'),
  };
  const temporary = new Map<string, { secret: string; callback: string; verifier?: string }>();
  const tokens = new Map<string, string>();
  const nonces = new Set<string>();
  const rejected: string[] = [];
  const resourceCalls: { method: string; path: string; token: string }[] = [];

  function verify(req: OAuth1Request, tokenSecret: string | undefined): Record<string, string> | undefined {
    const auth = parseAuthorization(String(req.headers.authorization ?? ''));
    if (!auth || auth.oauth_consumer_key !== consumer.key || auth.oauth_signature_method !== method)
      return undefined;
    if (Math.abs(Number(auth.oauth_timestamp) - Date.now() / 1000) > 300) return undefined;
    const nonceKey = `${auth.oauth_timestamp}:${auth.oauth_nonce}`;
    if (nonces.has(nonceKey)) return undefined;
    // Collect: Authorization params (minus signature and realm), query, form body.
    const pairs: string[][] = Object.entries(auth).filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
    for (const [k, v] of req.url.searchParams) pairs.push([k, v]);
    if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(req.body)) pairs.push([k, v]);
    }
    const normalized = pairs
      .map(([k, v]) => [enc(k!), enc(v!)])
      .sort((a, b) => (a[0] === b[0] ? (a[1]! < b[1]! ? -1 : 1) : a[0]! < b[0]! ? -1 : 1))
      .map((p) => p.join('='))
      .join('&');
    const baseString = `${req.method}&${enc(`${req.url.protocol}//${req.url.host}${req.url.pathname}`)}&${enc(normalized)}`;
    const key = `${enc(consumer.secret)}&${enc(tokenSecret ?? '')}`;
    const expected =
      method === 'PLAINTEXT'
        ? key
        : createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
            .update(baseString)
            .digest('base64');
    const a = createHash('sha256').update(expected).digest();
    const b = createHash('sha256')
      .update(auth.oauth_signature ?? '')
      .digest();
    if (!a.equals(b)) return undefined;
    nonces.add(nonceKey);
    return auth;
  }

  const text = (status: number, body: string, type = 'text/plain'): OAuth1Response => ({
    status,
    headers: { 'content-type': type },
    body,
  });
  const deny = (path: string) => {
    rejected.push(path);
    return text(401, 'signature_invalid');
  };

  function handle(req: OAuth1Request): OAuth1Response | undefined {
    const path = req.url.pathname.slice(options.prefix.length);
    if (path === '/request_token' && req.method === 'POST') {
      const auth = verify(req, undefined);
      if (!auth || !auth.oauth_callback) return deny(req.url.pathname);
      const token = randomBytes(12).toString('hex');
      const secret = randomBytes(12).toString('hex');
      temporary.set(token, { secret, callback: auth.oauth_callback });
      return text(
        200,
        `oauth_token=${token}&oauth_token_secret=${secret}&oauth_callback_confirmed=true`,
        'application/x-www-form-urlencoded',
      );
    }
    if (path === '/authorize' && req.method === 'GET') {
      const token = req.url.searchParams.get('oauth_token') ?? '';
      const pending = temporary.get(token);
      if (!pending) return text(400, 'unknown token');
      if (req.url.searchParams.get('deny') === '1') {
        return {
          status: 302,
          headers: {
            location: `${pending.callback}${pending.callback.includes('?') ? '&' : '?'}denied=${token}`,
          },
          body: '',
        };
      }
      pending.verifier = randomBytes(8).toString('hex');
      const target = new URL(pending.callback);
      target.searchParams.set('oauth_token', token);
      target.searchParams.set('oauth_verifier', pending.verifier);
      return { status: 302, headers: { location: target.href }, body: '' };
    }
    if (path === '/access_token' && req.method === 'POST') {
      const token = parseAuthorization(String(req.headers.authorization ?? ''))?.oauth_token ?? '';
      const pending = temporary.get(token);
      const auth = pending ? verify(req, pending.secret) : undefined;
      if (!auth || !pending || auth.oauth_verifier !== pending.verifier) return deny(req.url.pathname);
      temporary.delete(token);
      const access = randomBytes(12).toString('hex');
      const secret = randomBytes(12).toString('hex');
      tokens.set(access, secret);
      return text(
        200,
        `oauth_token=${access}&oauth_token_secret=${secret}&user_id=42&screen_name=ada`,
        'application/x-www-form-urlencoded',
      );
    }
    if (req.url.pathname.startsWith(`${apiPrefix}/`)) {
      const token = parseAuthorization(String(req.headers.authorization ?? ''))?.oauth_token ?? '';
      const auth = tokens.has(token) ? verify(req, tokens.get(token)) : undefined;
      if (!auth) return deny(req.url.pathname);
      resourceCalls.push({ method: req.method, path: req.url.pathname + req.url.search, token });
      return text(
        200,
        JSON.stringify({ screen_name: 'ada', path: req.url.pathname, body: req.body }),
        'application/json',
      );
    }
    return undefined;
  }

  return { consumer, method, rejected, resourceCalls, handle };
}
