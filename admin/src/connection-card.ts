import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection, ConsoleApi, Connector } from './api.js';
import { authTypeLabel, configRows } from './auth-types.js';
import { when } from './fields.js';
import { shared } from './shared.styles.js';

/**
 * @summary One connection of a connector, as the seeds' "Existing Connections" card: linked
 * environments, whether it is in use, its auth method's configuration, and what to do with it.
 * @tagname admin-connection-card
 *
 * @event {CustomEvent<void>} admin-data-changed - The connection was bound, unbound or deleted: reload.
 * @event {CustomEvent<string>} admin-announce - A change worth telling screen-reader users about.
 */
export class AdminConnectionCard extends LitElement {
  static override styles = [
    shared,
    css`
      article {
        display: grid;
        gap: 1rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
      }
      header h4 {
        margin-right: auto;
        font-size: 1.0625rem;
      }
      .columns {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 1rem 1.5rem;
      }
      .columns h5 {
        margin: 0 0 0.5rem;
        font-size: 0.8125rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--pa-muted);
      }
      .result:empty {
        display: none;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: ConsoleApi;
  /** The connection shown. */
  @property({ attribute: false }) connection!: Connection;
  /** Its connector (for the auth method's configuration). */
  @property({ attribute: false }) connector!: Connector;
  /** Whether the current environment uses this connection for the connector. */
  @property({ type: Boolean }) boundHere = false;
  /** Name of the other connection the current environment uses for this connector, if any. */
  @property() replaces = '';

  @state() private busy = '';
  @state() private error = '';
  @state() private testResult = '';

  private announce(message: string) {
    this.dispatchEvent(new CustomEvent('admin-announce', { detail: message, bubbles: true, composed: true }));
  }

  private changed() {
    this.dispatchEvent(new CustomEvent('admin-data-changed', { bubbles: true, composed: true }));
  }

  private async run(label: string, action: () => Promise<string | undefined>) {
    this.busy = label;
    this.error = '';
    try {
      const message = await action();
      if (message) this.announce(message);
    } finally {
      this.busy = '';
    }
  }

  private handleBind() {
    return this.run('bind', async () => {
      const r = await this.api.v1('PUT', `/bindings/${this.connector.id}`, {
        connectionId: this.connection.id,
      });
      if (!r.ok) return void (this.error = r.error.message);
      this.changed();
      return `${this.connection.name} is now used in ${this.api.environment.name}`;
    });
  }

  private handleUnbind() {
    return this.run('unbind', async () => {
      const r = await this.api.v1('DELETE', `/bindings/${this.connector.id}`);
      if (!r.ok) return void (this.error = r.error.message);
      this.changed();
      return `${this.connection.name} is no longer used in ${this.api.environment.name}`;
    });
  }

  private handleTest() {
    return this.run('test', async () => {
      this.testResult = '';
      const r = await this.api.v1<{ ok: boolean; status?: number }>(
        'POST',
        `/connections/${this.connection.id}/test`,
      );
      if (!r.ok) return void (this.error = r.error.message);
      const status = r.data.status ? ` (HTTP ${r.data.status})` : '';
      this.testResult = r.data.ok
        ? `Test passed${status}: the target accepted the credentials.`
        : `Test failed${status}: the target rejected the credentials.`;
      return undefined;
    });
  }

  private handleDelete() {
    if (!confirm(`Delete the connection "${this.connection.name}"? Its credentials are destroyed.`)) return;
    return this.run('delete', async () => {
      const r = await this.api.v1('DELETE', `/connections/${this.connection.id}`);
      if (!r.ok) return void (this.error = r.error.message);
      this.changed();
      return `Connection ${this.connection.name} deleted`;
    });
  }

  override render() {
    const c = this.connection;
    const method = this.connector.authMethods.find((m) => m.id === c.authMethodId);
    const headingId = `cx-${c.id}`;
    const envName = this.api.environment.name;
    return html`<article class="card" aria-labelledby=${headingId}>
      <header>
        <h4 id=${headingId}>${c.name}</h4>
        <span class="badge ${c.embedded ? 'accent' : ''}">${c.embedded ? 'Embedded' : 'Standard'}</span>
        <span class="badge ${c.inUse ? 'ok' : ''}">${c.inUse ? 'Connection In Use' : 'Not In Use'}</span>
        ${
          c.embedded
            ? html`<span class="badge ${c.status === 'ready' ? 'ok' : 'warn'}"
                >${c.status === 'ready' ? 'Ready' : 'Awaiting users'}</span
              >`
            : nothing
        }
      </header>
      <div class="columns">
        <section aria-label="Connection details">
          <h5>Connection</h5>
          <dl class="facts">
            <dt>Linked environments</dt>
            <dd data-testid="linked">${c.linkedEnvironments}</dd>
            <dt>In ${envName}</dt>
            <dd>
              ${this.boundHere ? 'Used' : this.replaces ? `Not used (uses ${this.replaces})` : 'Not used'}
            </dd>
            <dt>Authentication</dt>
            <dd>${authTypeLabel(c.authType)}</dd>
            <dt>Base URL</dt>
            <dd class="mono">${c.baseUrl}</dd>
            ${
              c.embedded
                ? html`<dt>Active users</dt>
                    <dd>${c.activeUsers}</dd>`
                : nothing
            }
            <dt>Created</dt>
            <dd>${when(c.createdAt)}</dd>
          </dl>
        </section>
        <section aria-label="Authentication method configuration">
          <h5>Authentication method</h5>
          ${
            method
              ? html`<dl class="facts">
                  ${configRows(method).map(
                    ([k, v]) =>
                      html`<dt>${k}</dt>
                        <dd>${v}</dd>`,
                  )}
                </dl>`
              : html`<p class="muted">Unknown auth method</p>`
          }
        </section>
      </div>
      ${
        c.embedded
          ? html`<p class="notice">
              No credentials are stored for this connection: each external user connects with their own.
              Activate users in the <a href="#/users">Users</a> tab or from your app with
              <code>&lt;connect-button&gt;</code>.
              ${
                c.status === 'awaiting_users'
                  ? html`<strong>It does not function until at least one user has been activated.</strong>`
                  : nothing
              }
            </p>`
          : nothing
      }
      <p class="notice result" role="status">${this.testResult}</p>
      <p class="error" role="alert">${this.error}</p>
      <div class="actions">
        ${
          this.boundHere
            ? html`<button type="button" ?disabled=${!!this.busy} @click=${this.handleUnbind}>
                Stop using in ${envName}
              </button>`
            : html`<button
                type="button"
                class="primary"
                ?disabled=${!!this.busy}
                aria-busy=${this.busy === 'bind'}
                @click=${this.handleBind}
              >
                Use in ${envName}
              </button>`
        }
        ${
          c.embedded
            ? nothing
            : html`<button
                type="button"
                ?disabled=${!!this.busy}
                aria-busy=${this.busy === 'test'}
                @click=${this.handleTest}
              >
                ${this.busy === 'test' ? 'Testing…' : 'Test Connection'}
              </button>`
        }
        ${
          c.inUse
            ? nothing
            : html`<button type="button" class="danger" ?disabled=${!!this.busy} @click=${this.handleDelete}>
                Delete
              </button>`
        }
      </div>
    </article>`;
  }
}

customElements.define('admin-connection-card', AdminConnectionCard);

declare global {
  interface HTMLElementTagNameMap {
    'admin-connection-card': AdminConnectionCard;
  }
}
