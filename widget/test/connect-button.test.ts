// States, rendering, accessibility, texts and Disconnect of <connect-button>.
import { describe, it, beforeEach, afterEach } from './mocha.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { ConnectButton } from '../src/connect-button.js';
import {
  button,
  connection,
  createSession,
  has,
  mount,
  part,
  ready,
  recordEvents,
  spyOnOpen,
  text,
  type TestSession,
} from './helpers.js';

describe('<connect-button> states', () => {
  let session: TestSession;
  let spy: ReturnType<typeof spyOnOpen>;
  beforeEach(() => {
    spy = spyOnOpen();
  });
  afterEach(async () => {
    spy.restore();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is registered and typed as connect-button', () => {
    const el = document.createElement('connect-button');
    expect(el instanceof customElements.get('connect-button')!).to.equal(true);
  });

  it('waits with a busy, inert button while it has no token', async () => {
    session = await createSession();
    const el = await fixture<ConnectButton>(html`<connect-button connection="cx_1"></connect-button>`);
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    expect(button(el).getAttribute('aria-disabled')).to.equal('true');
    expect(has(el, 'spinner')).to.equal(true);
    expect(el.getAttribute('state')).to.equal('idle');
    button(el).click();
    expect(spy.calls).to.have.length(0);
    await expect(el).to.be.accessible();

    // Setting the token later loads the session.
    el.token = session.token();
    await ready(el);
    expect(has(el, 'spinner')).to.equal(false);
    expect(text(el, 'label')).to.equal('Connect');
  });

  it('idle: fetches the session with the token in the Authorization header only', async () => {
    session = await createSession();
    const token = session.token();
    const el = await mount(session, token);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(text(el, 'label')).to.equal('Connect');
    expect(text(el, 'status')).to.equal('');
    expect(button(el).getAttribute('aria-disabled')).to.equal('false');
    expect(button(el).tagName).to.equal('BUTTON');
    const [request] = await session.requests('/connect/session');
    expect(request.authorization).to.equal(`Bearer ${token}`);
    expect(request.search).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('uses the label attribute for the idle button', async () => {
    session = await createSession();
    const el = await fixture<ConnectButton>(
      html`<connect-button connection="cx_1" label="Link GitHub" token=${session.token()}></connect-button>`,
    );
    await ready(el);
    expect(text(el, 'label')).to.equal('Link GitHub');
  });

  it('connected: says Connected, offers Disconnect and announces the state', async () => {
    session = await createSession({ connections: [connection('active', 'act_1')] });
    const el = await mount(session);
    expect(el.getAttribute('state')).to.equal('connected');
    expect(text(el, 'label')).to.equal('Connected');
    expect(text(el, 'disconnect')).to.equal('Disconnect');
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    expect(text(el, 'status')).to.equal('Connected');
    // A click on "Connected" does nothing.
    button(el).click();
    expect(spy.calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('needs_reauth: offers Reconnect', async () => {
    session = await createSession({ connections: [connection('needs_reauth', 'act_1')] });
    const el = await mount(session);
    expect(el.state).to.equal('idle');
    expect(text(el, 'label')).to.equal('Reconnect');
    expect(text(el, 'status')).to.equal('Access has expired.');
    await expect(el).to.be.accessible();
  });

  it('error: a failing session load sets state error, shows and emits the server error', async () => {
    session = await createSession({
      sessionFailures: [{ status: 500, code: 'internal', message: 'Something broke.' }],
    });
    const events = recordEvents();
    const el = await fixture<ConnectButton>(
      html`<connect-button connection="cx_1" token=${session.token()}></connect-button>`,
    );
    await waitUntil(() => el.state === 'error', 'error state');
    expect(el.getAttribute('state')).to.equal('error');
    expect(text(el, 'label')).to.equal('Try again');
    expect(text(el, 'status')).to.equal('Something broke.');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-error', { connectionId: 'cx_1', code: 'internal', message: 'Something broke.' }],
    ]);
    await expect(el).to.be.accessible();

    // "Try again" reloads the session (the fake answers normally now) without opening a popup.
    button(el).click();
    await waitUntil(() => el.state === 'idle', 'recovered');
    expect(spy.calls).to.have.length(0);
    expect(await session.requests('/connect/session')).to.have.length(2);
  });

  it('error: a connection outside the session is reported with a stable code', async () => {
    session = await createSession({ connections: [] });
    const events = recordEvents();
    const el = await fixture<ConnectButton>(
      html`<connect-button connection="cx_1" token=${session.token()}></connect-button>`,
    );
    await waitUntil(() => el.state === 'error', 'error state');
    expect(events[0].detail).to.deep.equal({
      connectionId: 'cx_1',
      code: 'connection_not_in_session',
      message: '',
    });
    expect(text(el, 'status')).to.equal('The connection failed.');
  });

  it('error: an unreachable server is a network_error', async () => {
    session = await createSession();
    const events = recordEvents();
    const el = await fixture<ConnectButton>(
      html`<connect-button
        connection="cx_1"
        server="http://127.0.0.1:9"
        token=${session.token()}
      ></connect-button>`,
    );
    await waitUntil(() => el.state === 'error', 'error state', { timeout: 5000 });
    expect(events[0].detail.code).to.equal('network_error');
    expect(text(el, 'status')).to.equal('The server cannot be reached.');
  });

  it('server overrides the token issuer (trailing slash allowed)', async () => {
    session = await createSession();
    const token = session.token({ iss: 'http://127.0.0.1:9' });
    const el = await fixture<ConnectButton>(
      html`<connect-button connection="cx_1" server=${`${session.server}/`} token=${token}></connect-button>`,
    );
    await ready(el);
    expect(el.state).to.equal('idle');
    expect(await session.requests('/connect/session')).to.have.length(1);
  });

  it('disabled: a disabled native button that opens nothing', async () => {
    session = await createSession();
    const el = await mount(session);
    el.disabled = true;
    await el.updateComplete;
    expect(button(el).disabled).to.equal(true);
    el.shadowRoot!.querySelector('button')!.dispatchEvent(new MouseEvent('click'));
    expect(spy.calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('delegates focus to the inner button', async () => {
    session = await createSession();
    const el = await mount(session);
    el.focus();
    expect(el.shadowRoot!.activeElement === button(el)).to.equal(true);
  });

  it('is accessible in dark mode, with its own colours', async () => {
    session = await createSession({ connections: [connection('active', 'act_1')] });
    const el = await mount(session);
    const light = getComputedStyle(button(el)).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(button(el)).backgroundColor).not.to.equal(light);
    await expect(el).to.be.accessible();
  });

  it('takes colours and shape from --connect-button-* properties', async () => {
    session = await createSession();
    const el = await mount(session);
    el.style.setProperty('--connect-button-background', 'rgb(1, 2, 3)');
    el.style.setProperty('--connect-button-color', 'rgb(250, 250, 250)');
    el.style.setProperty('--connect-button-radius', '7px');
    const style = getComputedStyle(button(el));
    expect(style.backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(style.color).to.equal('rgb(250, 250, 250)');
    expect(style.borderTopLeftRadius).to.equal('7px');
  });
});

describe('<connect-button> languages', () => {
  it('speaks German with lang="de"', async () => {
    const session = await createSession({ connections: [connection('active', 'act_1')] });
    const el = await fixture<ConnectButton>(
      html`<connect-button lang="de" connection="cx_1" token=${session.token()}></connect-button>`,
    );
    await ready(el);
    expect(text(el, 'label')).to.equal('Verbunden');
    expect(text(el, 'disconnect')).to.equal('Trennen');
    await expect(el).to.be.accessible();
  });

  it('inherits the language of an ancestor and follows lang changes', async () => {
    const session = await createSession();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="de-CH">
        <connect-button connection="cx_1" token=${session.token()}></connect-button>
      </div>`,
    );
    const el = wrapper.querySelector('connect-button')!;
    await ready(el);
    expect(text(el, 'label')).to.equal('Verbinden');
    el.lang = 'en';
    await el.updateComplete;
    expect(el.getAttribute('lang')).to.equal('en');
    expect(text(el, 'label')).to.equal('Connect');
  });

  it('translates widget errors', async () => {
    const session = await createSession();
    const el = await fixture<ConnectButton>(
      html`<connect-button
        lang="de"
        connection="cx_1"
        token=${session.token({ expiresIn: -60 })}
      ></connect-button>`,
    );
    await waitUntil(() => el.state === 'error', 'error state');
    expect(text(el, 'label')).to.equal('Erneut versuchen');
    expect(text(el, 'status')).to.equal('Die Sitzung ist abgelaufen. Bitte Seite neu laden.');
  });
});

describe('<connect-button> disconnect', () => {
  it('revokes the activation, returns to idle, emits connect-disconnect and keeps focus', async () => {
    const session = await createSession({ connections: [connection('active', 'act_7')] });
    const token = session.token();
    const el = await mount(session, token);
    const events = recordEvents();
    part<HTMLButtonElement>(el, 'disconnect')!.click();
    await waitUntil(() => events.length > 0, 'connect-disconnect');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-disconnect', { connectionId: 'cx_1', activationId: 'act_7' }],
    ]);
    expect(el.getAttribute('state')).to.equal('idle');
    expect(text(el, 'label')).to.equal('Connect');
    expect(has(el, 'disconnect')).to.equal(false);
    const [request] = await session.requests('/connect/activations/act_7');
    expect(request).to.include({ method: 'DELETE', authorization: `Bearer ${token}`, search: '' });
    expect((await session.connections())[0].status).to.equal('inactive');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement === button(el)).to.equal(true);
  });

  it('reports a failed disconnect as an error and stays recoverable', async () => {
    const session = await createSession({
      connections: [connection('active', 'act_7')],
      deleteFailure: { status: 403, code: 'forbidden' },
    });
    const el = await mount(session);
    const events = recordEvents();
    part<HTMLButtonElement>(el, 'disconnect')!.click();
    await waitUntil(() => el.state === 'error', 'error state');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-error', { connectionId: 'cx_1', code: 'forbidden', message: 'No.' }],
    ]);
    button(el).click();
    await waitUntil(() => el.state === 'connected', 'connected again');
  });
});
