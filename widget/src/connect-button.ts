import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styles } from './connect-button.styles.js';
import { newFlowId, watchFlow, type FlowResult, type StopFlow } from './connect-flow.js';
import { strings } from './i18n.js';
import { openPopup } from './popup.js';
import {
  claims,
  request,
  type ApiError,
  type FlowEvent,
  type Result,
  type Session,
  type SessionConnection,
} from './session-client.js';

export type ConnectState = 'idle' | 'connecting' | 'connected' | 'error';

export interface ConnectSuccessDetail {
  connectionId: string;
  activationId: string;
}
export interface ConnectErrorDetail {
  connectionId: string;
  code: string;
  message: string;
}
export interface ConnectCancelDetail {
  connectionId: string;
}
export interface ConnectDisconnectDetail {
  connectionId: string;
  activationId: string;
}

export interface ConnectButtonEventMap {
  'connect-success': CustomEvent<ConnectSuccessDetail>;
  'connect-error': CustomEvent<ConnectErrorDetail>;
  'connect-cancel': CustomEvent<ConnectCancelDetail>;
  'connect-disconnect': CustomEvent<ConnectDisconnectDetail>;
}

/** A token this close to its `exp` is not handed to a popup: it would expire while the user types. */
const MARGIN_MS = 10_000;

const fresh = (token: string | undefined): token is string => {
  const { exp } = claims(token ?? '');
  return !!token && (!exp || exp * 1000 - Date.now() > MARGIN_MS);
};

/**
 * @summary Lets an end user connect their own account to one Portico connection, in a popup.
 * @tagname connect-button
 *
 * @event {CustomEvent<ConnectSuccessDetail>} connect-success - The user finished the popup and the activation is stored. `detail: {connectionId, activationId}`.
 * @event {CustomEvent<ConnectErrorDetail>} connect-error - The flow failed, or the session could not be loaded. `detail: {connectionId, code, message}`.
 * @event {CustomEvent<ConnectCancelDetail>} connect-cancel - The user closed or cancelled the popup. `detail: {connectionId}`.
 * @event {CustomEvent<ConnectDisconnectDetail>} connect-disconnect - The user disconnected. `detail: {connectionId, activationId}`.
 *
 * @csspart button - The main `<button>`.
 * @csspart label - The text inside the main button.
 * @csspart spinner - The busy indicator inside the main button.
 * @csspart status - The live region with the status text (popup hint, error, blocked popup).
 * @csspart disconnect - The Disconnect `<button>`, shown when connected.
 * @csspart link - The link that opens the popup's page when a popup blocker refused the window.
 *
 * @cssproperty --connect-button-background - Background of the button.
 * @cssproperty --connect-button-color - Text colour of the button (in every state).
 * @cssproperty --connect-button-connected-background - Background of the button when connected.
 * @cssproperty --connect-button-error-color - Colour of the status text in the error state.
 * @cssproperty --connect-button-font - Font shorthand of the whole widget.
 * @cssproperty --connect-button-padding - Padding of the buttons.
 * @cssproperty --connect-button-radius - Corner radius of the buttons.
 * @cssproperty --connect-button-border - Border shorthand of the buttons.
 * @cssproperty --connect-button-focus-ring - Outline shorthand of the focus ring.
 */
