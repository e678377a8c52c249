// What the console needs to know about the six auth types (SPEC §2): the fields of an auth method's
// configuration, the credentials a standard connection stores, and how to show a configuration.
import type { AuthMethod, AuthTypeName } from './api.js';

export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'password' | 'url' | 'number' | 'select' | 'checkbox' | 'textarea';
  required?: boolean;
  hint?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /** Initial value when the form opens. */
  initial?: string | boolean;
}

/** Form values by field name: strings, and booleans for checkboxes. */
export type Values = Record<string, string | boolean>;

export const AUTH_TYPES: { type: AuthTypeName; label: string; summary: string }[] = [
  { type: 'api-key', label: 'API Key', summary: 'A key sent in a header, query parameter or cookie.' },
  { type: 'basic', label: 'Basic Auth', summary: 'A username and password sent as a Base64-encoded header.' },
  { type: 'oauth2', label: 'OAuth2', summary: 'OAuth 2.0: authorization code or client credentials.' },
  { type: 'oauth1', label: 'OAuth1', summary: 'The OAuth 1.0a three-legged signing protocol.' },
  {
    type: 'hmac',
    label: 'HMAC (Webhook Only)',
    summary: 'Verifies incoming webhooks by their HMAC signature.',
  },
  { type: 'none', label: 'None (Bypass Authentication)', summary: 'The API requires no authentication.' },
];

export const authTypeLabel = (type: string) => AUTH_TYPES.find((t) => t.type === type)?.label ?? type;

const description: FieldSpec = { name: 'description', label: 'Description', kind: 'textarea' };
const option = (value: string, label = value) => ({ value, label });
const IN_NAME: Record<string, string> = {
  header: 'Header name',
  query: 'Parameter name',
  cookie: 'Cookie name',
};

/** The configuration fields of an auth method of `type`, given the values typed so far. */
export function configFields(type: AuthTypeName, values: Values): FieldSpec[] {
  switch (type) {
    case 'api-key':
      return [
        {
          name: 'in',
          label: 'Insert in',
          kind: 'select',
          options: [
            option('header', 'Header'),
            option('query', 'Query parameter'),
            option('cookie', 'Cookie'),
          ],
          initial: 'header',
        },
        {
          name: 'name',
          label: IN_NAME[String(values.in || 'header')]!,
          kind: 'text',
          required: true,
          placeholder: values.in === 'query' ? 'api_key' : 'Authorization',
        },
        {
          name: 'prefix',
          label: 'Value prefix',
          kind: 'text',
          hint: 'Put before the key, e.g. "Bearer " (mind the space).',
        },
        { name: 'label', label: 'Field label for users', kind: 'text', placeholder: 'API key' },
        description,
      ];
    case 'basic':
      return [
        { name: 'usernameLabel', label: 'Username label', kind: 'text', placeholder: 'Username' },
        { name: 'passwordLabel', label: 'Password label', kind: 'text', placeholder: 'Password' },
        description,
      ];
    case 'oauth2': {
      const code = (values.grantType || 'authorization_code') === 'authorization_code';
      return [
        {
          name: 'grantType',
          label: 'Grant type',
          kind: 'select',
          options: [
            option('authorization_code', 'Authorization code'),
            option('client_credentials', 'Client credentials'),
          ],
          initial: 'authorization_code',
        },
        ...(code
          ? [{ name: 'authorizeUrl', label: 'Authorize URL', kind: 'url', required: true } as const]
          : []),
        { name: 'tokenUrl', label: 'Token URL', kind: 'url', required: true },
        { name: 'scopes', label: 'Scopes', kind: 'text', hint: 'Separated by spaces.' },
        { name: 'clientId', label: 'Client ID', kind: 'text' },
        {
          name: 'clientSecret',
          label: 'Client secret',
          kind: 'password',
          hint: 'Stored encrypted, never shown again.',
        },
        {
          name: 'tokenAuth',
          label: 'Client authentication',
          kind: 'select',
          options: [option('client_secret_basic'), option('client_secret_post')],
          initial: 'client_secret_basic',
        },
        ...(code
          ? ([
              { name: 'pkce', label: 'Use PKCE (S256)', kind: 'checkbox', initial: true },
              {
                name: 'authorizeParams',
                label: 'Extra authorize parameters',
                kind: 'textarea',
                hint: 'One name=value per line.',
              },
              { name: 'issuer', label: 'Issuer (checked on the callback)', kind: 'url' },
            ] as FieldSpec[])
          : []),
        description,
      ];
    }
    case 'oauth1':
      return [
        { name: 'requestTokenUrl', label: 'Request token URL', kind: 'url', required: true },
        { name: 'authorizeUrl', label: 'Authorize URL', kind: 'url', required: true },
        { name: 'accessTokenUrl', label: 'Access token URL', kind: 'url', required: true },
        { name: 'consumerKey', label: 'Consumer key', kind: 'text', required: true },
        { name: 'consumerSecret', label: 'Consumer secret', kind: 'password', required: true },
        {
          name: 'signatureMethod',
          label: 'Signature method',
          kind: 'select',
          options: [option('HMAC-SHA1'), option('HMAC-SHA256'), option('PLAINTEXT')],
          initial: 'HMAC-SHA1',
        },
        description,
      ];
    case 'hmac':
      return [
        { name: 'header', label: 'Signature header', kind: 'text', initial: 'X-Signature', required: true },
        {
          name: 'algorithm',
          label: 'Algorithm',
          kind: 'select',
          options: [option('sha256', 'SHA-256'), option('sha1', 'SHA-1'), option('sha512', 'SHA-512')],
          initial: 'sha256',
        },
        {
          name: 'encoding',
          label: 'Encoding',
          kind: 'select',
          options: [option('hex', 'Hex'), option('base64', 'Base64')],
          initial: 'hex',
        },
        { name: 'prefix', label: 'Signature prefix', kind: 'text', placeholder: 'sha256=' },
        { name: 'timestampHeader', label: 'Timestamp header', kind: 'text' },
        { name: 'toleranceSeconds', label: 'Timestamp tolerance (seconds)', kind: 'number' },
        description,
      ];
    case 'none':
      return [description];
  }
}

