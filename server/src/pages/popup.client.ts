// The popup's script (served compiled at /connect/assets/popup.js). It reads the session token
// from the URL fragment and drops it from history at once, submits the credential form to the
// Connect API, and reports the outcome to the opener with postMessage — to the session's origin
// only — and to the server as a flow event, which is how the widget learns the result when the
// opener is cut off (Cross-Origin-Opener-Policy) or gone.

interface SessionInfo {
  origin: string;
  connections: { id: string; name: string }[];
}
type Outcome = 'success' | 'error' | 'cancel';

const main = document.querySelector('main')!;
const connectionId = main.dataset.connectionId ?? '';
const fragment = new URLSearchParams(location.hash.slice(1));
const token = fragment.get('token');
const flowId = fragment.get('flow') ?? undefined;
history.replaceState(null, '', location.pathname);

const form = document.querySelector<HTMLFormElement>('#connect-form');
const errorBox = document.querySelector<HTMLElement>('#error')!;
const submit = document.querySelector<HTMLButtonElement>('#submit');
let session: SessionInfo | undefined;
let outcome: Outcome | undefined;
/** Set while the popup goes to the provider's sign-in page: leaving then is not a cancel. */
let leavingForProvider = false;

async function api(method: string, path: string, body?: unknown, keepalive = false): Promise<Response> {
  return fetch(path, {
    method,
    keepalive,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

function showError(message: string): void {
  errorBox.textContent = message;
}

/** Tells the opener. Posting to an origin that is not the opener's is dropped by the browser. */
function report(type: Outcome, extra: Record<string, unknown> = {}): void {
  outcome = type;
  const message = {
    source: 'portico',
    type: `connect:${type}`,
    connectionId,
    ...(flowId ? { flowId } : {}),
    ...extra,
  };
  const targets = new Set([location.origin, ...(session ? [session.origin] : [])]);
  for (const target of targets) {
    try {
      window.opener?.postMessage(message, target);
    } catch {
      // The opener may be gone or cut off; the server-side flow event still carries the result.
    }
  }
}

function fail(code: string, message: string): void {
  showError(message);
  if (submit) submit.disabled = true;
  if (token && connectionId) {
    void api('POST', '/connect/session/events', {
      type: 'activation.failed',
      connectionId,
      flowId,
      error: { code, message },
    });
  }
  report('error', { error: { code, message } });
}

function cancel(): void {
  if (!outcome && token && connectionId) {
    void api('POST', '/connect/session/events', { type: 'flow.cancelled', connectionId, flowId }, true);
    report('cancel');
  }
  window.close();
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return {
      code: body.error?.code ?? 'error',
      message: body.error?.message ?? `Request failed (${res.status})`,
    };
  } catch {
    return { code: 'error', message: `Request failed (${res.status})` };
  }
}

function busy(on: boolean): void {
  if (!submit) return;
  submit.disabled = on;
  submit.setAttribute('aria-busy', String(on));
}

function finish(activationId: string, reveal?: string): void {
  report('success', { activationId });
  if (form) form.hidden = true;
  const done = document.querySelector<HTMLElement>('#done')!;
  done.hidden = false;
  if (reveal) {
    document.querySelector<HTMLElement>('#reveal')!.hidden = false;
    const field = document.querySelector<HTMLInputElement>('#revealed-secret')!;
    field.value = reveal;
    field.select();
    document
      .querySelector('#copy')
      ?.addEventListener('click', () => void navigator.clipboard?.writeText(reveal));
    document.querySelector('#finish')?.addEventListener('click', () => window.close());
  } else {
    setTimeout(() => window.close(), 800);
  }
}

async function submitForm(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  showError('');
  busy(true);
  try {
    if (main.dataset.kind === 'redirect') {
      const res = await api('POST', '/connect/oauth/start', { connectionId, flowId });
      if (!res.ok) {
        const err = await errorOf(res);
        return res.status === 401 ? fail(err.code, err.message) : showError(err.message);
      }
      const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
      leavingForProvider = true;
      location.assign(authorizeUrl);
      return;
    }
    const credentials: Record<string, string> = {};
    for (const [name, value] of new FormData(form!)) credentials[name] = String(value);
    const res = await api('POST', '/connect/activations', { connectionId, credentials, flowId });
    if (res.status === 201) {
      const body = (await res.json()) as { activationId: string; secret?: string };
      finish(body.activationId, body.secret);
      return;
    }
    const err = await errorOf(res);
    // 401: the session is over, retrying cannot help. Anything else: let the user correct the input.
    if (res.status === 401) fail(err.code, err.message);
    else showError(err.message);
  } catch {
    showError('Could not reach the server. Check your connection and try again.');
  } finally {
    busy(false);
  }
}

async function start(): Promise<void> {
  document.querySelector('#cancel')?.addEventListener('click', cancel);
  // The widget reuses its named window: a second flow changes only the fragment, which does not
  // reload the page. Reload, so the new token and flow are read afresh.
  window.addEventListener('hashchange', () => location.reload());
  window.addEventListener('pagehide', () => {
    if (!outcome && !leavingForProvider && token && connectionId) {
      void api('POST', '/connect/session/events', { type: 'flow.cancelled', connectionId, flowId }, true);
      report('cancel');
    }
  });
  if (main.dataset.kind === 'unavailable') return;
  if (!token)
    return fail(
      'missing_token',
      'This window was opened without a session. Close it and try again from the app.',
    );
  busy(true);
  const res = await api('GET', '/connect/session').catch(() => undefined);
  if (!res?.ok) {
    const err = res ? await errorOf(res) : { code: 'network_error', message: 'Could not reach the server.' };
    return fail(err.code, err.message);
  }
  session = (await res.json()) as SessionInfo;
  if (!session.connections.some((c) => c.id === connectionId)) {
    return fail('not_found', 'This connection is not part of your session. Close this window and try again.');
  }
  busy(false);
  form?.addEventListener('submit', (e) => void submitForm(e));
  form?.querySelector<HTMLInputElement>('input')?.focus();
}

void start();
