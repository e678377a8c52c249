import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuthTypeName, ConsoleApi, Connector, VerifyRequest } from './api.js';
import { AUTH_TYPES, configFields, configFromValues, type Values } from './auth-types.js';
import { focusFirstField, readField, renderFields } from './fields.js';
import { shared } from './shared.styles.js';

export interface ConnectorSaved {
  connector: Connector;
  /** What an OpenAPI import could not map (empty otherwise). */
  warnings: string[];
  created: boolean;
}

/**
 * @summary Creates a connector (name, base URL, first auth method, optional verification request),
 * imports one from an OpenAPI document, or edits one.
 * @tagname admin-connector-form
 *
 * @event {CustomEvent<ConnectorSaved>} admin-connector-saved - The connector was created, imported or updated.
 * @event {CustomEvent<void>} admin-cancel - The user closed the form.
 */
export class AdminConnectorForm extends LitElement {
  static override styles = shared;

  /** The console's API client. */
  @property({ attribute: false }) api!: ConsoleApi;
  /** `create` a connector, `import` one from OpenAPI, or `edit` `connector`. */
  @property() mode: 'create' | 'import' | 'edit' = 'create';
  /** The connector to edit (mode `edit`). */
  @property({ attribute: false }) connector?: Connector;

  @state() private type: AuthTypeName = 'api-key';
  @state() private config: Values = {};
  @state() private busy = false;
  @state() private error = '';

  override firstUpdated() {
    focusFirstField(this.renderRoot);
  }

  private handleInput(event: Event) {
    const f = readField(event);
    if (f?.group === 'cfg') this.config = { ...this.config, [f.field]: f.value };
  }

