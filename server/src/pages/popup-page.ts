import type { FormField } from '../auth-types/types.js';
import { html, page, type SafeHtml } from './html.js';

export interface PopupModel {
  connectionId: string;
  connectionName: string;
  connectorName: string;
  vendorName: string;
  authType: string;
  kind: 'form' | 'redirect';
  fields: FormField[];
}

const SHARED: Record<string, string> = {
  'api-key': 'your API key',
  basic: 'your username and password',
  hmac: 'a webhook signing secret',
  oauth2: 'access to your account',
  oauth1: 'access to your account',
  none: 'no credentials — this only confirms the connection',
};

/** The popup for one connection (SPEC §5a): one form, labelled fields, errors in role="alert". */
export function popupPage(m: PopupModel): string {
  const body = html`<main
    class="card"
    data-connection-id="${m.connectionId}"
    data-kind="${m.kind}"
    data-auth-type="${m.authType}"
  >
    <header>
      <p class="eyebrow">${m.vendorName}</p>
      <h1>Connect ${m.connectorName}</h1>
      <p class="sub">${m.connectionName}</p>
    </header>
    <p class="explain">
      ${m.vendorName} is asking for ${SHARED[m.authType] ?? 'your credentials'} to use ${m.connectorName} on
      your behalf.
      ${m.authType === 'none' ? '' : 'Portico stores it encrypted; you can disconnect at any time.'}
    </p>
    ${m.kind === 'form' ? form(m) : redirecting(m)}
    <section id="done" class="done" hidden>
      <h2 id="done-title">Connected</h2>
      <div id="reveal" hidden>
        <p>Your webhook signing secret. Copy it now: it is shown only once.</p>
        <label for="revealed-secret">Signing secret</label>
        <input id="revealed-secret" readonly />
        <div class="actions">
          <button type="button" id="copy" class="secondary">Copy</button>
          <button type="button" id="finish">Done</button>
        </div>
      </div>
    </section>
  </main>`;
  return page(`Connect ${m.connectorName}`, body, 'popup.js');
}

function form(m: PopupModel): SafeHtml {
  return html`<form id="connect-form">
    ${m.fields.map(
      (f) =>
        html`<div class="field">
          <label for="f-${f.name}">${f.label}${f.required ? '' : ' (optional)'}</label>
          <input
            id="f-${f.name}"
            name="${f.name}"
            type="${f.type}"
            ${f.required ? html`required` : ''}
            autocomplete="${f.autocomplete ?? 'off'}"
            ${f.hint ? html`aria-describedby="f-${f.name}-hint"` : ''}
          />
          ${f.hint ? html`<p class="hint" id="f-${f.name}-hint">${f.hint}</p>` : ''}
        </div>`,
    )}
    <div id="error" class="error" role="alert"></div>
    <div class="actions">
      <button type="button" id="cancel" class="secondary">Cancel</button>
      <button type="submit" id="submit">Connect</button>
    </div>
  </form>`;
}

function redirecting(m: PopupModel): SafeHtml {
  return html`<form id="connect-form">
    <p class="status" id="status" aria-live="polite">Taking you to ${m.connectorName} to sign in…</p>
    <div id="error" class="error" role="alert"></div>
    <div class="actions">
      <button type="button" id="cancel" class="secondary">Cancel</button>
      <button type="submit" id="submit">Continue to ${m.connectorName}</button>
    </div>
  </form>`;
}

/** Shown when the connection id does not name an embedded connection. */
export function unavailablePage(): string {
  return page(
    'Connection unavailable',
    html`<main class="card" data-kind="unavailable">
      <h1>This connection is not available</h1>
      <div id="error" class="error" role="alert">Close this window and try again from the app.</div>
      <div class="actions"><button type="button" id="cancel" class="secondary">Close</button></div>
    </main>`,
    'popup.js',
  );
}
