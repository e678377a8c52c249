import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../server/src/cli.js';
import { createAdmin, hashPassword, verifyPassword } from '../../server/src/domain/admins.js';
import { seedOrg, startTestPortico, type TestOrg, type TestPortico } from '../helpers/portico.js';

let t: TestPortico;
let org: TestOrg;

beforeEach(async () => {
  t = await startTestPortico();
  org = await seedOrg(t);
});
afterEach(() => {
  vi.unstubAllEnvs();
  t.close();
});

const actor = { type: 'system' as const, id: 'test' };

/** Runs the CLI in-process against the test's data dir, with `stdin` as its standard input. */
async function cli(args: string[], stdin: string) {
  vi.stubEnv('PORTICO_DATA_DIR', t.dir);
  vi.stubEnv('PORTICO_LOG_LEVEL', 'silent');
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(
    args,
    sink((s) => (out += s)) as unknown as typeof process.stdout,
    sink((s) => (err += s)) as unknown as typeof process.stderr,
    Readable.from([Buffer.from(stdin)]),
  );
  return { code, out, err };
}

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('a long enough password', a)).toBe(true);
    expect(await verifyPassword('a long enough passwore', a)).toBe(false);
    expect(await verifyPassword('a long enough password', 'plain$text')).toBe(false);
  });
});

describe('createAdmin', () => {
  it('stores the admin with a hashed password and audits admin.created', async () => {
    const admin = await createAdmin(
      t.p,
      { orgId: org.orgId, email: ' Ada@Acme.test', password: 'twelve chars' },
      actor,
    );
    expect(admin).toEqual({
      adminId: expect.stringMatching(/^adm_/),
      orgId: org.orgId,
      email: 'ada@acme.test',
    });
    const row = t.p.db.$client.prepare('SELECT * FROM admins').get() as Record<string, string>;
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain('twelve chars');
    const audit = t.p.db.$client
      .prepare("SELECT org_id, actor_type, target_id FROM audit_events WHERE action = 'admin.created'")
      .get();
    expect(audit).toEqual({ org_id: org.orgId, actor_type: 'system', target_id: admin.adminId });
  });

  it('refuses short passwords, bad emails, unknown orgs and duplicate emails', async () => {
    const create = (input: Partial<{ orgId: string; email: string; password: string }>) =>
      createAdmin(
        t.p,
        { orgId: org.orgId, email: 'a@acme.test', password: 'long enough pw', ...input },
        actor,
      );
    await expect(create({ password: 'elevenchars' })).rejects.toMatchObject({ status: 400 });
    await expect(create({ email: 'not-an-email' })).rejects.toMatchObject({ status: 400 });
    await expect(create({ orgId: 'org_missing' })).rejects.toMatchObject({ status: 404 });
    await create({});
    await expect(create({ email: 'A@acme.test' })).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });
});

describe('portico admin create', () => {
  it('reads the password from stdin, trims one newline, prints JSON, and the admin can sign in', async () => {
    const { code, out } = await cli(
      ['admin', 'create', '--org', org.orgId, '--email', 'ops@acme.test', '--password-stdin', '--json'],
      'a password with a space \n',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      adminId: expect.stringMatching(/^adm_/),
      orgId: org.orgId,
      email: 'ops@acme.test',
    });
    // Only the newline was trimmed: the trailing space is part of the password.
    const ok = await t.call('POST', '/admin/login', {
      body: { email: 'ops@acme.test', password: 'a password with a space ' },
    });
    expect(ok.status).toBe(200);
    const trimmed = await t.call('POST', '/admin/login', {
      body: { email: 'ops@acme.test', password: 'a password with a space' },
    });
    expect(trimmed.status).toBe(401);
  });

  it('prints a human summary without --json', async () => {
    const { code, out } = await cli(
      ['admin', 'create', '--org', org.orgId, '--email', 'h@acme.test', '--password-stdin'],
      'password for humans\r\n',
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Created admin adm_\S+ \(h@acme.test\) for org org_\S+; sign in at http:\/\/\S+\/admin\n$/,
    );
  });

  it('exits 1 with a clear message for a duplicate email, an unknown org or a short password', async () => {
    const args = (orgId: string, email: string) => [
      'admin',
      'create',
      '--org',
      orgId,
      '--email',
      email,
      '--password-stdin',
    ];
    expect((await cli(args(org.orgId, 'dup@acme.test'), 'first password!\n')).code).toBe(0);
    const dup = await cli(args(org.orgId, 'dup@acme.test'), 'second password!\n');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already exists');
    const unknown = await cli(args('org_missing', 'x@acme.test'), 'first password!\n');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('org_missing not found');
    const short = await cli(args(org.orgId, 'y@acme.test'), 'short\n');
    expect(short.code).toBe(1);
    expect(short.err).toContain('at least 12 characters');
    expect(short.err).not.toContain('short\n');
  });

  it('exits 2 with usage when a flag is missing; never takes the password from argv', async () => {
    const noStdin = await cli(['admin', 'create', '--org', org.orgId, '--email', 'z@acme.test'], '');
    expect(noStdin.code).toBe(2);
    expect(noStdin.err).toContain('--password-stdin');
    const argvPassword = await cli(
      ['admin', 'create', '--org', org.orgId, '--email', 'z@acme.test', '--password', 'in argv!!!!!'],
      '',
    );
    expect(argvPassword.code).toBe(2);
    const help = await cli(['help'], '');
    expect(help.out).toContain('admin create --org <orgId> --email <email> --password-stdin');
  });
});