  /** The verification request from the form, null when no path is given. */
  private verifyFrom(data: FormData): VerifyRequest | null | 'invalid' {
    const path = String(data.get('verifyPath') ?? '').trim();
    if (!path) return null;
    const statuses = String(data.get('verifyStatus') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (statuses.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) return 'invalid';
    return {
      method: String(data.get('verifyMethod')) as VerifyRequest['method'],
      path,
      expectStatus: statuses.length ? statuses : [200],
    };
  }

  private async handleSubmit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.error = '';
    let request: Promise<
      { ok: true; data: Connector & { warnings?: string[] } } | { ok: false; error: { message: string } }
    >;
    if (this.mode === 'import') {
      const name = String(data.get('name') ?? '').trim();
      request = this.api.v1('POST', '/connectors/import', {
        openapi: String(data.get('openapi')),
        ...(name ? { name } : {}),
      });
    } else {
      const verify = this.verifyFrom(data);
      if (verify === 'invalid') {
        this.error = 'Expected statuses: HTTP status codes such as 200, 204.';
        return;
      }
      const common = {
        name: String(data.get('name')).trim(),
        baseUrl: String(data.get('baseUrl')).trim(),
        verify,
      };
      request =
        this.mode === 'edit'
          ? this.api.v1('PATCH', `/connectors/${this.connector!.id}`, common)
          : this.api.v1('POST', '/connectors', {
              ...common,
              authMethods: [
                {
                  name:
                    String(data.get('methodName')).trim() ||
                    AUTH_TYPES.find((t) => t.type === this.type)!.label,
                  type: this.type,
                  config: configFromValues(this.type, this.config),
                },
              ],
            });
    }
    this.busy = true;
    const r = await request;
    this.busy = false;
    if (!r.ok) {
      this.error = r.error.message;
      return;
    }
    const { warnings = [], ...connector } = r.data;
    this.dispatchEvent(
      new CustomEvent<ConnectorSaved>('admin-connector-saved', {
        detail: { connector, warnings, created: this.mode !== 'edit' },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private handleCancel() {
    this.dispatchEvent(new CustomEvent('admin-cancel', { bubbles: true, composed: true }));
  }

  override render() {
    const title =
      this.mode === 'import'
        ? 'Import a connector from OpenAPI'
        : this.mode === 'edit'
          ? `Edit ${this.connector?.name ?? 'connector'}`
          : 'New connector';
    const c = this.mode === 'edit' ? this.connector : undefined;
    return html`<form
      class="card"
      aria-labelledby="form-title"
      @input=${this.handleInput}
      @change=${this.handleInput}
      @submit=${this.handleSubmit}
    >
      <h2 id="form-title">${title}</h2>
      ${this.mode === 'import' ? this.renderImport() : this.renderFields(c)}
      <p class="error" role="alert">${this.error}</p>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy}>
          ${this.mode === 'import' ? 'Import' : this.mode === 'edit' ? 'Save' : 'Create connector'}
        </button>
        <button type="button" @click=${this.handleCancel}>Cancel</button>
      </div>
    </form>`;
  }

  private renderImport() {
    return html`<p class="muted">
        Paste an OpenAPI 3.x document. Its first server becomes the base URL and each security scheme an auth
        method; schemes Portico cannot map are listed as warnings.
      </p>
      <div class="field">
        <label for="openapi">OpenAPI document (JSON or YAML)</label>
        <textarea id="openapi" name="openapi" class="code" required spellcheck="false"></textarea>
      </div>
      <div class="field">
        <label for="name">Connector name <span class="muted">(optional)</span></label>
        <input id="name" name="name" maxlength="200" autocomplete="off" aria-describedby="name-hint" />
        <span class="hint" id="name-hint">Defaults to the document's title.</span>
      </div>`;
  }

  private renderFields(c: Connector | undefined) {
    const type = AUTH_TYPES.find((t) => t.type === this.type)!;
    return html`<div class="grid-2">
        <div class="field">
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength="200" autocomplete="off" .value=${c?.name ?? ''} />
        </div>
        <div class="field">
          <label for="baseUrl">Base URL</label>
          <input
            id="baseUrl"
            name="baseUrl"
            type="url"
            required
            autocomplete="off"
            placeholder="https://api.example.com"
            .value=${c?.baseUrl ?? ''}
          />
        </div>
      </div>
      ${
        c
          ? nothing
          : html`<fieldset>
              <legend>Auth Method</legend>
              <div class="grid-2">
                <div class="field">
                  <label for="type">Authentication type</label>
                  <select
                    id="type"
                    aria-describedby="type-hint"
                    @change=${(e: Event) => {
                      this.type = (e.target as HTMLSelectElement).value as AuthTypeName;
                      this.config = {};
                    }}
                  >
                    ${AUTH_TYPES.map((t) => html`<option value=${t.type} ?selected=${t.type === this.type}>${t.label}</option>`)}
                  </select>
                  <span class="hint" id="type-hint">${type.summary}</span>
                </div>
                <div class="field">
                  <label for="methodName">Auth method name</label>
                  <input
                    id="methodName"
                    name="methodName"
                    maxlength="200"
                    autocomplete="off"
                    placeholder=${type.label}
                  />
                </div>
              </div>
              <div class="grid-2">
                ${renderFields('cfg', configFields(this.type, this.config), this.config)}
              </div>
            </fieldset>`
      }
      <fieldset>
        <legend>Verification request <span class="muted">(optional)</span></legend>
        <p class="muted">
          Sent with the credentials to check them: on Test Connection and before storing a user's API key or
          password.
        </p>
        <div class="grid-2">
          <div class="field">
            <label for="verifyMethod">Method</label>
            <select id="verifyMethod" name="verifyMethod">
              ${['GET', 'HEAD', 'POST'].map(
                (m) => html`<option ?selected=${(c?.verify?.method ?? 'GET') === m}>${m}</option>`,
              )}
            </select>
          </div>
          <div class="field">
            <label for="verifyPath">Path</label>
            <input
              id="verifyPath"
              name="verifyPath"
              placeholder="/user"
              pattern="/.*"
              autocomplete="off"
              .value=${c?.verify?.path ?? ''}
            />
          </div>
          <div class="field">
            <label for="verifyStatus">Expected statuses</label>
            <input
              id="verifyStatus"
              name="verifyStatus"
              placeholder="200"
              autocomplete="off"
              .value=${c?.verify?.expectStatus.join(', ') ?? ''}
            />
          </div>
        </div>
      </fieldset>`;
  }
}

customElements.define('admin-connector-form', AdminConnectorForm);

declare global {
  interface HTMLElementTagNameMap {
    'admin-connector-form': AdminConnectorForm;
  }
}
