import { LitElement, css, html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { login, type SessionView } from './api.js';
import { shared } from './shared.styles.js';

/**
 * @summary The console's sign-in form: email and password, errors announced in an alert.
 * @tagname admin-sign-in
 *
 * @event {CustomEvent<SessionView>} admin-signed-in - The server accepted the password and set the session cookie.
 */
export class AdminSignIn extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        display: grid;
        place-items: center;
        padding: 1.5rem;
      }
      h1 {
        font-size: 1.375rem;
      }
      main {
        width: min(24rem, 100%);
        display: grid;
        gap: 1.25rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.625rem;
        font-weight: 700;
        font-size: 1.125rem;
      }
      .logo {
        width: 2rem;
        height: 2rem;
        border-radius: 7px;
        background: var(--pa-accent);
        color: var(--pa-accent-text);
        display: grid;
        place-items: center;
        font-weight: 800;
      }
      button.primary {
        justify-content: center;
        padding: 0.625rem;
      }
    `,
  ];

  /** A message to show above the form, e.g. that the previous session ended. */
  @property() notice = '';

  @state() private error = '';
  @state() private busy = false;
  @query('#email') private emailInput!: HTMLInputElement;

  override firstUpdated() {
    this.emailInput.focus();
  }

  private async handleSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.error = '';
    const result = await login(String(data.get('email')), String(data.get('password')));
    this.busy = false;
    if (!result.ok) {
      this.error =
        result.error.code === 'invalid_credentials'
          ? 'Wrong email or password.'
          : result.error.code === 'rate_limited'
            ? `Too many attempts. ${result.error.message}.`
            : result.error.message;
      const password = form.querySelector<HTMLInputElement>('#password')!;
      password.value = '';
      password.focus();
      return;
    }
    this.dispatchEvent(
      new CustomEvent<SessionView>('admin-signed-in', { detail: result.data, bubbles: true, composed: true }),
    );
  }

  override render() {
    return html`<main>
      <div class="brand"><span class="logo" aria-hidden="true">P</span> Portico</div>
      <div class="card stack">
        <h1>Sign in to the admin console</h1>
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : null}
        <form @submit=${this.handleSubmit} aria-describedby="error">
          <div class="field">
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <div id="error" class="error" role="alert">${this.error}</div>
          <button class="primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy}>
            ${this.busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
      <p class="muted">Admins are created with <code>portico admin create</code>.</p>
    </main>`;
  }
}

customElements.define('admin-sign-in', AdminSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'admin-sign-in': AdminSignIn;
  }
}
