import type { IncomingMessage } from 'node:http';
import type { ConnectSession } from '../domain/sessions.js';

/** What a secret key authenticates as (SPEC §4a): one environment of one org. */
export interface KeyAuth {
  keyId: string;
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
