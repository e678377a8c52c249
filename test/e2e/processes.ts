import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

export const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

/** A free loopback port, by asking the kernel for one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs the `portico` CLI as a separate process. */
export async function portico(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return run('node', ['bin/portico.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Signals the whole process group; answers the exit code, or the signal's name if it ended by one. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** Starts `command` (e.g. `npm start`) in its own process group and waits for `/healthz`. */
export async function startServerProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<ServerProcess> {
  let out = '';
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
          return resolve(child.exitCode ?? child.signalCode);
        child.once('exit', (code, sig) => resolve(code ?? sig));
        try {
          process.kill(-child.pid!, signal);
        } catch {
          resolve(child.exitCode ?? child.signalCode);
        }
      }),
  };
}

/** A JSON client for a running server's API, with a secret key (or a session token). */
export function apiClient(base: string, key: string) {
  return async (method: string, path: string, body?: unknown, auth = key) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
}

/**
 * Over real HTTP: an api-key connector for `targetUrl`, an embedded connection bound in the key's
 * environment, a session for `externalUserId`, and that user's activation with `apiKey`.
 */
export async function seedApiKeyActivation(
  base: string,
  key: string,
  targetUrl: string,
  externalUserId: string,
  apiKey: string,
) {
  const api = apiClient(base, key);
  const connector = await api('POST', '/api/v1/connectors', {
    name: 'Target',
    baseUrl: targetUrl,
    authMethods: [{ name: 'Key', type: 'api-key', config: { name: 'X-Api-Key' } }],
  });
  const connection = await api('POST', '/api/v1/connections', {
    connectorId: connector.id,
    authMethodId: connector.authMethods[0].id,
    name: 'Users',
    embedded: true,
  });
  await api('PUT', `/api/v1/bindings/${connector.id}`, { connectionId: connection.id });
  const session = await api('POST', '/api/v1/sessions', { externalUserId });
  const activation = await api(
    'POST',
    '/connect/activations',
    { connectionId: connection.id, credentials: { apiKey } },
    session.token,
  );
  return {
    api,
    connectionId: connection.id as string,
    sessionToken: session.token as string,
    activationId: activation.activationId as string,
  };
}
