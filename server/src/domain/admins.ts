import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { hashSecretKey, newSecretKey } from '../crypto/secret-keys.js';
import {
  deleteAdminSession,
  deleteExpiredAdminSessions,
  findAdminByEmail,
  findLiveAdminSession,
  insertAdmin,
  insertAdminSession,
  type AdminRow,
} from '../db/admins.js';
import { insertAudit } from '../db/audit.js';
import {
  findOrg,
  insertApiKey,
  listApiKeys,
  listEnvironments,
  revokeApiKey,
  type ApiKeyRow,
} from '../db/orgs.js';
import { ConflictError, NotFoundError, PorticoError, ValidationError } from '../errors.js';
import { newId, randomToken } from '../ids.js';
import type { Portico } from '../portico.js';
import { auditEntry, type Actor } from './audit.js';
import type { EnvScope } from './environments.js';
import { DEFAULT_ENVIRONMENTS, DEFAULT_KEY_SCOPES } from './orgs.js';

/** Console sign-ins last 12 hours, then the admin signs in again (no sliding renewal). */
export const ADMIN_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** Failures of the console's sign-in and CSRF checks: codes the console branches on. */
export class AdminAuthError extends PorticoError {
  override readonly name = 'AdminAuthError';
  constructor(status: 401 | 403, code: 'invalid_credentials' | 'csrf_failed', message: string) {
    super(status, code, message);
  }
}

// ── Passwords ────────────────────────────────────────────────────────────────────────────────

/** scrypt cost N = 2^15, r = 8, p = 1: 32 MiB and roughly 100 ms per hash, paid at sign-in only. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 256 * N * r;

/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: the parameters travel with the hash so they can grow. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password.normalize('NFC'), salt, keyLength, {
    N,
    r,
    p,
    maxmem: maxmem(N, r),
  });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    ...params,
    maxmem: maxmem(params.N, params.r),
  });
  return timingSafeEqual(key, expected);
}

/** Checked against when the email is unknown, so both failures cost one scrypt. */
let decoyHash: Promise<string> | undefined;

// ── Admin accounts ───────────────────────────────────────────────────────────────────────────

const email = z.email().max(320);

export const normalizeEmail = (value: string) => value.trim().toLowerCase();

export interface CreatedAdmin {
  adminId: string;
  orgId: string;
  email: string;
}

