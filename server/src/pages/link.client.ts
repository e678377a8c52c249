// The connect-link page's script (served compiled at /connect/assets/link.js): reads the token
// from the fragment, drops it from history, and renders one <connect-button> per connection.

interface SessionInfo {
  user: { externalId: string; displayName: string | null; email: string | null };
  connections: { id: string; name: string; connector: { name: string } }[];
}

const token = new URLSearchParams(location.hash.slice(1)).get('token');
history.replaceState(null, '', location.pathname);
const errorBox = document.querySelector<HTMLElement>('#error')!;
const list = document.querySelector<HTMLUListElement>('#connections')!;

async function start(): Promise<void> {
  // Served by this same server; a variable keeps bundlers and tsc from resolving it at build time.
  const widget = '/widget/connect-button.js';
  await import(widget);
  if (!token) {
    errorBox.textContent = 'This link is incomplete. Ask for a new one.';
    return;
  }
  const res = await fetch('/connect/session', { headers: { authorization: `Bearer ${token}` } }).catch(
    () => undefined,
  );
  if (!res?.ok) {
    errorBox.textContent =
      res?.status === 401
        ? 'This link has expired. Ask for a new one.'
        : 'Could not load your connections. Try again later.';
    return;
  }
  const session = (await res.json()) as SessionInfo;
  const who = session.user.displayName ?? session.user.email ?? session.user.externalId;
  document.querySelector('#who')!.textContent = `Signed in as ${who}`;
  for (const c of session.connections) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = `${c.connector.name} — ${c.name}`;
    const button = document.createElement('connect-button');
    button.setAttribute('connection', c.id);
    button.setAttribute('token', token);
    button.setAttribute('server', location.origin);
    button.setAttribute('label', `Connect ${c.connector.name}`);
    item.append(label, button);
    list.append(item);
  }
}

void start();
