import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConsoleApi, Delivery, Environment, SecretKey, SigningKey } from './api.js';
import './copy-field.js';
import { when } from './fields.js';
import { shared } from './shared.styles.js';

const DELIVERY_TONE: Record<Delivery['status'], string> = {
  delivered: 'ok',
  pending: 'warn',
  failed: 'danger',
};

/**
 * @summary Settings of the current environment: allowed origins and webhook URL, webhook
 * deliveries, secret keys and vendor signing keys.
 * @tagname admin-settings-tab
 *
 * @event {CustomEvent<string>} admin-announce - A change worth telling screen-reader users about.
 */
export class AdminSettingsTab extends LitElement {
  static override styles = [
    shared,
    css`
      .layout {
        display: grid;
        gap: 1.5rem;
      }
      .reveal {
        display: grid;
        gap: 0.75rem;
      }
    `,
  ];

  /** The console's API client for the current environment; a new one reloads the tab. */
  @property({ attribute: false }) api!: ConsoleApi;

  @state() private environment?: Environment;
  @state() private keys: SecretKey[] = [];
  @state() private deliveries: Delivery[] = [];
  @state() private signingKeys: SigningKey[] = [];
  @state() private loading = true;
  /** Errors by section. */
  @state() private errors: Record<string, string> = {};
  @state() private busy = '';
  /** A secret the server answered once: a new secret key or the webhook signing secret. */
  @state() private revealed?: { title: string; label: string; value: string };
  @state() private jwkMode: 'jwk' | 'jwksUrl' = 'jwk';

  override updated(changed: PropertyValues<this>) {
    if (changed.has('api')) {
      this.revealed = undefined;
      void this.load();
    }
  }

  private async load() {
    const [environment, keys, deliveries, signingKeys] = await Promise.all([
      this.api.v1<Environment>('GET', '/environment'),
      this.api.call<{ data: SecretKey[] }>('GET', '/admin/api/secret-keys'),
      this.api.v1<{ data: Delivery[] }>('GET', '/webhook-deliveries?limit=50'),
      this.api.v1<{ data: SigningKey[] }>('GET', '/signing-keys'),
    ]);
    this.loading = false;
    const errors: Record<string, string> = {};
    if (environment.ok) this.environment = environment.data;
    else errors.environment = environment.error.message;
    if (keys.ok) this.keys = keys.data.data;
    else errors.keys = keys.error.message;
    if (deliveries.ok) this.deliveries = deliveries.data.data;
    else errors.deliveries = deliveries.error.message;
    if (signingKeys.ok) this.signingKeys = signingKeys.data.data;
    else errors.signing = signingKeys.error.message;
    this.errors = errors;
  }

  private announce(message: string) {
    this.dispatchEvent(new CustomEvent('admin-announce', { detail: message, bubbles: true, composed: true }));
  }

  private setError(section: string, message: string) {
    this.errors = { ...this.errors, [section]: message };
  }

  private async reveal(secret: { title: string; label: string; value: string }) {
    this.revealed = secret;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#reveal-heading')?.focus();
  }

