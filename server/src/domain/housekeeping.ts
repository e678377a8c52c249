import { purgeExpiredOAuthFlows } from '../db/oauth-flows.js';
import { purgeExpired } from '../db/sessions.js';
import { deleteRetiredSigningKeys } from '../db/signing-keys.js';
import type { Portico } from '../portico.js';

/**
 * Removes what can no longer be used: expired OAuth flows, single-use values past their expiry
 * (a replay is impossible anyway: the assertion itself has expired), sessions a day past expiry
 * (with their flow events), and signing keys past retirement.
 */
export async function housekeeping(p: Portico, now = Date.now()): Promise<void> {
  await purgeExpiredOAuthFlows(p.db, now);
  await purgeExpired(p.db, now);
  await deleteRetiredSigningKeys(p.db, now);
}

/** Runs housekeeping now and then every `intervalMs` until stopped. */
export function startHousekeeping(p: Portico, intervalMs = 10 * 60_000) {
  const run = () =>
    housekeeping(p).catch((err: Error) => p.log.error('housekeeping failed', { error: err.name }));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