export class ConnectButton extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Id of the Portico connection this button activates. Required. */
  @property() connection = '';

  /** Session token (JWT) minted by the vendor's backend for the current user. */
  @property() token?: string;

  /** Returns a fresh session token; called when none is set, the current one expires, or the server rejects it. */
  @property({ attribute: false }) tokenProvider?: () => Promise<string>;

  /** Base URL of the Portico server. Defaults to the token's `iss` claim. */
  @property() server?: string;

  /** Text of the button while not connected. Defaults to a translated "Connect". */
  @property() label?: string;

  /** Disables the button. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Language of the texts (`en`, `de`). Defaults to the closest `lang` attribute, then the browser's. */
  @property({ reflect: true }) override lang!: string;

  /** Where the user stands: `idle`, `connecting`, `connected` or `error`. Read-only; reflected for styling. */
  @property({ reflect: true }) state: ConnectState = 'idle';

  /** This connection as the session reports it; undefined until loaded. */
  @state() private conn?: SessionConnection;
  /** What went wrong last; cleared by the next attempt. */
  @state() private error?: ApiError;
  /** A session or disconnect request the user waits for. */
  @state() private loading = false;
  /** The popup a blocker refused, kept so that a real link can open the same flow. */
  @state() private blocked?: { url: string; flowId: string; token: string };
  /** Ends the running flow; set while connecting. */
  @state() private flow?: StopFlow;

  private popup?: Window | null;
  /** The token in use: the `token` property or the provider's latest answer. */
  private current?: string;
  /** Position in the session's event feed; a flow's result must come after it. */
  private cursor = 0;
  /** Counts session loads, so that a slow answer cannot overwrite a newer one. */
  private loads = 0;
  private pendingToken?: Promise<string | undefined>;
  private refreshTimer?: ReturnType<typeof setTimeout>;

  /** The server's base URL without trailing slash ('' = this page's origin). */
  private get base(): string {
    return (this.server ?? claims(this.current ?? '').iss ?? '').replace(/\/+$/, '');
  }

  override connectedCallback() {
    super.connectedCallback();
    // Re-arm the token refresh that disconnectedCallback stopped (the element was moved in the DOM).
    if (this.current) this.useToken(this.current);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    // A removed element must not keep asking the vendor's backend for tokens...
    clearTimeout(this.refreshTimer);
    // ...nor poll for a flow whose end nobody will see (a moved element is back by the next task).
    setTimeout(() => {
      if (this.isConnected) return;
      this.flow?.();
      this.flow = undefined;
    });
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('token')) this.useToken(this.token);
    if (changed.has('connection')) this.conn = undefined;
    if (
      changed.has('token') ||
      changed.has('tokenProvider') ||
      changed.has('connection') ||
      changed.has('server')
    ) {
      this.error = undefined;
      // Load the session as soon as a token can be had: a click must find it ready, because the
      // popup has to open synchronously inside the click handler.
      if (this.connection && (this.token || this.tokenProvider)) void this.load();
    }
    this.state = this.flow
      ? 'connecting'
      : this.error
        ? 'error'
        : this.conn?.status === 'active'
          ? 'connected'
          : 'idle';
  }

  protected override render(): TemplateResult {
    const t = strings(this.lang || this.closest('[lang]')?.getAttribute('lang') || navigator.language);
    const { state, conn, error } = this;
    const busy = this.loading || (!conn && !error);
    const reauth = conn?.status === 'needs_reauth';
    const label = {
      connecting: t.connecting,
      connected: t.connected,
      error: t.retry,
      idle: reauth ? t.reconnect : this.label || t.connect,
    }[state];
    const status = this.blocked
      ? t.blocked
      : {
          connecting: t.popup,
          connected: t.connected,
          error: error && ((t as Record<string, string>)[error.code] || error.message || t.failed),
          idle: reauth ? t.reauth : '',
        }[state];
    return html`
      <button
        part="button"
        ?disabled=${this.disabled}
        aria-disabled=${busy || state === 'connected'}
        aria-busy=${busy || state === 'connecting'}
        @click=${this.handleClick}
      >
        ${busy || state === 'connecting' ? html`<span part="spinner" aria-hidden="true"></span>` : nothing}
        <span part="label">${label}</span>
      </button>
      ${
        state === 'connected'
          ? html`<button
              part="disconnect"
              ?disabled=${this.disabled}
              aria-disabled=${this.loading}
              @click=${this.handleDisconnect}
            >
              ${t.disconnect}
            </button>`
          : nothing
      }
      <span part="status" role="status" class=${state === 'connected' ? 'sr' : ''}>${status}</span>
      ${
        this.blocked
          ? html`<a part="link" href=${this.blocked.url} target="_blank" @click=${this.handleLinkClick}
              >${t.open}</a
            >`
          : nothing
      }
    `;
  }

  /** Opens the popup — synchronously, or popup blockers step in — or gets the session ready first. */
  private handleClick() {
    // Busy (no session yet, or a request running): the button is aria-disabled.
    if (this.disabled || this.loading || (!this.conn && !this.error)) return;
    if (this.popup && !this.popup.closed) return this.popup.focus();
    const { conn, current: token } = this;
    if (conn?.status === 'active' && !this.error) return;
    this.error = this.blocked = undefined;
    if (!conn || conn.status === 'active' || !fresh(token)) {
      // Nothing to open yet: show the spinner until session and token are ready, then a click works.
      void this.load();
      return;
    }
    const flowId = newFlowId();
    const url = `${this.base}/connect/popup/${encodeURIComponent(this.connection)}#token=${token}&flow=${flowId}`;
    const popup = openPopup(url);
    if (popup) this.startFlow(flowId, token, popup);
    else this.blocked = { url, flowId, token };
  }

  /** The fallback link opens the popup's page in a tab we get no handle to: only events can report. */
  private handleLinkClick() {
    const { flowId, token } = this.blocked!;
    this.blocked = undefined;
    this.startFlow(flowId, token, null);
  }

  private async handleDisconnect() {
    const activationId = this.conn?.activationId;
    if (!activationId || this.loading) return;
    this.loading = true;
    const res = await this.api(`/connect/activations/${encodeURIComponent(activationId)}`, 'DELETE');
    this.loading = false;
    if ('error' in res) return this.fail(res.error);
    this.conn = { ...this.conn!, status: 'inactive', activationId: undefined };
    this.emit('connect-disconnect', { connectionId: this.connection, activationId });
    // The Disconnect button is gone: keep keyboard focus inside the widget.
    await this.updateComplete;
    this.shadowRoot?.querySelector('button')?.focus();
  }

  private startFlow(flowId: string, token: string, popup: Window | null) {
    // A new click while polling for an unreachable popup abandons that flow: it still gets its one result.
    this.flow?.({ type: 'cancel' });
    const { exp } = claims(token);
    this.popup = popup;
    this.flow = watchFlow({
      popup,
      origin: new URL(this.base || '/', location.href).origin,
      connectionId: this.connection,
      flowId,
      until: exp ? exp * 1000 + 30_000 : Infinity,
      poll: () => this.pollEvents(token),
      settle: (result) => this.handleResult(result),
    });
  }

  private handleResult({ type, activationId, error }: FlowResult) {
    const connectionId = this.connection;
    this.flow = this.popup = undefined;
    if (type === 'success') {
      this.conn = { ...this.conn!, status: 'active', activationId: activationId ?? this.conn?.activationId };
      this.emit('connect-success', { connectionId, activationId: this.conn.activationId! });
    } else if (type === 'error') {
      this.fail(error!);
    } else {
      this.emit('connect-cancel', { connectionId });
    }
    // The server is the source of truth: confirm the state and move the event cursor past this flow.
    void this.load(true);
  }

  /** Loads this connection's state; `quiet` keeps the current view on failure (a background refresh). */
  private async load(quiet = false) {
    const n = ++this.loads;
    this.loading = !quiet;
    const res = await this.api<Session>('/connect/session');
    if (n !== this.loads) return;
    this.loading = false;
    const conn = 'data' in res ? res.data.connections.find((c) => c.id === this.connection) : undefined;
    if (!conn || 'error' in res) {
      if (!quiet) this.fail('error' in res ? res.error : { code: 'connection_not_in_session', message: '' });
      return;
    }
    this.conn = conn;
    // While a flow runs, its result may sit between the old cursor and this one: keep the old one.
    if (!this.flow) this.cursor = res.data.eventsCursor;
  }

  /**
   * The flow's events, asked for with the token the popup got: the server keeps each session's events
   * apart, so a token renewed meanwhile would not see them.
   */
  private async pollEvents(token: string): Promise<FlowEvent[] | undefined> {
    const res = await request<{ data: FlowEvent[] }>(
      this.base,
      `/connect/session/events?after=${this.cursor}`,
      token,
    );
    if ('error' in res) return;
    for (const event of res.data.data) this.cursor = Math.max(this.cursor, event.seq);
    return res.data.data;
  }

  /** A Connect API call with a usable token; a 401 gets one retry with a token from the provider. */
  private async api<T>(path: string, method?: string): Promise<Result<T>> {
    let token = await this.usableToken();
    for (let retry = !!this.tokenProvider; ; retry = false) {
      if (!token) return { status: 0, error: { code: 'token_unavailable', message: '' } };
      const res = await request<T>(this.base, path, token, method);
      if (!retry || !('error' in res) || res.status !== 401) return res;
      token = await this.usableToken(true);
    }
  }

  /** The current token, or a new one from the provider when it is missing, expiring or `force`d. */
  private usableToken(force = false): Promise<string | undefined> {
    const provider = this.tokenProvider;
    if (!provider || (!force && fresh(this.current))) return Promise.resolve(this.current);
    // Concurrent callers (session load, poll, refresh timer) share one provider call.
    this.pendingToken ??= provider().then(
      (token) => (this.useToken(token), token),
      () => undefined,
    );
    return this.pendingToken.finally(() => (this.pendingToken = undefined));
  }

  private useToken(token?: string) {
    this.current = token;
    clearTimeout(this.refreshTimer);
    const { exp } = claims(token ?? '');
    // Renew a provider's token before it expires, so that a click always finds one to hand to the popup.
    const ms = exp ? exp * 1000 - Date.now() - 2 * MARGIN_MS : 0;
    if (this.tokenProvider && ms > 0) this.refreshTimer = setTimeout(() => void this.usableToken(true), ms);
  }

  private fail(error: ApiError) {
    this.error = error;
    this.emit('connect-error', { connectionId: this.connection, ...error });
  }

  private emit<K extends keyof ConnectButtonEventMap>(type: K, detail: ConnectButtonEventMap[K]['detail']) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

// A page that loads the script twice (two bundles embedding it) must not throw on the second define.
if (!customElements.get('connect-button')) customElements.define('connect-button', ConnectButton);

declare global {
  interface HTMLElementTagNameMap {
    'connect-button': ConnectButton;
  }
  // Typed listeners: el.addEventListener('connect-success', (e) => e.detail.activationId).
  interface HTMLElementEventMap {
    'connect-success': CustomEvent<ConnectSuccessDetail>;
    'connect-error': CustomEvent<ConnectErrorDetail>;
    'connect-cancel': CustomEvent<ConnectCancelDetail>;
    'connect-disconnect': CustomEvent<ConnectDisconnectDetail>;
  }
}
