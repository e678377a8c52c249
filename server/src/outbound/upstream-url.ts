import { ValidationError } from '../errors.js';

/**
 * Joins a connection's base URL and a caller-supplied path so the result can only ever be the
 * base URL's origin, under the base URL's path. The path is never parsed as a URL of its own:
 * absolute URLs, `//host`, `@host`, backslashes and dot segments (also percent-encoded) are refused.
 */
export function upstreamUrl(baseUrl: string, path: string, search = ''): URL {
  const base = new URL(baseUrl);
  if (path.includes('\\') || [...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    throw badPath();
  const segments = path.replace(/^\//, '').split('/');
  segments.forEach((segment, i) => {
    // An empty segment is a trailing slash at most: `//host` and `a//b` are refused.
    if (segment === '' && i !== segments.length - 1) throw badPath();
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badPath();
    }
    if (decoded.split(/[/\\]/).some((part) => part === '.' || part === '..')) throw badPath();
  });
  const basePath = base.pathname.replace(/\/+$/, '');
  const url = new URL(base.origin);
  url.pathname = `${basePath}/${segments.join('/')}`;
  url.search = search;
  // Belt and braces: whatever the parser did, the result must stay where the base URL is.
  if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
    throw badPath();
  }
  return url;
}

function badPath(): ValidationError {
  return new ValidationError('path: not a relative path under the connection base URL');
}
