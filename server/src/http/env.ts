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
}

export interface ConnectEnv {
  Variables: { session: ConnectSession };
}
