import type { IncomingMessage } from 'node:http';
import type { Actor } from '../domain/audit.js';
import type { ConnectSession } from '../domain/sessions.js';

/** What a secret key authenticates as (SPEC §4a): one environment of one org. */
export interface KeyAuth {
  /** Who acts: the secret key, or an admin signed in to the console. Audited as such. */
  actor: Actor;
  orgId: string;
  environmentId: string;
  scopes: string[];
}

export interface ApiEnv {
  Variables: { auth: KeyAuth };
  /** Set by @hono/node-server; absent when the app is driven in-process (tests). */
  Bindings: { incoming?: IncomingMessage };
}

export interface ConnectEnv {
  Variables: { session: ConnectSession };
}
