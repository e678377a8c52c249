import { html, page } from './html.js';

/**
 * The hosted "connect link" (SPEC §5): a page a vendor can email to a user who has no web app
 * open. The token arrives in the fragment; the page lists the session's connections, each with
 * a `<connect-button>`.
 */
export function linkPage(): string {
  return page(
    'Connect your accounts',
    html`<main class="card" data-kind="link">
      <h1>Connect your accounts</h1>
      <p class="sub" id="who"></p>
      <div id="error" class="error" role="alert"></div>
      <ul class="connections" id="connections" aria-label="Connections"></ul>
    </main>`,
    'link.js',
  );
}

/** `/` when the demo is off. */
export function landingPage(): string {
  return page(
    'Portico',
    html`<main class="card" data-kind="landing">
      <h1>Portico is running</h1>
      <p class="explain">Embedded connections for your product.</p>
      <ul>
        <li><a href="/admin">Admin console</a></li>
        <li><a href="/api/openapi.json">API (OpenAPI document)</a></li>
        <li><a href="/healthz">Health</a></li>
      </ul>
    </main>`,
    null,
  );
}
