// "Acme CRM"'s page script: gives every <connect-button> a token provider backed by the vendor
// backend, and after a connection shows a live call made through Portico's proxy.
interface CallResult {
  request: string;
  via?: string;
  status: number;
  ms?: number;
  body: unknown;
}

const tokenProvider = async (): Promise<string> => {
  const res = await fetch('/demo/api/session', { method: 'POST' });
  if (!res.ok) throw new Error(`Could not start a session (${res.status})`);
  return ((await res.json()) as { token: string }).token;
};

function show(card: HTMLElement, title: string, result: CallResult | string, ok = true): void {
  const box = card.querySelector<HTMLElement>('.result')!;
  box.replaceChildren();
  const heading = document.createElement('p');
  heading.className = ok ? 'ok' : 'bad';
  heading.textContent = title;
  box.append(heading);
  if (typeof result !== 'string') {
    const pre = document.createElement('pre');
    pre.textContent = `${result.request} → ${result.status}${result.ms !== undefined ? ` in ${result.ms} ms` : ''}\n${result.via ? `via ${result.via}\n` : ''}${JSON.stringify(result.body, null, 2)}`;
    box.append(pre);
  }
}

async function call(card: HTMLElement): Promise<void> {
  const id = card.dataset.connectionId!;
  if (card.dataset.kind === 'hmac') {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Send a test webhook';
    button.addEventListener('click', async () => {
      const res = await fetch(`/demo/api/webhook/${id}`, { method: 'POST' });
      const result = (await res.json()) as CallResult;
      show(
        card,
        result.status === 202
          ? 'Signature verified by Portico; webhook.received queued for Acme'
          : 'Webhook refused',
        result,
        result.status === 202,
      );
    });
    card.querySelector('.result')!.replaceChildren(button);
    return;
  }
  if (!card.dataset.call) return;
  const res = await fetch(`/demo/api/call/${id}`);
  const result = (await res.json()) as CallResult;
  show(
    card,
    res.ok && result.status < 400 ? 'Live call through the proxy, with your credentials' : 'The call failed',
    result,
    res.ok && result.status < 400,
  );
}

// Properties set before the element is defined are kept by Lit when it upgrades.
for (const card of document.querySelectorAll<HTMLElement>('.card')) {
  const button = card.querySelector('connect-button') as HTMLElement & {
    tokenProvider?: () => Promise<string>;
  };
  button.tokenProvider = tokenProvider;
  button.addEventListener('connect-success', () => void call(card));
  button.addEventListener('connect-disconnect', () => card.querySelector('.result')!.replaceChildren());
  button.addEventListener('connect-error', (e) =>
    show(card, `Could not connect: ${(e as CustomEvent<{ message: string }>).detail.message}`, '', false),
  );
  // Already connected (a reload): show the live call straight away.
  customElements.whenDefined('connect-button').then(() => {
    const observer = new MutationObserver(() => {
      if (button.getAttribute('state') === 'connected' && !card.querySelector('.result')!.hasChildNodes())
        void call(card);
    });
    observer.observe(button, { attributes: true, attributeFilter: ['state'] });
  });
}

const widget = '/widget/connect-button.js';
await import(widget);