/** Creates a console login for an org. The password is only ever stored as an scrypt hash. */
export async function createAdmin(
  p: Portico,
  input: { orgId: string; email: string; password: string },
  actor: Actor,
): Promise<CreatedAdmin> {
  const address = normalizeEmail(input.email);
  if (!email.safeParse(address).success) throw new ValidationError('email: not a valid email address');
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (input.password.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(`password: at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  const org = await findOrg(p.db, input.orgId);
  if (!org) throw new NotFoundError(`Org ${input.orgId}`);
  if (await findAdminByEmail(p.db, address)) {
    throw new ConflictError(`An admin with email ${address} already exists`);
  }
  const id = newId('adm');
  const passwordHash = await hashPassword(input.password);
  try {
    await insertAdmin(
      p.db,
      { id, orgId: org.id, email: address, passwordHash, createdAt: Date.now() },
      auditEntry({ orgId: org.id, environmentId: null }, actor, 'admin.created', { type: 'admin', id }),
    );
  } catch (e) {
    // Another process created the same email between the check and the insert.
    if (String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
      throw new ConflictError(`An admin with email ${address} already exists`);
    }
    throw e;
  }
  return { adminId: id, orgId: org.id, email: address };
}

// ── Console sessions ─────────────────────────────────────────────────────────────────────────

const adminAudit = (orgId: string, adminId: string, action: string) =>
  auditEntry({ orgId, environmentId: null }, { type: 'admin', id: adminId }, action, {
    type: 'admin',
    id: adminId,
  });

export const sessionIdHash = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** What the console learns about who is signed in: the shape of login and `GET /admin/session`. */
export interface AdminSessionView {
  admin: { id: string; email: string };
  org: { id: string; name: string };
  environments: { id: string; name: string }[];
  csrfToken: string;
}

/** A signed-in admin, as the console's middleware sees it. */
export interface SignedInAdmin {
  admin: AdminRow;
  org: { id: string; name: string };
  csrfToken: string;
  idHash: string;
}

/** The org's environments, oldest first; those `org create` makes together in their usual order. */
export async function orgEnvironments(p: Portico, orgId: string): Promise<{ id: string; name: string }[]> {
  const rank = (name: string) => {
    const i = (DEFAULT_ENVIRONMENTS as readonly string[]).indexOf(name);
    return i === -1 ? DEFAULT_ENVIRONMENTS.length : i;
  };
  const environments = await listEnvironments(p.db, orgId);
  return environments
    .sort((a, b) => a.createdAt - b.createdAt || rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))
    .map((e) => ({ id: e.id, name: e.name }));
}

async function sessionView(p: Portico, signedIn: Omit<SignedInAdmin, 'idHash'>): Promise<AdminSessionView> {
  return {
    admin: { id: signedIn.admin.id, email: signedIn.admin.email },
    org: { id: signedIn.org.id, name: signedIn.org.name },
    environments: await orgEnvironments(p, signedIn.org.id),
    csrfToken: signedIn.csrfToken,
  };
}

/**
 * Checks an email and password and opens a console session. Unknown emails cost one scrypt like
 * wrong passwords, and both fail with the same error, so neither timing nor answer tells them apart.
 * The session id goes into the cookie only; the database keeps its SHA-256.
 */
export async function signIn(
  p: Portico,
  input: { email: string; password: string },
): Promise<{ sessionId: string; expiresAt: number; view: AdminSessionView }> {
  const admin = await findAdminByEmail(p.db, normalizeEmail(input.email));
  decoyHash ??= hashPassword(randomToken(16));
  const ok = await verifyPassword(input.password, admin?.passwordHash ?? (await decoyHash));
  const org = admin && ok ? await findOrg(p.db, admin.orgId) : undefined;
  if (!admin || !ok || !org) throw new AdminAuthError(401, 'invalid_credentials', 'Wrong email or password');

  const now = Date.now();
  await deleteExpiredAdminSessions(p.db, now);
  const sessionId = randomToken(32);
  const csrfToken = randomToken(32);
  const expiresAt = now + ADMIN_SESSION_TTL_MS;
  await insertAdminSession(p.db, {
    idHash: sessionIdHash(sessionId),
    adminId: admin.id,
    csrfToken,
    expiresAt,
    createdAt: now,
  });
  await insertAudit(p.db, adminAudit(org.id, admin.id, 'admin.signed_in'));
  return { sessionId, expiresAt, view: await sessionView(p, { admin, org, csrfToken }) };
}

/** The admin behind a session cookie, or undefined when it is unknown or expired. */
export async function findSignedInAdmin(p: Portico, sessionId: string): Promise<SignedInAdmin | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return undefined;
  const idHash = sessionIdHash(sessionId);
  const found = await findLiveAdminSession(p.db, idHash, Date.now());
  if (!found) return undefined;
  return {
    admin: found.admin,
    org: { id: found.org.id, name: found.org.name },
    csrfToken: found.session.csrfToken,
    idHash,
  };
}

export async function adminSessionView(p: Portico, signedIn: SignedInAdmin): Promise<AdminSessionView> {
  return sessionView(p, signedIn);
}

export async function signOut(p: Portico, signedIn: SignedInAdmin): Promise<void> {
  if (await deleteAdminSession(p.db, signedIn.idHash)) {
    await insertAudit(p.db, adminAudit(signedIn.org.id, signedIn.admin.id, 'admin.signed_out'));
  }
}

/** Constant-time comparison of the X-CSRF-Token header with the session's token. */
export function csrfTokenMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ── Secret keys of an environment, managed from the console ──────────────────────────────────

export interface SecretKeyView {
  id: string;
  /** The first characters of the key: enough to tell keys apart, not to use one. */
  hint: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

const secretKeyView = (k: ApiKeyRow): SecretKeyView => ({
  id: k.id,
  hint: k.hint,
  scopes: k.scopes,
  createdAt: new Date(k.createdAt).toISOString(),
  revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
});

/** The environment's keys, newest first, revoked ones included (their hint helps read the audit log). */
export async function listSecretKeys(p: Portico, scope: EnvScope): Promise<SecretKeyView[]> {
  const keys = await listApiKeys(p.db, scope.environmentId);
  return keys.sort((a, b) => b.createdAt - a.createdAt).map(secretKeyView);
}

/** Creates a key with the default scopes; the key itself is answered this once, only its hash is kept. */
export async function createSecretKey(
  p: Portico,
  scope: EnvScope,
  actor: Actor,
): Promise<SecretKeyView & { secretKey: string }> {
  const secretKey = newSecretKey();
  const row: ApiKeyRow = {
    id: newId('key'),
    orgId: scope.orgId,
    environmentId: scope.environmentId,
    hash: hashSecretKey(secretKey),
    hint: secretKey.slice(0, 7),
    scopes: DEFAULT_KEY_SCOPES,
    createdAt: Date.now(),
    revokedAt: null,
  };
  await insertApiKey(p.db, row);
  await insertAudit(p.db, auditEntry(scope, actor, 'secret_key.created', { type: 'secret_key', id: row.id }));
  return { ...secretKeyView(row), secretKey };
}

/** Revokes a live key of this environment at once; unknown, foreign and revoked keys answer 404. */
export async function revokeSecretKey(
  p: Portico,
  scope: EnvScope,
  id: string,
  actor: Actor,
): Promise<SecretKeyView> {
  if (!(await revokeApiKey(p.db, scope.environmentId, id, Date.now()))) throw new NotFoundError('Secret key');
  await insertAudit(p.db, auditEntry(scope, actor, 'secret_key.revoked', { type: 'secret_key', id }));
  const key = (await listApiKeys(p.db, scope.environmentId)).find((k) => k.id === id)!;
  return secretKeyView(key);
}
