import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type {
  Activation,
  AuditEvent,
  Binding,
  Connection,
  ConsoleApi,
  EndUser,
  Environment,
  SessionResult,
} from './api.js';
import './copy-field.js';
import { when } from './fields.js';
import { shared } from './shared.styles.js';

const STATUS: Record<Activation['status'], { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'ok' },
  needs_reauth: { label: 'Needs reauth', tone: 'warn' },
  revoked: { label: 'Revoked', tone: 'danger' },
};

/**
 * @summary The Users tab: end users of the environment with the state of each activation, a connect
 * link to activate a user, revocation, and each activation's audit trail.
 * @tagname admin-users-tab
 *
 * @event {CustomEvent<string>} admin-announce - A change worth telling screen-reader users about.
 */
export class AdminUsersTab extends LitElement {
  static override styles = [
    shared,
    css`
      .layout {
        display: grid;
        gap: 1.5rem;
      }
      .users {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      .user header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: baseline;
        margin-bottom: 0.75rem;
      }
      .history ol {
        margin: 0;
        padding-left: 1.25rem;
        display: grid;
        gap: 0.375rem;
      }
      .checks {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        border: none;
        padding: 0;
      }
      .checks legend {
        padding: 0;
        font-size: 0.875rem;
        margin-bottom: 0.375rem;
      }
    `,
  ];

  /** The console's API client for the current environment; a new one reloads the tab. */
  @property({ attribute: false }) api!: ConsoleApi;

  @state() private users: EndUser[] = [];
  @state() private connections: Connection[] = [];
  @state() private bindings: Binding[] = [];
  @state() private environment?: Environment;
  @state() private loading = true;
  @state() private error = '';
  @state() private formError = '';
  @state() private busy = '';
  @state() private link?: SessionResult & { externalUserId: string };
  @state() private history?: { activation: Activation; events: AuditEvent[] };

  override updated(changed: PropertyValues<this>) {
    if (changed.has('api')) {
      this.link = undefined;
      this.history = undefined;
      void this.load();
    }
  }

  private async load() {
    const [users, connections, bindings, environment] = await Promise.all([
      this.api.all<EndUser>('/users'),
      this.api.all<Connection>('/connections'),
      this.api.all<Binding>('/bindings'),
      this.api.v1<Environment>('GET', '/environment'),
    ]);
    this.loading = false;
    for (const r of [users, connections, bindings, environment]) {
      if (!r.ok) return void (this.error = r.error.message);
    }
    this.error = '';
    if (users.ok) this.users = users.data;
    if (connections.ok) this.connections = connections.data;
    if (bindings.ok) this.bindings = bindings.data;
    if (environment.ok) this.environment = environment.data;
  }

  private announce(message: string) {
    this.dispatchEvent(new CustomEvent('admin-announce', { detail: message, bubbles: true, composed: true }));
  }

  /** Embedded connections bound in this environment: what a session can offer. */
  private get activatable() {
    const bound = new Set(this.bindings.map((b) => b.connectionId));
    return this.connections.filter((c) => c.embedded && bound.has(c.id));
  }

  private connectionName(id: string) {
    return this.connections.find((c) => c.id === id)?.name ?? id;
  }

  private async handleActivate(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const chosen = data.getAll('connections').map(String);
    const displayName = String(data.get('displayName') ?? '').trim();
    const email = String(data.get('email') ?? '').trim();
    const externalUserId = String(data.get('externalUserId')).trim();
    if (!chosen.length) return void (this.formError = 'Choose at least one connection.');
    this.formError = '';
    this.busy = 'activate';
    const r = await this.api.v1<SessionResult>('POST', '/sessions', {
      externalUserId,
      ...(displayName ? { displayName } : {}),
      ...(email ? { email } : {}),
      ...(chosen.length < this.activatable.length ? { connections: chosen } : {}),
      origin: String(data.get('origin')),
      ttlSeconds: Number(data.get('ttl')),
    });
    this.busy = '';
    if (!r.ok) return void (this.formError = r.error.message);
    this.link = { ...r.data, externalUserId };
    await this.load();
    this.announce(`Connect link created for ${externalUserId}`);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#link-heading')?.focus();
  }

