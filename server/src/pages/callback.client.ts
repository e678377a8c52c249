// The OAuth callback page's script (served compiled at /connect/assets/callback.js): posts the
// outcome to the opener — the session's origin and Portico's own (the connect-link page) — and
// closes. The server has already recorded the same outcome as a flow event.
const main = document.querySelector('main')!;
const d = main.dataset;
const success = d.result === 'success';
const message = {
  source: 'portico',
  type: success ? 'connect:success' : 'connect:error',
  connectionId: d.connectionId,
  ...(d.flowId ? { flowId: d.flowId } : {}),
  ...(success
    ? { activationId: d.activationId }
    : { error: { code: d.code, message: document.querySelector('#error')?.textContent ?? '' } }),
};
for (const target of new Set([location.origin, ...(d.origin ? [d.origin] : [])])) {
  try {
    window.opener?.postMessage(message, target);
  } catch {
    // No opener (or cut off): the widget reads the flow event instead.
  }
}
document.querySelector('#close')?.addEventListener('click', () => window.close());
if (success) setTimeout(() => window.close(), 600);
