import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuthMethod, AuthTypeName, Connection, ConsoleApi, Connector } from './api.js';
import {
  AUTH_TYPES,
  configFromValues,
  configFields,
  configRows,
  credentialFields,
  credentialsFromValues,
  type Values,
} from './auth-types.js';
import { focusFirstField, readField, renderFields } from './fields.js';
import { shared } from './shared.styles.js';

const NEW_METHOD = '__new__';

/**
 * @summary The seeds' "+ New Connection" form: an auth method (an existing one of the connector, or
 * a new one of the six types), then the connection's name, base URL and credentials, or the
 * Embedded Connection toggle that removes the credential fields.
 * @tagname admin-connection-form
 *
 * @event {CustomEvent<Connection>} admin-connection-created - The connection was created.
 * @event {CustomEvent<AuthMethod>} admin-auth-method-created - A new auth method was added to the connector.
 * @event {CustomEvent<void>} admin-cancel - The user closed the form without creating anything.
 */
export class AdminConnectionForm extends LitElement {
  static override styles = [
    shared,
    css`
      .method-summary {
        background: var(--pa-surface-2);
        border-radius: 6px;
        padding: 0.75rem 1rem;
      }
      .type-hint {
        font-size: 0.8125rem;
        color: var(--pa-muted);
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: ConsoleApi;
  /** The connector the connection is for. */
  @property({ attribute: false }) connector!: Connector;

  /** Auth methods created in this form, before the connector reloads. */
  @state() private extraMethods: AuthMethod[] = [];
  @state() private methodChoice = '';
  @state() private newType: AuthTypeName = 'api-key';
  @state() private methodName = '';
  @state() private config: Values = {};
  @state() private credentials: Values = {};
  @state() private name = '';
  @state() private baseUrl = '';
  @state() private embedded = false;
  @state() private busy = '';
  @state() private error = '';

  private get methods(): AuthMethod[] {
    const known = new Set(this.connector.authMethods.map((m) => m.id));
    return [...this.connector.authMethods, ...this.extraMethods.filter((m) => !known.has(m.id))];
  }

  private get method(): AuthMethod | undefined {
    return this.methods.find((m) => m.id === this.methodChoice);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.methodChoice = this.connector.authMethods[0]?.id ?? NEW_METHOD;
    this.baseUrl = this.connector.baseUrl;
  }

  override firstUpdated() {
    focusFirstField(this.renderRoot);
  }

  private handleInput(event: Event) {
    const f = readField(event);
    if (f?.group === 'cfg') this.config = { ...this.config, [f.field]: f.value };
    else if (f?.group === 'cred') this.credentials = { ...this.credentials, [f.field]: f.value };
  }

  private handleMethodChoice(event: Event) {
    this.methodChoice = (event.target as HTMLSelectElement).value;
    this.credentials = {};
    this.error = '';
  }

  private handleType(event: Event) {
    this.newType = (event.target as HTMLSelectElement).value as AuthTypeName;
    this.config = {};
    this.credentials = {};
  }

  /** Saves the inline auth method (the seeds' "Create" step); answers it, or undefined after showing why not. */
  private async createMethod(): Promise<AuthMethod | undefined> {
    const name = this.methodName.trim() || AUTH_TYPES.find((t) => t.type === this.newType)!.label;
    const r = await this.api.v1<AuthMethod>('POST', `/connectors/${this.connector.id}/auth-methods`, {
      name,
      type: this.newType,
      config: configFromValues(this.newType, this.config),
    });
    if (!r.ok) {
      this.error = `Auth method: ${r.error.message}`;
      return undefined;
    }
    this.extraMethods = [...this.extraMethods, r.data];
    this.methodChoice = r.data.id;
    this.methodName = '';
    this.config = {};
    this.dispatchEvent(
      new CustomEvent('admin-auth-method-created', { detail: r.data, bubbles: true, composed: true }),
    );
    this.dispatchEvent(
      new CustomEvent('admin-announce', {
        detail: `Auth method ${r.data.name} created`,
        bubbles: true,
        composed: true,
      }),
    );
    return r.data;
  }

  private async handleCreateMethod() {
    const form = this.renderRoot.querySelector('form')!;
    const fieldset = this.renderRoot.querySelector<HTMLFieldSetElement>('#method-fields')!;
    const invalid = [...fieldset.querySelectorAll<HTMLInputElement>('input, select, textarea')].find(
      (el) => !el.checkValidity(),
    );
    if (invalid) return void form.reportValidity();
    this.busy = 'method';
    this.error = '';
    const created = await this.createMethod();
    this.busy = '';
    if (created) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#method')?.focus();
    }
  }

  private async handleSubmit(event: SubmitEvent) {
    event.preventDefault();
    this.busy = 'connect';
    this.error = '';
    try {
      const method = this.methodChoice === NEW_METHOD ? await this.createMethod() : this.method;
      if (!method) return;
      const fields = credentialFields(method);
      const baseUrl = this.baseUrl.trim();
      const r = await this.api.v1<Connection>('POST', '/connections', {
        connectorId: this.connector.id,
        authMethodId: method.id,
        name: this.name.trim(),
        ...(baseUrl && baseUrl !== this.connector.baseUrl ? { baseUrl } : {}),
        embedded: this.embedded,
        ...(!this.embedded && fields.length
          ? { credentials: credentialsFromValues(fields, this.credentials) }
          : {}),
      });
      if (!r.ok) {
        this.error = r.error.message;
        return;
      }
      this.dispatchEvent(
        new CustomEvent('admin-connection-created', { detail: r.data, bubbles: true, composed: true }),
      );
    } finally {
      this.busy = '';
    }
  }

  private handleCancel() {
    this.dispatchEvent(new CustomEvent('admin-cancel', { bubbles: true, composed: true }));
  }

  override render() {
    const isNew = this.methodChoice === NEW_METHOD;
    const method = this.method;
    const typeForCredentials = isNew
      ? { type: this.newType, config: configFromValues(this.newType, this.config) }
      : method;
    const creds = typeForCredentials ? credentialFields(typeForCredentials) : [];
    return html`<form
      class="card"
      aria-labelledby="form-title"
      @input=${this.handleInput}
      @change=${this.handleInput}
      @submit=${this.handleSubmit}
    >
      <h3 id="form-title">New connection to ${this.connector.name}</h3>
      <fieldset id="method-fields">
        <legend>Auth Method</legend>
        <div class="field">
          <label for="method">Auth method</label>
          <select id="method" @change=${this.handleMethodChoice}>
            ${this.methods.map(
              (m) =>
                html`<option value=${m.id} ?selected=${m.id === this.methodChoice}>
                  ${m.name} (${AUTH_TYPES.find((t) => t.type === m.type)?.label ?? m.type})
                </option>`,
            )}
            <option value=${NEW_METHOD} ?selected=${isNew}>Create a new auth method…</option>
          </select>
        </div>
        ${
          isNew
            ? html`<div class="grid-2">
                  <div class="field">
                    <label for="auth-type">Authentication type</label>
                    <select id="auth-type" @change=${this.handleType} aria-describedby="auth-type-hint">
                      ${AUTH_TYPES.map(
                        (t) =>
                          html`<option value=${t.type} ?selected=${t.type === this.newType}>
                            ${t.label}
                          </option>`,
                      )}
                    </select>
                    <span class="type-hint" id="auth-type-hint"
                      >${AUTH_TYPES.find((t) => t.type === this.newType)!.summary}</span
                    >
                  </div>
                  <div class="field">
                    <label for="method-name">Auth method name</label>
                    <input
                      id="method-name"
                      .value=${this.methodName}
                      @input=${(e: Event) => (this.methodName = (e.target as HTMLInputElement).value)}
                      placeholder=${AUTH_TYPES.find((t) => t.type === this.newType)!.label}
                      autocomplete="off"
                    />
                  </div>
                </div>
                <div class="grid-2">
                  ${renderFields('cfg', configFields(this.newType, this.config), this.config)}
                </div>
                <div class="actions">
                  <button type="button" ?disabled=${!!this.busy} @click=${this.handleCreateMethod}>
                    ${this.busy === 'method' ? 'Creating…' : 'Create'}
                  </button>
                  <span class="muted">Saves the auth method on ${this.connector.name} for reuse.</span>
                </div>`
            : method
              ? html`<dl class="facts method-summary">
                  ${configRows(method).map(
                    ([k, v]) =>
                      html`<dt>${k}</dt>
                        <dd>${v}</dd>`,
                  )}
                </dl>`
              : nothing
        }
      </fieldset>
      <fieldset>
        <legend>Connection</legend>
        <div class="grid-2">
          <div class="field">
            <label for="connection-name">Connection Name</label>
            <input
              id="connection-name"
              required
              maxlength="200"
              autocomplete="off"
              placeholder="Production - ${this.connector.name}"
              .value=${this.name}
              @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="base-url">Base URL</label>
            <input
              id="base-url"
              type="url"
              required
              autocomplete="off"
              .value=${this.baseUrl}
              @input=${(e: Event) => (this.baseUrl = (e.target as HTMLInputElement).value)}
            />
          </div>
        </div>
        <div class="switch">
          <input
            id="embedded"
            type="checkbox"
            role="switch"
            aria-describedby="embedded-hint"
            .checked=${this.embedded}
            @change=${(e: Event) => (this.embedded = (e.target as HTMLInputElement).checked)}
          />
          <div class="field">
            <label for="embedded">Embedded Connection</label>
            <span class="hint" id="embedded-hint">
              Store no credentials: each external user supplies their own when they activate it.
            </span>
          </div>
        </div>
        ${
          this.embedded
            ? html`<p class="notice">
                External users connect with their own credentials through the Users tab or your app's
                <code>&lt;connect-button&gt;</code>.
              </p>`
            : creds.length
              ? html`<div class="grid-2" id="credentials">
                  ${renderFields('cred', creds, this.credentials)}
                </div>`
              : html`<p class="muted">This auth method needs no credentials.</p>`
        }
      </fieldset>
      <p class="error" role="alert">${this.error}</p>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${!!this.busy} aria-busy=${this.busy === 'connect'}>
          ${this.busy === 'connect' ? 'Connecting…' : 'Connect'}
        </button>
        <button type="button" @click=${this.handleCancel}>Cancel</button>
      </div>
    </form>`;
  }
}

customElements.define('admin-connection-form', AdminConnectionForm);

declare global {
  interface HTMLElementTagNameMap {
    'admin-connection-form': AdminConnectionForm;
  }
}