/** Turns typed values into the `config` the API expects: empty fields left out, types converted. */
export function configFromValues(type: AuthTypeName, values: Values): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of configFields(type, values)) {
    const value = values[field.name] ?? field.initial;
    if (field.kind === 'checkbox') {
      config[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text && field.name !== 'prefix') continue;
    if (field.name === 'prefix') {
      // A prefix's trailing space matters ("Bearer "); only a prefix that is all blank is dropped.
      if (typeof value === 'string' && value.trim()) config.prefix = value.replace(/^\s+/, '');
    } else if (field.name === 'scopes') config.scopes = text.split(/[\s,]+/).filter(Boolean);
    else if (field.name === 'authorizeParams') {
      config.authorizeParams = Object.fromEntries(
        text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => {
            const at = line.indexOf('=');
            return at === -1 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
          }),
      );
    } else if (field.kind === 'number') config[field.name] = Number(text);
    else config[field.name] = text;
  }
  return config;
}

/** The credentials a standard connection stores for an auth method (none for `none`). */
export function credentialFields(method: Pick<AuthMethod, 'type' | 'config'>): FieldSpec[] {
  const cfg = method.config;
  switch (method.type) {
    case 'api-key':
      return [{ name: 'apiKey', label: String(cfg.label ?? 'API key'), kind: 'password', required: true }];
    case 'basic':
      return [
        { name: 'username', label: String(cfg.usernameLabel ?? 'Username'), kind: 'text', required: true },
        {
          name: 'password',
          label: String(cfg.passwordLabel ?? 'Password'),
          kind: 'password',
          required: true,
        },
      ];
    case 'oauth2':
      return cfg.grantType === 'client_credentials'
        ? [
            { name: 'clientId', label: 'Client ID', kind: 'text', required: true },
            { name: 'clientSecret', label: 'Client secret', kind: 'password', required: true },
          ]
        : [
            { name: 'accessToken', label: 'Access token', kind: 'password', required: true },
            { name: 'refreshToken', label: 'Refresh token', kind: 'password' },
            {
              name: 'expiresAt',
              label: 'Access token expires at',
              kind: 'text',
              placeholder: '2030-01-01T00:00:00Z',
              hint: 'ISO 8601; leave empty if it does not expire.',
            },
          ];
    case 'oauth1':
      return [
        { name: 'token', label: 'Token', kind: 'password', required: true },
        { name: 'tokenSecret', label: 'Token secret', kind: 'password', required: true },
      ];
    case 'hmac':
      return [{ name: 'secret', label: 'Webhook signing secret', kind: 'password', required: true }];
    case 'none':
      return [];
  }
}

export function credentialsFromValues(fields: FieldSpec[], values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (typeof v === 'string' && v !== '') out[f.name] = f.kind === 'password' ? v : v.trim();
  }
  return out;
}

const CONFIG_LABELS: Record<string, string> = {
  in: 'Insert in',
  prefix: 'Prefix',
  label: 'Field label',
  usernameLabel: 'Username label',
  passwordLabel: 'Password label',
  grantType: 'Grant type',
  authorizeUrl: 'Authorize URL',
  tokenUrl: 'Token URL',
  scopes: 'Scopes',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  pkce: 'PKCE',
  tokenAuth: 'Client authentication',
  authorizeParams: 'Extra authorize parameters',
  issuer: 'Issuer',
  requestTokenUrl: 'Request token URL',
  accessTokenUrl: 'Access token URL',
  consumerKey: 'Consumer key',
  consumerSecret: 'Consumer secret',
  signatureMethod: 'Signature method',
  header: 'Signature header',
  algorithm: 'Algorithm',
  encoding: 'Encoding',
  timestampHeader: 'Timestamp header',
  toleranceSeconds: 'Tolerance (s)',
  description: 'Description',
};

/** An auth method's configuration as label/value rows, secrets masked by the server already. */
export function configRows(method: AuthMethod): [string, string][] {
  const rows: [string, string][] = [
    ['Name', method.name],
    ['Type', authTypeLabel(method.type)],
  ];
  const cfg = method.config;
  for (const [key, value] of Object.entries(cfg)) {
    if (key === 'description' || value === undefined || value === null || value === '') continue;
    let label = CONFIG_LABELS[key] ?? key;
    if (method.type === 'api-key' && key === 'name') label = IN_NAME[String(cfg.in ?? 'header')]!;
    let text: string;
    if (Array.isArray(value)) text = value.join(' ') || '—';
    else if (typeof value === 'boolean') text = value ? 'Yes' : 'No';
    else if (typeof value === 'object')
      text = Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ');
    else if (key === 'prefix') text = JSON.stringify(value);
    else text = String(value);
    rows.push([label, text]);
  }
  if (typeof cfg.description === 'string' && cfg.description) rows.push(['Description', cfg.description]);
  return rows;
}