  private async handleRevoke(activation: Activation) {
    const name = this.connectionName(activation.connectionId);
    if (
      !confirm(
        `Revoke ${activation.externalUserId}'s activation of ${name}? Their credentials are destroyed.`,
      )
    )
      return;
    this.busy = activation.id;
    const r = await this.api.v1<Activation>('DELETE', `/activations/${activation.id}`);
    this.busy = '';
    if (!r.ok) return void (this.error = r.error.message);
    await this.load();
    if (this.history?.activation.id === activation.id) await this.handleHistory(r.data);
    this.announce(`Activation of ${name} for ${activation.externalUserId} revoked`);
  }

  private async handleHistory(activation: Activation) {
    const r = await this.api.v1<{ data: AuditEvent[] }>(
      'GET',
      `/events?targetId=${encodeURIComponent(activation.id)}&limit=100`,
    );
    if (!r.ok) return void (this.error = r.error.message);
    this.history = { activation, events: r.data.data };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#history-heading')?.focus();
  }

  override render() {
    if (this.loading) return html`<p class="muted" role="status">Loading users…</p>`;
    return html`<div class="layout">
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.renderActivate()}
      ${this.history ? this.renderHistory(this.history) : nothing}
      <section class="stack" aria-labelledby="users-heading">
        <div class="row">
          <h2 id="users-heading">End users</h2>
          <button type="button" @click=${() => this.load()}>Refresh</button>
        </div>
        ${
          this.users.length
            ? html`<ul class="users">
                ${this.users.map((u) => this.renderUser(u))}
              </ul>`
            : html`<div class="empty">
                No end users in ${this.api.environment.name} yet. They appear when your backend (or the form
                above) creates a session for them.
              </div>`
        }
      </section>
    </div>`;
  }

  private renderActivate() {
    const origins = this.environment?.allowedOrigins ?? [];
    const connections = this.activatable;
    return html`<section class="card stack" aria-labelledby="activate-heading">
      <h2 id="activate-heading">Activate a user</h2>
      <p class="muted">
        Creates a connect link for one of your customers: the page it opens lets them connect the embedded
        connections of ${this.api.environment.name} with their own credentials. Send it to them; it expires.
      </p>
      ${
        !origins.length
          ? html`<p class="notice warn">
              Add an allowed origin in <a href="#/settings">Settings</a> first: the connect popup only reports
              to an origin the environment allows.
            </p>`
          : !connections.length
            ? html`<p class="notice warn">
                No embedded connection is used in ${this.api.environment.name} yet: create one in the
                <a href="#/connect">Connect</a> tab and use it in this environment.
              </p>`
            : html`<form @submit=${this.handleActivate}>
                <div class="grid-2">
                  <div class="field">
                    <label for="externalUserId">External user ID</label>
                    <input
                      id="externalUserId"
                      name="externalUserId"
                      required
                      maxlength="256"
                      autocomplete="off"
                      placeholder="cus_123"
                      aria-describedby="externalUserId-hint"
                    />
                    <span class="hint" id="externalUserId-hint"
                      >The id your product knows the customer by.</span
                    >
                  </div>
                  <div class="field">
                    <label for="displayName">Display name <span class="muted">(optional)</span></label>
                    <input id="displayName" name="displayName" maxlength="256" autocomplete="off" />
                  </div>
                  <div class="field">
                    <label for="email">Email <span class="muted">(optional)</span></label>
                    <input id="email" name="email" type="email" maxlength="320" autocomplete="off" />
                  </div>
                  <div class="field">
                    <label for="origin">Origin of your app</label>
                    <select id="origin" name="origin">
                      ${origins.map((o) => html`<option>${o}</option>`)}
                    </select>
                  </div>
                  <div class="field">
                    <label for="ttl">Link expires after</label>
                    <select id="ttl" name="ttl">
                      <option value="900">15 minutes</option>
                      <option value="1800">30 minutes</option>
                      <option value="3600" selected>1 hour</option>
                    </select>
                  </div>
                </div>
                <fieldset class="checks">
                  <legend class="label">Connections</legend>
                  ${connections.map(
                    (c) =>
                      html`<span class="check">
                        <input type="checkbox" id="cx-${c.id}" name="connections" value=${c.id} checked />
                        <label for="cx-${c.id}">${c.name}</label>
                      </span>`,
                  )}
                </fieldset>
                <p class="error" role="alert">${this.formError}</p>
                <div class="actions">
                  <button class="primary" type="submit" ?disabled=${this.busy === 'activate'}>
                    Create connect link
                  </button>
                </div>
              </form>`
      }
      ${
        this.link
          ? html`<div class="notice stack">
              <h3 id="link-heading" tabindex="-1">Connect link for ${this.link.externalUserId}</h3>
              <admin-copy-field label="Connect link" .value=${this.link.connectUrl}></admin-copy-field>
              <p class="muted">
                Expires ${when(this.link.expiresAt)}. Anyone with the link can connect accounts as this user
                until then; send it privately.
                <a href=${this.link.connectUrl} target="_blank" rel="noopener noreferrer">Open the link</a>
              </p>
            </div>`
          : nothing
      }
    </section>`;
  }

