import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config.js';
import { createOrg, type CreatedOrg } from '../../server/src/domain/orgs.js';
import { createApp } from '../../server/src/http/app.js';
import { openPortico, type Portico } from '../../server/src/portico.js';

export const PUBLIC_URL = 'http://portico.test';
export const VENDOR_ORIGIN = 'https://app.vendor.test';

export interface TestPortico {
  p: Portico;
  app: ReturnType<typeof createApp>;
  dir: string;
  logs: string[];
  /** Sends a request to the in-process app and parses a JSON answer. */
  call(
    method: string,
    path: string,
    opts?: { key?: string; token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): void;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A Portico on a fresh SQLite file in a temp dir, with its log lines captured. */
export async function startTestPortico(env: Record<string, string> = {}): Promise<TestPortico> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
  const logs: string[] = [];
  const config = loadConfig({
    PORTICO_DATA_DIR: dir,
    PORTICO_PUBLIC_URL: PUBLIC_URL,
    PORTICO_LOG_LEVEL: 'debug',
    ...env,
  });
  const log = (await import('../../server/src/log.js')).createLogger('debug', (line) => logs.push(line));
  const p = await openPortico(config, log);
  const app = createApp(p);
  return {
    p,
    app,
    dir,
    logs,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key) headers.authorization = `Bearer ${opts.key}`;
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
    close() {
      p.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestOrg extends CreatedOrg {
  prodKey: string;
  devKey: string;
  prodEnvId: string;
  devEnvId: string;
}

export async function seedOrg(t: TestPortico, name = 'Acme', origins = [VENDOR_ORIGIN]): Promise<TestOrg> {
  const org = await createOrg(t.p, { name, origins }, { type: 'system', id: 'test' });
  const prod = org.environments.find((e) => e.name === 'production')!;
  const dev = org.environments.find((e) => e.name === 'development')!;
  return { ...org, prodKey: prod.secretKey, devKey: dev.secretKey, prodEnvId: prod.id, devEnvId: dev.id };
}

/** A connector with an api-key auth method, an embedded connection bound in production. */
export interface EmbeddedSpec {
  name: string;
  baseUrl: string;
  authMethod: { type: string; config?: Record<string, unknown> };
  verify?: Record<string, unknown>;
  connectionName?: string;
}

/** A connector with one auth method, an embedded connection to it, bound in the key's environment. */
export async function embeddedConnection(t: TestPortico, key: string, spec: EmbeddedSpec) {
  const connector = await t.call('POST', '/api/v1/connectors', {
    key,
    body: {
      name: spec.name,
      baseUrl: spec.baseUrl,
      authMethods: [{ name: spec.name, ...spec.authMethod }],
      ...(spec.verify ? { verify: spec.verify } : {}),
    },
  });
  const connection = await t.call('POST', '/api/v1/connections', {
    key,
    body: {
      connectorId: connector.body.id,
      authMethodId: connector.body.authMethods?.[0]?.id,
      name: spec.connectionName ?? `${spec.name} for customers`,
      embedded: true,
    },
  });
  const binding = await t.call('PUT', `/api/v1/bindings/${connector.body.id}`, {
    key,
    body: { connectionId: connection.body.id },
  });
  if (connector.status !== 201 || connection.status !== 201 || binding.status !== 200) {
    throw new Error(`embeddedConnection failed: ${connector.text} ${connection.text} ${binding.text}`);
  }
  return {
    connectorId: connector.body.id as string,
    connectionId: connection.body.id as string,
    authMethodId: connector.body.authMethods[0].id as string,
  };
}

/** The same plus a session for one end user scoped to it: what most Connect API tests start from. */
export async function embeddedWithSession(
  t: TestPortico,
  key: string,
  spec: EmbeddedSpec,
  externalUserId = 'cus_1',
) {
  const ids = await embeddedConnection(t, key, spec);
  const session = await t.call('POST', '/api/v1/sessions', {
    key,
    body: { externalUserId, connections: [ids.connectionId] },
  });
  return { ...ids, token: session.body.token as string };
}

/** A connector with an api-key auth method, an embedded connection bound in production. */
export async function seedEmbedded(t: TestPortico, key: string) {
  return embeddedConnection(t, key, {
    name: 'GitHub',
    baseUrl: 'https://api.github.test',
    authMethod: { type: 'api-key', config: { in: 'header', name: 'Authorization', prefix: 'token ' } },
    connectionName: 'GitHub for customers',
  });
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'));
}

/** Every row of every table, as one string: equal snapshots mean nothing was written. */
export function dbSnapshot(t: TestPortico): string {
  const sqlite = t.p.db.$client;
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => [name, sqlite.prepare(`SELECT * FROM "${name}"`).all()]));
}
