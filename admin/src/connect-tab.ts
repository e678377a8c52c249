import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Binding, Connection, ConsoleApi, Connector } from './api.js';
import './connection-card.js';
import './connection-form.js';
import './connector-form.js';
import type { ConnectorSaved } from './connector-form.js';
import { shared } from './shared.styles.js';

type Mode = 'view' | 'new-connection' | 'new-connector' | 'import' | 'edit-connector';

/**
 * @summary The Connect tab (the seeds' "Connect"): connectors with their base URL and existing
 * connections, new connections (standard or embedded), reuse across environments.
 * @tagname admin-connect-tab
 *
 * @event {CustomEvent<string>} admin-announce - A change worth telling screen-reader users about.
 */
export class AdminConnectTab extends LitElement {
  static override styles = [
    shared,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(14rem, 18rem) 1fr;
        gap: 1.5rem;
        align-items: start;
      }
      @media (max-width: 52rem) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      aside {
        display: grid;
        gap: 0.75rem;
      }
      aside ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
      aside li button {
        width: 100%;
        justify-content: space-between;
        border-color: transparent;
        background: none;
        font-weight: 550;
        padding: 0.625rem 0.75rem;
      }
      aside li button[aria-current='true'] {
        background: var(--pa-accent-soft);
        color: var(--pa-accent-strong);
      }
      aside .count {
        font-weight: 500;
        font-size: 0.8125rem;
        color: var(--pa-muted);
      }
      aside .actions button {
        flex: 1;
        justify-content: center;
      }
      .detail {
        display: grid;
        gap: 1.25rem;
        min-width: 0;
      }
      .cards {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 1rem;
      }
      .methods {
        display: flex;
        flex-wrap: wrap;
        gap: 0.375rem;
      }
    `,
  ];

  /** The signed-in console's API client for the current environment; a new one reloads the tab. */
  @property({ attribute: false }) api!: ConsoleApi;

  @state() private connectors: Connector[] = [];
  @state() private connections: Connection[] = [];
  @state() private bindings: Binding[] = [];
  @state() private selectedId?: string;
  @state() private mode: Mode = 'view';
  @state() private loading = true;
  @state() private error = '';
  /** What an OpenAPI import could not map, shown until the next change of connector. */
  @state() private importWarnings: string[] = [];

  override updated(changed: PropertyValues<this>) {
    if (changed.has('api')) void this.load();
  }

  private async load() {
    const [connectors, connections, bindings] = await Promise.all([
      this.api.all<Connector>('/connectors'),
      this.api.all<Connection>('/connections'),
      this.api.all<Binding>('/bindings'),
    ]);
    this.loading = false;
    if (!connectors.ok || !connections.ok || !bindings.ok) {
      const failed = [connectors, connections, bindings].find((r) => !r.ok);
      this.error = failed && !failed.ok ? failed.error.message : 'Could not load the connectors.';
      return;
    }
    this.error = '';
    this.connectors = connectors.data;
    this.connections = connections.data;
    this.bindings = bindings.data;
    if (!this.connectors.some((c) => c.id === this.selectedId)) this.selectedId = this.connectors[0]?.id;
  }

  private get selected() {
    return this.connectors.find((c) => c.id === this.selectedId);
  }

  private select(id: string) {
    this.selectedId = id;
    this.mode = 'view';
    this.importWarnings = [];
  }

  private open(mode: Mode) {
    this.mode = mode;
    if (mode !== 'view') this.importWarnings = [];
  }

  /** Closes a form and puts focus back where the user opened it from. */
  private async close(focusSelector: string) {
    this.mode = 'view';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(focusSelector)?.focus();
  }

  private announce(message: string) {
    this.dispatchEvent(new CustomEvent('admin-announce', { detail: message, bubbles: true, composed: true }));
  }

  private async handleConnectorSaved(event: CustomEvent<ConnectorSaved>) {
    const { connector, warnings, created } = event.detail;
    await this.load();
    this.selectedId = connector.id;
    this.importWarnings = warnings;
    this.announce(created ? `Connector ${connector.name} created` : `Connector ${connector.name} saved`);
    await this.close('#connector-heading');
  }

  private async handleConnectionCreated(event: CustomEvent<Connection>) {
    await this.load();
    this.announce(`Connection ${event.detail.name} created`);
    this.mode = 'view';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-connection="${event.detail.id}"]`)?.focus();
  }

  private async handleDeleteConnector(connector: Connector) {
    if (!confirm(`Delete the connector "${connector.name}" and its auth methods?`)) return;
    const r = await this.api.v1('DELETE', `/connectors/${connector.id}`);
    if (!r.ok) return void (this.error = r.error.message);
    await this.load();
    this.announce(`Connector ${connector.name} deleted`);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#new-connector')?.focus();
  }

  private async handleChanged() {
    await this.load();
  }

  override render() {
    if (this.loading) return html`<p class="muted" role="status">Loading connectors…</p>`;
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="layout">
        <aside aria-labelledby="connectors-heading">
          <h2 id="connectors-heading">Connectors</h2>
          ${
            this.connectors.length
              ? html`<ul>
                  ${this.connectors.map((c) => {
                    const count = this.connections.filter((x) => x.connectorId === c.id).length;
                    return html`<li>
                      <button
                        type="button"
                        aria-current=${c.id === this.selectedId ? 'true' : 'false'}
                        @click=${() => this.select(c.id)}
                      >
                        <span>${c.name}</span>
                        <span class="count">${count} ${count === 1 ? 'connection' : 'connections'}</span>
                      </button>
                    </li>`;
                  })}
                </ul>`
              : html`<p class="muted">No connectors yet.</p>`
          }
          <div class="actions">
            <button id="new-connector" type="button" @click=${() => this.open('new-connector')}>
              + New Connector
            </button>
            <button id="import" type="button" @click=${() => this.open('import')}>Import from OpenAPI</button>
          </div>
        </aside>
        <section class="detail">${this.renderDetail()}</section>
      </div>
    `;
  }

  private renderDetail() {
    if (this.mode === 'new-connector' || this.mode === 'import') {
      // Keyed: switching between the two forms starts a fresh one, with focus in its first field.
      return keyed(
        this.mode,
        html`<admin-connector-form
          .api=${this.api}
          .mode=${this.mode === 'import' ? 'import' : 'create'}
          @admin-connector-saved=${this.handleConnectorSaved}
          @admin-cancel=${() => this.close(this.mode === 'import' ? '#import' : '#new-connector')}
        ></admin-connector-form>`,
      );
    }
    const connector = this.selected;
    if (!connector) {
      return html`<div class="empty">
        <p>
          Create a connector for each system your customers connect to: its base URL and how it authenticates.
        </p>
      </div>`;
    }
    if (this.mode === 'edit-connector') {
      return html`<admin-connector-form
        .api=${this.api}
        mode="edit"
        .connector=${connector}
        @admin-connector-saved=${this.handleConnectorSaved}
        @admin-cancel=${() => this.close('#edit-connector')}
      ></admin-connector-form>`;
    }
    const connections = this.connections.filter((c) => c.connectorId === connector.id);
    const bound = this.bindings.find((b) => b.connectorId === connector.id);
    return html`
      <div class="card stack">
        <div class="row">
          <h2 id="connector-heading" tabindex="-1">${connector.name}</h2>
          <div class="actions">
            <button id="edit-connector" type="button" @click=${() => this.open('edit-connector')}>
              Edit connector
            </button>
            ${
              connections.length
                ? nothing
                : html`<button
                    type="button"
                    class="danger"
                    @click=${() => this.handleDeleteConnector(connector)}
                  >
                    Delete connector
                  </button>`
            }
          </div>
        </div>
        <dl class="facts">
          <dt>Base URL</dt>
          <dd class="mono">${connector.baseUrl}</dd>
          <dt>Auth methods</dt>
          <dd class="methods">
            ${connector.authMethods.map((m) => html`<span class="badge">${m.name} · ${m.type}</span>`)}
          </dd>
          <dt>Verification</dt>
          <dd>
            ${
              connector.verify
                ? html`<code>${connector.verify.method} ${connector.verify.path}</code>
                    <span class="muted">expects ${connector.verify.expectStatus.join(', ')}</span>`
                : html`<span class="muted">None: Test Connection needs one</span>`
            }
          </dd>
        </dl>
        ${
          this.importWarnings.length
            ? html`<div class="notice warn" role="status">
                <strong>Imported with warnings:</strong>
                <ul>
                  ${this.importWarnings.map((w) => html`<li>${w}</li>`)}
                </ul>
              </div>`
            : nothing
        }
      </div>
      <div class="row">
        <h3 id="existing-heading">Existing Connections</h3>
        ${
          this.mode === 'new-connection'
            ? nothing
            : html`<button
                id="new-connection"
                class="primary"
                type="button"
                @click=${() => this.open('new-connection')}
              >
                + New Connection
              </button>`
        }
      </div>
      ${
        this.mode === 'new-connection'
          ? html`<admin-connection-form
              .api=${this.api}
              .connector=${connector}
              @admin-connection-created=${this.handleConnectionCreated}
              @admin-auth-method-created=${this.handleChanged}
              @admin-cancel=${() => this.close('#new-connection')}
            ></admin-connection-form>`
          : nothing
      }
      ${
        connections.length
          ? html`<ul class="cards" aria-labelledby="existing-heading">
              ${connections.map(
                (c) =>
                  html`<li>
                    <admin-connection-card
                      data-connection=${c.id}
                      tabindex="-1"
                      .api=${this.api}
                      .connection=${c}
                      .connector=${connector}
                      .boundHere=${bound?.connectionId === c.id}
                      .replaces=${
                        bound && bound.connectionId !== c.id
                          ? (connections.find((x) => x.id === bound.connectionId)?.name ??
                            'another connection')
                          : ''
                      }
                      @admin-data-changed=${this.handleChanged}
                    ></admin-connection-card>
                  </li>`,
              )}
            </ul>`
          : this.mode === 'new-connection'
            ? nothing
            : html`<div class="empty">
                No connections yet. Add one with <strong>+ New Connection</strong>.
              </div>`
      }
    `;
  }
}

customElements.define('admin-connect-tab', AdminConnectTab);

declare global {
  interface HTMLElementTagNameMap {
    'admin-connect-tab': AdminConnectTab;
  }
}
