import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { errors as undiciErrors, request as undiciRequest } from 'undici';
import { authType } from '../auth-types/registry.js';
import type { AuthTypeName, OutgoingRequest } from '../auth-types/types.js';
import { PorticoError, ValidationError } from '../errors.js';
import { upstreamUrl } from './upstream-url.js';

/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1), plus what Portico replaces. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
/** The caller's own credentials must never reach the target. */
const CALLER_SECRETS = new Set(['authorization', 'cookie']);
const FORM_BODY_LIMIT = 1024 * 1024;

export interface ProxyTarget {
  baseUrl: string;
  authType: AuthTypeName;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export interface ProxyOptions {
  headersTimeoutMs: number;
  /** Largest request body streamed through (413 beyond). */
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  /** Called once after an upstream 401 on a replayable request: fresh credentials, or undefined. */
  onUnauthorized?: () => Promise<Record<string, unknown> | undefined>;
}

/**
 * Forwards one request to the connection's base URL + path with the credentials applied, and
 * streams both bodies. The URL can only be under the base URL (see `upstreamUrl`).
 */
export async function proxyRequest(
  incoming: Request,
  rawPath: string,
  target: ProxyTarget,
  options: ProxyOptions,
  /** The Node request behind `incoming`, when there is one: streaming it directly keeps backpressure. */
  nodeBody?: Readable,
): Promise<Response> {
  const type = authType(target.authType);
  if (!type.apply)
    throw new ValidationError(`Auth type "${target.authType}" cannot be used for outgoing requests`);
  const source = new URL(incoming.url);
  const url = upstreamUrl(target.baseUrl, rawPath, source.search);

  const headers = new Headers();
  for (const [name, value] of incoming.headers) {
    if (!HOP_BY_HOP.has(name) && !CALLER_SECRETS.has(name)) headers.set(name, value);
  }
  // Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
  for (const token of (incoming.headers.get('connection') ?? '').split(',')) {
    const name = token.trim().toLowerCase();
    if (/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) headers.delete(name);
  }

  const method = incoming.method.toUpperCase();
  // Decided from the headers: touching `incoming.body` would start reading the Node stream.
  const length = incoming.headers.get('content-length');
  const hasBody =
    method !== 'GET' &&
    method !== 'HEAD' &&
    ((length !== null && length !== '0') || incoming.headers.has('transfer-encoding'));
  if (hasBody && Number(length ?? 0) > options.maxBodyBytes) throw tooLarge(options.maxBodyBytes);
  const streamed = hasBody
    ? limitStream(nodeBody ?? Readable.fromWeb(incoming.body as WebReadableStream), options.maxBodyBytes)
    : undefined;
  const isForm = (headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  // OAuth 1.0 signs form parameters, and a retry after 401 needs the body again: buffer only those, and only small ones.
  let buffered: string | undefined;
  if (hasBody && (isForm || (target.authType === 'oauth2' && options.onUnauthorized))) {
    const size = Number(length ?? NaN);
    if (isForm || (Number.isFinite(size) && size <= FORM_BODY_LIMIT)) {
      buffered = await readLimited(streamed!, FORM_BODY_LIMIT);
    }
  }

  const send = async (credentials: Record<string, unknown>, body: Readable | string | undefined) => {
    const outgoing: OutgoingRequest = { method, url: new URL(url), headers: new Headers(headers) };
    if (isForm && buffered !== undefined) outgoing.formBody = buffered;
    await type.apply!(outgoing, credentials, target.config);
    const plain: Record<string, string> = {};
    for (const [k, v] of outgoing.headers) plain[k] = v;
    try {
      return await undiciRequest(outgoing.url, {
        method: method as 'GET',
        headers: plain,
        body: body ?? null,
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      });
    } catch (err) {
      throw upstreamFailure(err);
    }
  };

  let upstream = await send(target.credentials, buffered ?? streamed);
  const replayable = !hasBody || buffered !== undefined;
  if (upstream.statusCode === 401 && replayable && options.onUnauthorized) {
    const fresh = await options.onUnauthorized();
    if (fresh) {
      await upstream.body.dump();
      upstream = await send(fresh, buffered);
    }
  }

  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
  }
  const noBody = method === 'HEAD' || upstream.statusCode === 204 || upstream.statusCode === 304;
  if (noBody) await upstream.body.dump();
  return new Response(noBody ? null : pullStream(upstream.body), {
    status: upstream.statusCode,
    headers: responseHeaders,
  });
}

/**
 * A web stream that reads the Node stream only when its consumer asks (highWaterMark 0), so a
 * slow client slows the upstream down instead of filling memory. (Node 20's `Readable.toWeb`
 * reads ahead without bound.)
 */
function pullStream(source: Readable): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value as Uint8Array);
      },
      // The client went away: stop reading the upstream. Destroying emits an abort error on
      // the body; without a listener that error would crash the process.
      cancel() {
        source.on('error', () => {});
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

async function readLimited(source: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new PorticoError(413, 'payload_too_large', 'Form bodies through the proxy are limited to 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(limit: number): PorticoError {
  return new PorticoError(413, 'payload_too_large', `Proxied bodies are limited to ${limit} bytes`);
}

/** Passes the body through, failing the stream once it exceeds `limit` bytes. */
function limitStream(source: Readable, limit: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooLarge(limit) : null, chunk);
    },
  });
  source.on('error', (err) => counter.destroy(err));
  return source.pipe(counter);
}

function upstreamFailure(err: unknown): PorticoError {
  if (err instanceof PorticoError) return err;
  if (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new PorticoError(504, 'upstream_timeout', 'The target system did not answer in time');
  }
  return new PorticoError(502, 'upstream_error', 'Could not reach the target system');
}