  private async handleEnvironment(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const allowedOrigins = String(data.get('origins'))
      .split(/\s+/)
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean);
    const webhookUrl = String(data.get('webhookUrl')).trim();
    this.busy = 'environment';
    this.setError('environment', '');
    const r = await this.api.v1<Environment>('PATCH', '/environment', {
      allowedOrigins,
      webhookUrl: webhookUrl || null,
    });
    this.busy = '';
    if (!r.ok) return this.setError('environment', r.error.message);
    this.environment = r.data;
    this.announce('Environment settings saved');
    if (r.data.webhookSecret) {
      await this.reveal({
        title: 'Webhook signing secret',
        label: 'Signing secret (whsec_…)',
        value: r.data.webhookSecret,
      });
    }
  }

  private async handleCreateKey() {
    this.busy = 'key';
    this.setError('keys', '');
    const r = await this.api.call<SecretKey>('POST', '/admin/api/secret-keys');
    this.busy = '';
    if (!r.ok) return this.setError('keys', r.error.message);
    await this.load();
    await this.reveal({ title: 'New secret key', label: 'Secret key', value: r.data.secretKey! });
  }

  private async handleRevokeKey(key: SecretKey) {
    if (!confirm(`Revoke the secret key ${key.hint}…? Requests with it fail at once.`)) return;
    this.busy = key.id;
    const r = await this.api.call<SecretKey>('DELETE', `/admin/api/secret-keys/${key.id}`);
    this.busy = '';
    if (!r.ok) return this.setError('keys', r.error.message);
    await this.load();
    this.announce(`Secret key ${key.hint}… revoked`);
  }

  private async handleRedeliver(d: Delivery) {
    this.busy = d.id;
    const r = await this.api.v1<Delivery>('POST', `/webhook-deliveries/${d.id}/redeliver`);
    this.busy = '';
    if (!r.ok) return this.setError('deliveries', r.error.message);
    await this.load();
    this.announce(`${d.eventType} queued for delivery again`);
  }

  private async handleAddSigningKey(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = String(new FormData(form).get('key') ?? '').trim();
    let body: { jwk: Record<string, unknown> } | { jwksUrl: string };
    if (this.jwkMode === 'jwk') {
      try {
        body = { jwk: JSON.parse(value) as Record<string, unknown> };
      } catch {
        return this.setError('signing', 'The JWK is not valid JSON.');
      }
    } else body = { jwksUrl: value };
    this.busy = 'signing';
    this.setError('signing', '');
    const r = await this.api.v1<SigningKey>('POST', '/signing-keys', body);
    this.busy = '';
    if (!r.ok) return this.setError('signing', r.error.message);
    form.reset();
    await this.load();
    this.announce('Signing key added');
  }

  private async handleRemoveSigningKey(key: SigningKey) {
    if (!confirm('Remove this signing key? Assertions signed with it stop working at once.')) return;
    this.busy = key.id;
    const r = await this.api.v1('DELETE', `/signing-keys/${key.id}`);
    this.busy = '';
    if (!r.ok) return this.setError('signing', r.error.message);
    await this.load();
    this.announce('Signing key removed');
  }

  override render() {
    if (this.loading) return html`<p class="muted" role="status">Loading settings…</p>`;
    return html`<div class="layout">
      ${
        this.revealed
          ? html`<section class="notice warn reveal" aria-labelledby="reveal-heading">
              <h2 id="reveal-heading" tabindex="-1">${this.revealed.title}</h2>
              <p>This is the only time it is shown. Store it in your secret manager now.</p>
              <admin-copy-field
                .label=${this.revealed.label}
                .value=${this.revealed.value}
              ></admin-copy-field>
              <div class="actions">
                <button type="button" @click=${() => (this.revealed = undefined)}>I have stored it</button>
              </div>
            </section>`
          : nothing
      }
      ${this.renderEnvironment()} ${this.renderKeys()} ${this.renderDeliveries()} ${this.renderSigningKeys()}
    </div>`;
  }

  private renderEnvironment() {
    const env = this.environment;
    return html`<section class="card stack" aria-labelledby="env-heading">
      <h2 id="env-heading">Environment</h2>
      <form @submit=${this.handleEnvironment}>
        <div class="field">
          <label for="origins">Allowed origins</label>
          <textarea
            id="origins"
            name="origins"
            spellcheck="false"
            aria-describedby="origins-hint"
            .value=${env?.allowedOrigins.join('\n') ?? ''}
          ></textarea>
          <span class="hint" id="origins-hint">
            One per line, e.g. https://app.example.com: the pages of your app that embed
            <code>&lt;connect-button&gt;</code>.
          </span>
        </div>
        <div class="field">
          <label for="webhookUrl">Webhook URL <span class="muted">(optional)</span></label>
          <input
            id="webhookUrl"
            name="webhookUrl"
            type="url"
            autocomplete="off"
            placeholder="https://api.example.com/portico/webhooks"
            aria-describedby="webhook-hint"
            .value=${env?.webhookUrl ?? ''}
          />
          <span class="hint" id="webhook-hint">
            Activation events are POSTed here, signed per Standard Webhooks. The signing secret is shown once,
            when the first URL is saved.
          </span>
        </div>
        <p class="error" role="alert">${this.errors.environment ?? ''}</p>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy === 'environment'}>Save</button>
        </div>
      </form>
    </section>`;
  }

  private renderKeys() {
    return html`<section class="card stack" aria-labelledby="keys-heading">
      <div class="row">
        <h2 id="keys-heading">Secret keys</h2>
        <button type="button" ?disabled=${this.busy === 'key'} @click=${this.handleCreateKey}>
          Create secret key
        </button>
      </div>
      <p class="muted">
        Your backend calls the management API with these. Portico keeps only a hash of each.
      </p>
      <p class="error" role="alert">${this.errors.keys ?? ''}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.keys.map(
              (k) =>
                html`<tr>
                  <td class="mono">${k.hint}…</td>
                  <td>${k.scopes.join(', ') || '—'}</td>
                  <td>${when(k.createdAt)}</td>
                  <td>
                    ${
                      k.revokedAt
                        ? html`<span class="badge danger">Revoked ${when(k.revokedAt)}</span>`
                        : html`<span class="badge ok">Active</span>`
                    }
                  </td>
                  <td>
                    ${
                      k.revokedAt
                        ? nothing
                        : html`<button
                            type="button"
                            class="danger"
                            ?disabled=${this.busy === k.id}
                            @click=${() => this.handleRevokeKey(k)}
                          >
                            Revoke<span class="visually-hidden"> key ${k.hint}…</span>
                          </button>`
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private renderDeliveries() {
    return html`<section class="card stack" aria-labelledby="deliveries-heading">
      <div class="row">
        <h2 id="deliveries-heading">Webhook deliveries</h2>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      <p class="error" role="alert">${this.errors.deliveries ?? ''}</p>
      ${
        this.deliveries.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last attempt</th>
                    <th scope="col">Created</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.deliveries.map((d) => {
                    const last = d.attemptLog[d.attemptLog.length - 1];
                    return html`<tr>
                      <td class="mono">${d.eventType}</td>
                      <td><span class="badge ${DELIVERY_TONE[d.status]}">${d.status}</span></td>
                      <td>${d.attempts}</td>
                      <td>
                        ${
                          last
                            ? html`${last.statusCode ? `HTTP ${last.statusCode}` : (last.error ?? '—')}
                                <span class="muted">· ${when(last.at)}</span>`
                            : '—'
                        }
                      </td>
                      <td>${when(d.createdAt)}</td>
                      <td>
                        <button
                          type="button"
                          ?disabled=${this.busy === d.id}
                          @click=${() => this.handleRedeliver(d)}
                        >
                          Redeliver<span class="visually-hidden"> ${d.eventType}</span>
                        </button>
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
          : html`<div class="empty">
              ${
                this.environment?.webhookUrl
                  ? 'No events have been sent yet.'
                  : 'Set a webhook URL above to receive activation events.'
              }
            </div>`
      }
    </section>`;
  }

  private renderSigningKeys() {
    return html`<section class="card stack" aria-labelledby="signing-heading">
      <h2 id="signing-heading">Vendor signing keys</h2>
      <p class="muted">
        Public keys your backend signs user assertions with, exchanged at <code>POST /connect/token</code> for
        session tokens.
      </p>
      ${
        this.signingKeys.length
          ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Added</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.signingKeys.map(
                    (k) =>
                      html`<tr>
                        <td class="mono">
                          ${
                            k.jwksUrl
                              ? `JWKS ${k.jwksUrl}`
                              : `${String(k.jwk?.kty ?? '')} ${String(k.jwk?.alg ?? k.jwk?.crv ?? '')} ${k.jwk?.kid ? `kid ${String(k.jwk.kid)}` : ''}`
                          }
                        </td>
                        <td>${when(k.createdAt)}</td>
                        <td>
                          <button
                            type="button"
                            class="danger"
                            ?disabled=${this.busy === k.id}
                            @click=${() => this.handleRemoveSigningKey(k)}
                          >
                            Remove<span class="visually-hidden"> key ${k.id}</span>
                          </button>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">No signing keys.</p>`
      }
      <form @submit=${this.handleAddSigningKey}>
        <fieldset>
          <legend>Add a key</legend>
          <div class="actions" role="radiogroup" aria-label="Key format">
            <span class="check">
              <input
                type="radio"
                id="mode-jwk"
                name="mode"
                .checked=${this.jwkMode === 'jwk'}
                @change=${() => (this.jwkMode = 'jwk')}
              />
              <label for="mode-jwk">Public JWK</label>
            </span>
            <span class="check">
              <input
                type="radio"
                id="mode-url"
                name="mode"
                .checked=${this.jwkMode === 'jwksUrl'}
                @change=${() => (this.jwkMode = 'jwksUrl')}
              />
              <label for="mode-url">JWKS URL</label>
            </span>
          </div>
          <div class="field">
            ${
              this.jwkMode === 'jwk'
                ? html`<label for="key">Public JWK (JSON)</label>
                    <textarea id="key" name="key" class="code" required spellcheck="false"></textarea>`
                : html`<label for="key">JWKS URL</label>
                    <input
                      id="key"
                      name="key"
                      type="url"
                      required
                      autocomplete="off"
                      placeholder="https://…/jwks.json"
                    />`
            }
          </div>
          <p class="error" role="alert">${this.errors.signing ?? ''}</p>
          <div class="actions">
            <button type="submit" ?disabled=${this.busy === 'signing'}>Add key</button>
          </div>
        </fieldset>
      </form>
    </section>`;
  }
}

customElements.define('admin-settings-tab', AdminSettingsTab);

declare global {
  interface HTMLElementTagNameMap {
    'admin-settings-tab': AdminSettingsTab;
  }
}
