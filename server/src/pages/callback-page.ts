import type { CallbackOutcome } from '../domain/oauth-flow.js';
import { html, page } from './html.js';

/**
 * Where the provider sends the popup back. The page carries the outcome in data attributes (no
 * token, no secret) for its script to post to the opener, then closes.
 */
export function callbackPage(o: CallbackOutcome): string {
  const body = html`<main
    class="card"
    data-kind="callback"
    data-result="${o.ok ? 'success' : 'error'}"
    data-origin="${o.origin ?? ''}"
    data-connection-id="${o.connectionId ?? ''}"
    data-activation-id="${o.ok ? o.activationId : ''}"
    data-flow-id="${o.flowId ?? ''}"
    data-code="${o.ok ? '' : o.code}"
  >
    <h1>${o.ok ? 'Connected' : 'Could not connect'}</h1>
    ${
      o.ok
        ? html`<p class="status" role="status">You can close this window.</p>`
        : html`<div id="error" class="error" role="alert">${o.message}</div>`
    }
    <div class="actions"><button type="button" id="close">Close</button></div>
  </main>`;
  return page(o.ok ? 'Connected' : 'Could not connect', body, 'callback.js');
}
