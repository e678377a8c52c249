import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { startHousekeeping } from './domain/housekeeping.js';
import { rotateMasterKey, rotateSigningKey } from './domain/key-rotation.js';
import { createAdmin } from './domain/admins.js';
import { createOrg } from './domain/orgs.js';
import { openPortico } from './portico.js';
import { createApp } from './http/app.js';
import { startServer } from './server.js';
import { policyFromEnv, startDeliveryWorker } from './webhooks/delivery.js';
import { origin as originSchema } from './http/schemas.js';

const USAGE = `Usage: portico <command> [options]

Commands:
  serve                                   Start the server (what "npm start" runs)
  org create --name <name> [--origin <url>]... [--json]
                                          Create an org with production and development environments
  admin create --org <orgId> --email <email> --password-stdin [--json]
                                          Create an admin console login; the password (12+ characters) is read from stdin
  keys rotate-signing [--json]            Add a new session-signing key; the old one verifies until its tokens expire
  keys rotate-master [--json]             Re-encrypt every secret under a new master key (safe while servers run)

Configuration is read from environment variables; see the README.`;

class UsageError extends Error {}

/** Runs one CLI command; answers the process exit code. */
export async function main(
  argv: string[],
  out = process.stdout,
  err = process.stderr,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const print = (text: string) => out.write(text + '\n');
  try {
    const [command, sub] = argv;
    if (!command || command === '--help' || command === 'help') {
      print(USAGE);
      return command ? 0 : 2;
    }
    if (command === 'serve') return await serveCommand();
    if (command === 'org' && sub === 'create') {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          name: { type: 'string' },
          origin: { type: 'string', multiple: true },
          json: { type: 'boolean' },
        },
        strict: true,
      });
      const name = values.name?.trim();
      if (!name || name.length > 200) throw new UsageError('--name is required (1–200 characters)');
      for (const o of values.origin ?? []) {
        if (!originSchema.safeParse(o).success) {
          throw new UsageError(
            `--origin ${JSON.stringify(o)} is not an origin such as https://app.example.com`,
          );
        }
      }
      const p = await openPortico(loadConfig(), silentLog());
      try {
        const org = await createOrg(
          p,
          { name, origins: values.origin ?? [] },
          { type: 'cli', id: 'portico' },
        );
        if (values.json) print(JSON.stringify(org));
        else {
          print(`Created org ${org.orgId}`);
          for (const e of org.environments)
            print(`  ${e.name.padEnd(12)} ${e.id}  secret key: ${e.secretKey}`);
          print('Secret keys are shown only now; store them safely.');
        }
      } finally {
        p.close();
      }
      return 0;
    }
    if (command === 'admin' && sub === 'create') {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          org: { type: 'string' },
          email: { type: 'string' },
          'password-stdin': { type: 'boolean' },
          json: { type: 'boolean' },
        },
        strict: true,
      });
      if (!values.org) throw new UsageError('--org is required');
      if (!values.email) throw new UsageError('--email is required');
      // Never from argv: command lines are visible to every user of the machine and land in shell history.
      if (!values['password-stdin'])
        throw new UsageError('--password-stdin is required (pipe the password in)');
      if ((input as { isTTY?: boolean }).isTTY) err.write('Password (then Enter and Ctrl-D): ');
      const password = await readPassword(input);
      const p = await openPortico(loadConfig(), silentLog());
      try {
        const admin = await createAdmin(
          p,
          { orgId: values.org, email: values.email, password },
          { type: 'cli', id: 'portico' },
        );
        print(
          values.json
            ? JSON.stringify(admin)
            : `Created admin ${admin.adminId} (${admin.email}) for org ${admin.orgId}; sign in at ${p.config.publicUrl}/admin`,
        );
      } finally {
        p.close();
      }
      return 0;
    }
    if (command === 'keys' && (sub === 'rotate-signing' || sub === 'rotate-master')) {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: { json: { type: 'boolean' } },
        strict: true,
      });
      const p = await openPortico(loadConfig(), silentLog());
      try {
        const actor = { type: 'cli' as const, id: 'portico' };
        if (sub === 'rotate-signing') {
          const kid = await rotateSigningKey(p, actor);
          print(
            values.json
              ? JSON.stringify({ kid })
              : `New signing key ${kid}; the previous key verifies until its tokens expire.`,
          );
        } else {
          const result = await rotateMasterKey(p, actor);
          print(
            values.json
              ? JSON.stringify(result)
              : `Master key ${result.keyId} is current; re-encrypted ${result.resealed} secrets.`,
          );
        }
      } finally {
        p.close();
      }
      return 0;
    }
    throw new UsageError(`Unknown command: ${argv.join(' ')}`);
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof ConfigError ||
      (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      err.write(`portico: ${(e as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    err.write(`portico: ${(e as Error).message}\n`);
    return 1;
  }
}

/** The password piped to stdin, without the one line break `echo` or a heredoc adds. */
async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > 4096) throw new UsageError('The password on stdin is longer than 4096 bytes');
    chunks.push(buf);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function silentLog() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

async function serveCommand(): Promise<number> {
  const p = await openPortico(loadConfig());
  const app = createApp(p);
  if (p.config.demo) {
    // The demo lives beside the server, not in it: seeded on first start, mounted at `/`.
    const { ensureDemo } = await import('../../demo/seed.js');
    const { demoRoutes } = await import('../../demo/app.js');
    app.route('/', demoRoutes(p, await ensureDemo(p)));
  }
  const running = await startServer(p, p.config.port, p.config.host, app);
  const worker = startDeliveryWorker(p, policyFromEnv());
  const chores = startHousekeeping(p);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      p.log.info('shutting down', { signal });
      chores.stop();
      void Promise.all([running.close(), worker.stop()]).then(() => {
        p.close();
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
