import { LitElement, html } from 'lit';
import { query, state } from 'lit/decorators.js';
import { ConsoleApi, currentSession, type SessionView } from './api.js';
import './connect-tab.js';
import { styles } from './portico-admin.styles.js';
import './settings-tab.js';
import './sign-in.js';
import './users-tab.js';

type Tab = 'connect' | 'users' | 'settings';
const TABS: { id: Tab; label: string }[] = [
  { id: 'connect', label: 'Connect' },
  { id: 'users', label: 'Users' },
  { id: 'settings', label: 'Settings' },
];

const tabFromHash = (): Tab => {
  const id = location.hash.replace(/^#\/?/, '');
  return TABS.some((t) => t.id === id) ? (id as Tab) : 'connect';
};

const envKey = (orgId: string) => `portico.admin.environment.${orgId}`;

/**
 * @summary The admin console: sign-in, then the Connect, Users and Settings tabs of one environment.
 * @tagname portico-admin
 *
 * Listens for `admin-signed-in` (from the sign-in form) and `admin-announce` (a message for the
 * polite live region) from its children.
 */
export class PorticoAdmin extends LitElement {
  static override styles = styles;

  /** Who is signed in; null when nobody is, undefined while that is being found out. */
  @state() private session?: SessionView | null;
  @state() private api?: ConsoleApi;
  @state() private tab: Tab = tabFromHash();
  @state() private announcement = '';
  @state() private signInNotice = '';
  @query('h1') private heading?: HTMLElement;

  private readonly handleHash = () => {
    const tab = tabFromHash();
    if (tab === this.tab) return;
    this.tab = tab;
    void this.updateComplete.then(() => this.heading?.focus());
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.handleHash);
    void this.loadSession();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.handleHash);
  }

  private async loadSession() {
    const result = await currentSession();
    if (result.ok) this.start(result.data);
    else {
      this.session = null;
      if (result.error.status !== 401) this.signInNotice = result.error.message;
    }
  }

  private start(session: SessionView, environmentId?: string) {
    const stored = localStorage.getItem(envKey(session.org.id));
    const envId =
      [environmentId, stored].find((id) => id && session.environments.some((e) => e.id === id)) ??
      session.environments[0]?.id ??
      '';
    this.session = session;
    this.signInNotice = '';
    this.api = new ConsoleApi(session, envId, () => this.handleSignedOut());
  }

  private handleSignedOut() {
    if (!this.session) return;
    this.session = null;
    this.api = undefined;
    this.signInNotice = 'Your session has ended. Sign in again.';
  }

  private async handleSignedIn(event: CustomEvent<SessionView>) {
    this.start(event.detail);
    await this.updateComplete;
    this.heading?.focus();
  }

  private handleEnvironment(event: Event) {
    const id = (event.target as HTMLSelectElement).value;
    if (!this.session) return;
    localStorage.setItem(envKey(this.session.org.id), id);
    this.start(this.session, id);
    this.announce(`Switched to the ${this.api!.environment.name} environment`);
  }

  private async handleSignOut() {
    await this.api?.logout();
    this.session = null;
    this.api = undefined;
    this.signInNotice = 'You have signed out.';
  }

  private announce(message: string) {
    // Clear first so that the same message twice in a row is announced twice.
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = message));
  }

  private handleAnnounce(event: CustomEvent<string>) {
    this.announce(event.detail);
  }

  override render() {
    if (this.session === undefined) {
      return html`<p class="loading" role="status">Loading the admin console…</p>`;
    }
    if (this.session === null || !this.api) {
      return html`<admin-sign-in
        .notice=${this.signInNotice}
        @admin-signed-in=${this.handleSignedIn}
      ></admin-sign-in>`;
    }
    const { session, api } = this;
    const env = api.environment;
    const label = TABS.find((t) => t.id === this.tab)!.label;
    return html`
      <header class="top">
        <button type="button" class="skip" @click=${this.skipToMain}>Skip to content</button>
        <div class="brand">
          <span class="logo" aria-hidden="true">P</span>
          <span class="product">Portico</span>
          <span class="org" title="Organisation">${session.org.name}</span>
        </div>
        <nav aria-label="Console sections">
          ${TABS.map(
            (t) =>
              html`<a href="#/${t.id}" aria-current=${t.id === this.tab ? 'page' : 'false'}>${t.label}</a>`,
          )}
        </nav>
        <div class="tools">
          <div class="env">
            <label for="environment">Environment</label>
            <select id="environment" @change=${this.handleEnvironment}>
              ${session.environments.map(
                (e) => html`<option value=${e.id} ?selected=${e.id === env.id}>${e.name}</option>`,
              )}
            </select>
          </div>
          <span class="who" title="Signed in as">${session.admin.email}</span>
          <button type="button" @click=${this.handleSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" @admin-announce=${this.handleAnnounce}>
        <div class="title">
          <h1 tabindex="-1">${label}</h1>
          <span class="badge ${env.name === 'production' ? 'warn' : 'accent'}">${env.name}</span>
        </div>
        ${
          this.tab === 'connect'
            ? html`<admin-connect-tab .api=${api}></admin-connect-tab>`
            : this.tab === 'users'
              ? html`<admin-users-tab .api=${api}></admin-users-tab>`
              : html`<admin-settings-tab .api=${api}></admin-settings-tab>`
        }
      </main>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  private skipToMain() {
    this.heading?.focus();
  }
}

customElements.define('portico-admin', PorticoAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'portico-admin': PorticoAdmin;
  }
  interface HTMLElementEventMap {
    'admin-announce': CustomEvent<string>;
    'admin-signed-in': CustomEvent<SessionView>;
  }
}
