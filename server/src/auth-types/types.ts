import type { z } from '@hono/zod-openapi';

export const AUTH_TYPE_NAMES = ['api-key', 'basic', 'oauth2', 'oauth1', 'hmac', 'none'] as const;
export type AuthTypeName = (typeof AUTH_TYPE_NAMES)[number];

/** One input of the popup's credential form (SPEC §5a). */
export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'password';
  required: boolean;
  autocomplete?: string;
  hint?: string;
}

export interface Activated {
  credentials: Record<string, unknown>;
  /** When the stored access token expires (epoch ms), for refresh-before-expiry. */
  expiresAt?: number;
  reveal?: Record<string, string>;
}

/** A request about to leave Portico for the target system. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The body when it is application/x-www-form-urlencoded (OAuth 1.0 signs its parameters). */
  formBody?: string;
}

/**
 * Everything Portico knows about one kind of authentication. Adding a seventh auth type means
 * adding one file that implements this and listing it in `registry.ts`.
 */
export interface AuthType<Config extends Record<string, unknown> = Record<string, unknown>> {
  readonly type: AuthTypeName;
  readonly label: string;
  /** The configuration the vendor sets on the auth method, secrets included. */
  readonly configSchema: z.ZodType<Config>;
  /** Configuration fields that are secrets: sealed apart and never returned. */
  readonly secretConfigKeys: readonly (keyof Config & string)[];
  /** Credentials of a standard connection (the vendor's own), or null when there are none. */
  standardCredentialsSchema(config: Config): z.ZodType | null;
  /**
   * What an end user types into the popup to activate an embedded connection, or `redirect` when
   * the popup sends them to a provider instead.
   */
  activation(config: Config): { kind: 'form'; fields: FormField[] } | { kind: 'redirect' };
  /** Validates what the user typed into the popup (form activations only). */
  activationSchema?(config: Config): z.ZodType;
  /**
   * Turns validated form input into the credentials to store (e.g. fetching a token, generating
   * a secret). `reveal` is shown to the user once and never stored elsewhere.
   */
  activate?(input: Record<string, unknown>, config: Config): Promise<Activated>;
  /** Puts the credentials on an outgoing request; absent for types never used outbound (hmac). */
  apply?(
    request: OutgoingRequest,
    credentials: Record<string, unknown>,
    config: Config,
  ): Promise<void> | void;
}
