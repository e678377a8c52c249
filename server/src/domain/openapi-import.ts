import { parse as parseYaml } from 'yaml';
import { httpUrl } from '../auth-types/fields.js';
import type { AuthTypeName } from '../auth-types/types.js';
import { ValidationError } from '../errors.js';
import type { ConnectorInput } from './connectors.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Maps an OpenAPI 3.x document to a connector (SPEC §2): `servers[0].url` is the base URL and
 * each security scheme becomes an auth method. What cannot be mapped is reported in `warnings`,
 * never dropped silently.
 */
export function importOpenApi(
  source: string | Obj,
  name?: string,
): { input: ConnectorInput; warnings: string[] } {
  const doc = typeof source === 'string' ? parseDocument(source) : source;
  if (typeof doc.openapi !== 'string' || !/^3\.\d+(\.\d+)?/.test(doc.openapi)) {
    throw new ValidationError('openapi: not an OpenAPI 3.x document (the "openapi" field must be 3.x)');
  }
  const warnings: string[] = [];
  const baseUrl = serverUrl(doc);
  const info = isObj(doc.info) ? doc.info : {};
  const title =
    typeof info.title === 'string' && info.title.trim() ? info.title.trim().slice(0, 200) : 'Imported API';

  const schemes =
    isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const authMethods: ConnectorInput['authMethods'] = [];
  for (const [key, scheme] of Object.entries(schemes)) {
    if (!isObj(scheme)) {
      warnings.push(`securitySchemes.${key}: not an object; skipped`);
      continue;
    }
    authMethods.push(...mapScheme(key.slice(0, 200), scheme, warnings));
  }
  if (authMethods.length === 0) {
    warnings.push('No usable security scheme: added a "None" auth method');
    authMethods.push({ name: 'None', type: 'none', config: {} });
  }
  return { input: { name: name ?? title, baseUrl, authMethods, verify: null }, warnings };
}

function parseDocument(text: string): Obj {
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { maxAliasCount: 100 });
  } catch {
    throw new ValidationError('openapi: the document is neither valid JSON nor valid YAML');
  }
  if (!isObj(parsed)) throw new ValidationError('openapi: the document must be an object');
  return parsed;
}

function serverUrl(doc: Obj): string {
  const server = Array.isArray(doc.servers) && isObj(doc.servers[0]) ? doc.servers[0] : undefined;
  if (!server || typeof server.url !== 'string')
    throw new ValidationError('openapi: servers[0].url is required');
  const variables = isObj(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (_, v: string) => {
    const variable = variables[v];
    return isObj(variable) && typeof variable.default === 'string' ? variable.default : `{${v}}`;
  });
  if (!httpUrl.safeParse(url).success) {
    throw new ValidationError('openapi: servers[0].url must be an absolute http(s) URL');
  }
  return url.replace(/\/+$/, '');
}

function mapScheme(key: string, s: Obj, warnings: string[]): ConnectorInput['authMethods'] {
  const method = (type: AuthTypeName, config: Obj, suffix = '') => ({ name: key + suffix, type, config });
  switch (s.type) {
    case 'apiKey':
      if ((s.in === 'header' || s.in === 'query' || s.in === 'cookie') && typeof s.name === 'string') {
        return [method('api-key', { in: s.in, name: s.name })];
      }
      warnings.push(`securitySchemes.${key}: apiKey needs "in" (header, query, cookie) and "name"; skipped`);
      return [];
    case 'http': {
      const scheme = typeof s.scheme === 'string' ? s.scheme.toLowerCase() : '';
      if (scheme === 'basic') return [method('basic', {})];
      if (scheme === 'bearer')
        return [method('api-key', { in: 'header', name: 'Authorization', prefix: 'Bearer ' })];
      warnings.push(`securitySchemes.${key}: http scheme "${scheme.slice(0, 40)}" is not supported; skipped`);
      return [];
    }
    case 'oauth2':
      return mapOAuth2(key, s, warnings);
    default:
      warnings.push(
        `securitySchemes.${key}: type "${String(s.type).slice(0, 40)}" is not supported; skipped`,
      );
      return [];
  }
}

function mapOAuth2(key: string, s: Obj, warnings: string[]): ConnectorInput['authMethods'] {
  const flows = isObj(s.flows) ? s.flows : {};
  const out: ConnectorInput['authMethods'] = [];
  const scopesOf = (flow: Obj) => (isObj(flow.scopes) ? Object.keys(flow.scopes) : []);
  const several =
    Object.keys(flows).filter((f) => f === 'authorizationCode' || f === 'clientCredentials').length > 1;
  for (const [flowName, flow] of Object.entries(flows)) {
    if (!isObj(flow)) continue;
    if (flowName === 'authorizationCode') {
      out.push({
        name: several ? `${key} (authorization code)` : key,
        type: 'oauth2',
        config: {
          grantType: 'authorization_code',
          authorizeUrl: flow.authorizationUrl,
          tokenUrl: flow.tokenUrl,
          scopes: scopesOf(flow),
        },
      });
      warnings.push(
        `securitySchemes.${key}: set clientId and clientSecret on the imported OAuth2 auth method`,
      );
    } else if (flowName === 'clientCredentials') {
      out.push({
        name: several ? `${key} (client credentials)` : key,
        type: 'oauth2',
        config: { grantType: 'client_credentials', tokenUrl: flow.tokenUrl, scopes: scopesOf(flow) },
      });
    } else {
      warnings.push(
        `securitySchemes.${key}: OAuth2 flow "${flowName.slice(0, 40)}" is not supported; skipped`,
      );
    }
  }
  if (out.length === 0 && Object.keys(flows).length === 0)
    warnings.push(`securitySchemes.${key}: no flows; skipped`);
  return out;
}
