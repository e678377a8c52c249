import { resolve } from 'node:path';

/** Everything Portico reads from its environment, parsed once. See the README's configuration table. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  /** base64 keys from PORTICO_MASTER_KEY: the first encrypts, all decrypt. Empty: use the key file. */
  masterKeys: Buffer[];
  databaseUrl: string | undefined;
  rateLimits: boolean;
  /** Per-minute limits per client IP and per environment (admin sign-in: per IP and per email, per 15 minutes). */
  limits: {
    sessions: { perIp: number; perEnvironment: number };
    activations: { perIp: number; perEnvironment: number };
    tokenExchange: { perIp: number; perEnvironment: number };
    adminLogin: { perIp: number; perEmail: number };
  };
  /** Trust X-Forwarded-For for client addresses (only behind your own proxy). */
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** Request bodies streamed through the proxy may be larger than API bodies. */
  proxyBodyLimitBytes: number;
  /** How long the proxy waits for the target's response headers. */
  proxyTimeoutMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  demo: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT ?? '8787');
  const publicUrl = (env.PORTICO_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('PORTICO_PUBLIC_URL must be an absolute http(s) URL');
  }
  if (env.DATABASE_URL && !env.DATABASE_URL.startsWith('file:') && !env.DATABASE_URL.startsWith('sqlite:')) {
    throw new ConfigError('DATABASE_URL: only SQLite (file:…) is supported in this version');
  }
  const logLevel = (env.PORTICO_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError('PORTICO_LOG_LEVEL must be one of debug, info, warn, error, silent');
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.PORTICO_DATA_DIR ?? './data'),
    publicUrl,
    masterKeys: parseMasterKeys(env.PORTICO_MASTER_KEY),
    databaseUrl: env.DATABASE_URL,
    rateLimits: env.PORTICO_RATE_LIMITS !== 'off',
    limits: {
      sessions: pair(env.PORTICO_RATE_LIMIT_SESSIONS, [600, 3000], 'PORTICO_RATE_LIMIT_SESSIONS'),
      activations: pair(env.PORTICO_RATE_LIMIT_ACTIVATIONS, [30, 1200], 'PORTICO_RATE_LIMIT_ACTIVATIONS'),
      tokenExchange: pair(
        env.PORTICO_RATE_LIMIT_TOKEN_EXCHANGE,
        [120, 3000],
        'PORTICO_RATE_LIMIT_TOKEN_EXCHANGE',
      ),
      adminLogin: (([perIp, perEmail]) => ({ perIp, perEmail }))(
        tuple(
          env.PORTICO_RATE_LIMIT_ADMIN_LOGIN,
          [20, 10],
          'PORTICO_RATE_LIMIT_ADMIN_LOGIN',
          '"perIp,perEmail" per 15 minutes',
        ),
      ),
    },
    trustProxy: env.PORTICO_TRUST_PROXY === '1',
    bodyLimitBytes: parsePositiveInt(env.PORTICO_BODY_LIMIT ?? String(256 * 1024), 'PORTICO_BODY_LIMIT'),
    proxyBodyLimitBytes: parsePositiveInt(
      env.PORTICO_PROXY_BODY_LIMIT ?? String(100 * 1024 * 1024),
      'PORTICO_PROXY_BODY_LIMIT',
    ),
    proxyTimeoutMs: parsePositiveInt(env.PORTICO_PROXY_TIMEOUT_MS ?? '30000', 'PORTICO_PROXY_TIMEOUT_MS'),
    logLevel,
    demo: env.PORTICO_DEMO !== '0',
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be 0–65535');
  return port;
}

function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return n;
}

function parseMasterKeys(value: string | undefined): Buffer[] {
  if (!value) return [];
  return value.split(',').map((part, i) => {
    const key = Buffer.from(part.trim(), 'base64');
    if (key.length !== 32) {
      throw new ConfigError(`PORTICO_MASTER_KEY entry ${i + 1} must be a base64-encoded 32-byte key`);
    }
    return key;
  });
}

/** "perIp,perEnvironment" per minute. */
function pair(value: string | undefined, fallback: [number, number], name: string) {
  const [perIp, perEnvironment] = tuple(value, fallback, name);
  return { perIp, perEnvironment };
}

function tuple(
  value: string | undefined,
  fallback: [number, number],
  name: string,
  shape = '"perIp,perEnvironment" per minute',
): [number, number] {
  if (!value) return fallback;
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new ConfigError(`${name} must be two positive integers, ${shape}`);
  }
  return [parts[0]!, parts[1]!];
}
