// Shared by the widget's component tests: scenarios on the fake Connect API (fake-portico.js),
// unsigned session tokens, popup bookkeeping and small waits.
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { ConnectButton } from '../src/connect-button.js';
import '../src/connect-button.js';

export interface FakeConnection {
  id: string;
  name: string;
  connector: { name: string };
  authType: string;
  status: 'active' | 'needs_reauth' | 'inactive';
  activationId?: string;
}

export interface PopupPlan {
  outcome?: 'success' | 'error' | 'cancel' | 'none';
  channel?: 'message' | 'events' | 'both' | 'none';
  messageDelayMs?: number;
  /** Store the outcome (and post the message) only after this long. */
  outcomeDelayMs?: number;
  closeAfterMs?: number;
  relayTo?: string;
  activationId?: string;
  error?: { code: string; message: string };
}

export interface Scenario {
  connections?: FakeConnection[];
  popup?: PopupPlan;
  /** Sequence number of the last event already in the feed (the session's `eventsCursor`). */
  seq?: number;
  /** Answers for the next GET /connect/session calls, one each. */
  sessionFailures?: { status: number; code: string; message: string }[];
  /** Token ids the fake answers 401 for. */
  revoked?: string[];
  deleteFailure?: { status: number; code: string };
  /** Delay of every events answer (its content is taken when the request arrives). */
  eventsDelayMs?: number;
}

export interface LogEntry {
  method?: string;
  path?: string;
  search?: string;
  authorization?: string;
  kind?: 'popup';
  flowId?: string;
  token?: string;
  opener?: boolean;
}

export interface FakeEvent {
  type: string;
  connectionId: string;
  activationId?: string;
  flowId?: string;
  error?: { code: string; message: string };
}

let where: Promise<{ url: string; otherOrigin: string }> | undefined;
/** Where the fake Connect API listens (its own origin, not the test page's). */
export const fake = () => (where ??= fetch('/__fake-portico').then((r) => r.json()));

export const connection = (status: FakeConnection['status'] = 'inactive', activationId?: string) => ({
  id: 'cx_1',
  name: 'GitHub (embedded)',
  connector: { name: 'GitHub' },
  authType: 'api-key',
  status,
  ...(activationId ? { activationId } : {}),
});

/** A JWT-shaped token: the widget only decodes it, the fake only reads `sid`, `jti` and `exp`. */
export function makeToken(payload: Record<string, unknown>): string {
  // base64url of the UTF-8 JSON, as in a real JWT.
  const part = (o: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${part({ alg: 'EdDSA', typ: 'connect-session+jwt', kid: 'test' })}.${part(payload)}.c2lnbmF0dXJl`;
}

export class TestSession {
  constructor(
    readonly sid: string,
    readonly server: string,
  ) {}

  /** A session token for this scenario; `expiresIn` in seconds (negative: already expired). */
  token({
    expiresIn = 900,
    jti = crypto.randomUUID() as string,
    iss = this.server,
    sub = 'cus_1',
  } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return makeToken({
      iss,
      aud: 'portico:connect',
      sub,
      sid: this.sid,
      origin: location.origin,
      cx: ['cx_1'],
      jti,
      iat: now,
      exp: now + expiresIn,
    });
  }

  private async control(path = '', body?: object) {
    const res = await fetch(`${this.server}/__test/sessions/${this.sid}${path}`, {
      method: body ? 'POST' : 'GET',
      body: body && JSON.stringify(body),
    });
    return res.json() as Promise<{ connections: FakeConnection[]; log: LogEntry[]; seq: number }>;
  }

  async log(): Promise<LogEntry[]> {
    return (await this.control()).log;
  }

  /** Connect API requests for `path` (popup page logs excluded). */
  async requests(path: string): Promise<LogEntry[]> {
    return (await this.log()).filter((e) => e.path === path);
  }

  async connections(): Promise<FakeConnection[]> {
    return (await this.control()).connections;
  }

  /** Appends to the session's event feed, as the server does when a flow ends. */
  addEvent(event: FakeEvent) {
    return this.control('/events', event);
  }

  update(patch: Scenario) {
    return this.control('', patch);
  }
}

export async function createSession(scenario: Scenario = {}): Promise<TestSession> {
  const { url } = await fake();
  const res = await fetch(`${url}/__test/sessions`, {
    method: 'POST',
    body: JSON.stringify({ connections: [connection()], ...scenario }),
  });
  return new TestSession((await res.json()).sid, url);
}

/** The element's shadow part `name`. */
export function part<T extends Element = HTMLElement>(el: ConnectButton, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~='${name}']`);
}

/** Whether the part is rendered (a boolean: chai hangs the runner when it prints a failing element). */
export const has = (el: ConnectButton, name: string) => part(el, name) !== null;

export const button = (el: ConnectButton) => part<HTMLButtonElement>(el, 'button')!;
export const text = (el: ConnectButton, name: string) => part(el, name)?.textContent?.trim() ?? null;

/** Resolves once the session has loaded (the button is no longer busy). */
export async function ready(el: ConnectButton) {
  await el.updateComplete;
  await waitUntil(() => button(el)?.getAttribute('aria-busy') === 'false', 'session loaded', {
    timeout: 5000,
  });
}

/** Mounts a connect-button with a token of `session` and waits for its session to load. */
export async function mount(session: TestSession, token = session.token()): Promise<ConnectButton> {
  const el = await fixture<ConnectButton>(
    html`<connect-button connection="cx_1" token=${token}></connect-button>`,
  );
  await ready(el);
  return el;
}

export type Recorded = CustomEvent<Record<string, string>>;

/** Every connect-* event that reaches `target` (document by default: proves they bubble). */
export function recordEvents(target: EventTarget = document): Recorded[] {
  const events: Recorded[] = [];
  for (const type of ['connect-success', 'connect-error', 'connect-cancel', 'connect-disconnect']) {
    target.addEventListener(type, (e) => events.push(e as Recorded));
  }
  return events;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OpenCall {
  url: string;
  name: string;
  features: string;
}

/**
 * Spies on window.open (still opening real windows, unless `blocked`) so tests can see the calls and
 * close what was opened. Returns a restore function for afterEach.
 */
export function spyOnOpen(options: { blocked?: boolean } = {}) {
  const calls: OpenCall[] = [];
  const opened: Window[] = [];
  const real = window.open;
  window.open = (url?: string | URL, name?: string, features?: string) => {
    calls.push({ url: String(url), name: name ?? '', features: features ?? '' });
    const popup = options.blocked ? null : real.call(window, url, name, features);
    if (popup) opened.push(popup);
    return popup;
  };
  return {
    calls,
    opened,
    restore() {
      window.open = real;
      for (const popup of opened) popup.close();
    },
  };
}