  private renderUser(u: EndUser) {
    const headingId = `user-${u.externalId}`;
    return html`<li class="card user">
      <header>
        <h3 id=${headingId} class="mono">${u.externalId}</h3>
        ${u.displayName ? html`<span>${u.displayName}</span>` : nothing}
        ${u.email ? html`<span class="muted">${u.email}</span>` : nothing}
        <span class="muted">first seen ${when(u.createdAt)}</span>
      </header>
      ${
        u.activations.length
          ? html`<div class="table-wrap">
              <table>
                <caption class="visually-hidden">
                  Activations of ${u.externalId}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Connection</th>
                    <th scope="col">Status</th>
                    <th scope="col">Updated</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${u.activations.map((a) => {
                    const s = STATUS[a.status];
                    const name = this.connectionName(a.connectionId);
                    return html`<tr>
                      <td>${name}</td>
                      <td><span class="badge ${s.tone}">${s.label}</span></td>
                      <td>${when(a.updatedAt)}</td>
                      <td class="actions">
                        <button type="button" class="link" @click=${() => this.handleHistory(a)}>
                          History<span class="visually-hidden"> of ${name} for ${u.externalId}</span>
                        </button>
                        ${
                          a.status === 'revoked'
                            ? nothing
                            : html`<button
                                type="button"
                                class="danger"
                                ?disabled=${this.busy === a.id}
                                @click=${() => this.handleRevoke(a)}
                              >
                                Revoke<span class="visually-hidden"> ${name} for ${u.externalId}</span>
                              </button>`
                        }
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">No activations yet: the user has not connected anything.</p>`
      }
    </li>`;
  }

  private renderHistory({ activation, events }: { activation: Activation; events: AuditEvent[] }) {
    return html`<section class="card stack history" aria-labelledby="history-heading">
      <div class="row">
        <h2 id="history-heading" tabindex="-1">
          History of ${this.connectionName(activation.connectionId)} for ${activation.externalUserId}
        </h2>
        <button type="button" @click=${() => (this.history = undefined)}>Close history</button>
      </div>
      ${
        events.length
          ? html`<ol>
              ${events.map(
                (e) =>
                  html`<li>
                    <strong>${e.action}</strong> by ${e.actor.type} <span class="mono">${e.actor.id}</span>
                    <span class="muted">· ${when(e.createdAt)}</span>
                  </li>`,
              )}
            </ol>`
          : html`<p class="muted">No events recorded.</p>`
      }
    </section>`;
  }
}

customElements.define('admin-users-tab', AdminUsersTab);

declare global {
  interface HTMLElementTagNameMap {
    'admin-users-tab': AdminUsersTab;
  }
}
