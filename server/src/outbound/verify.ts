import { authType } from '../auth-types/registry.js';
import type { AuthTypeName } from '../auth-types/types.js';
import { CredentialsRejectedError, PorticoError } from '../errors.js';
import { upstreamUrl } from './upstream-url.js';

export interface VerificationRequest {
  method: string;
  path: string;
  expectStatus: number[];
}

const VERIFY_TIMEOUT_MS = 10_000;

/**
 * "Test Connection" (SPEC §6): calls the connector's verification request with the credentials
 * applied and refuses them unless the target answers one of the expected statuses.
 */
export async function verifyCredentials(
  verify: VerificationRequest,
  baseUrl: string,
  type: AuthTypeName,
  config: Record<string, unknown>,
  credentials: Record<string, unknown>,
): Promise<{ status: number }> {
  const impl = authType(type);
  const [path, query = ''] = verify.path.split('?', 2) as [string, string?];
  const request = {
    method: verify.method,
    url: upstreamUrl(baseUrl, path, query ? `?${query}` : ''),
    headers: new Headers(),
  };
  request.headers.set('accept', 'application/json');
  await impl.apply?.(request, credentials, config);
  let status: number;
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') {
      throw new PorticoError(504, 'upstream_timeout', 'The verification request timed out');
    }
    throw new PorticoError(
      502,
      'upstream_error',
      'The verification request could not reach the target system',
    );
  }
  if (!verify.expectStatus.includes(status)) {
    throw new CredentialsRejectedError(`The target system rejected these credentials (HTTP ${status})`);
  }
  return { status };
}
