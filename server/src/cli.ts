import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { rotateMasterKey, rotateSigningKey } from './domain/key-rotation.js';
import { createOrg } from './domain/orgs.js';
import { openPortico } from './portico.js';
import { startServer } from './server.js';
import { policyFromEnv, startDeliveryWorker } from './webhooks/delivery.js';
import { origin as originSchema } from './http/schemas.js';

const USAGE = `Usage: portico <command> [options]

Commands:
  serve                                   Start the server (what "npm start" runs)
  org create --name <name> [--origin <url>]... [--json]
                                          Create an org with production and development environments
  keys rotate-signing [--json]            Add a new session-signing key; the old one verifies until its tokens expire
  keys rotate-master [--json]             Re-encrypt every secret under a new master key (safe while servers run)

Configuration is read from environment variables; see the README.`;

class UsageError extends Error {}

/** Runs one CLI command; answers the process exit code. */
export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
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

function silentLog() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

async function serveCommand(): Promise<number> {
  const p = await openPortico(loadConfig());
  const running = await startServer(p);
  const worker = startDeliveryWorker(p, policyFromEnv());
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      p.log.info('shutting down', { signal });
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
