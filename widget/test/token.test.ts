// Where the session token comes from: the `token` attribute, the `tokenProvider` when the token is
// missing, expired, about to expire or rejected by the server.
import { describe, it, beforeEach, afterEach } from './mocha.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ConnectButton } from '../src/connect-button.js';
import { button, createSession, ready, recordEvents, sleep, spyOnOpen, text } from './helpers.js';

/** A tokenProvider that hands out `next()` and counts its calls. */
function provider(next: () => string) {
  const calls: string[] = [];
  const fn = async () => {
    const token = next();
    calls.push(token);
    return token;
  };
  return { fn, calls };
}

async function mountWith(tokenProvider: () => Promise<string>, token?: string) {
  const el = await fixture<ConnectButton>(
    html`<connect-button
      connection="cx_1"
      token=${ifDefined(token)}
      .tokenProvider=${tokenProvider}
    ></connect-button>`,
  );
  return el;
}

describe('<connect-button> tokens', () => {
  let spy: ReturnType<typeof spyOnOpen>;
  beforeEach(() => {
    spy = spyOnOpen();
  });
  afterEach(() => spy.restore());

  it('asks the tokenProvider when there is no token, and uses its token', async () => {
    const session = await createSession();
    const p = provider(() => session.token());
    const el = await mountWith(p.fn);
    await ready(el);
    expect(p.calls).to.have.length(1);
    const [request] = await session.requests('/connect/session');
    expect(request.authorization).to.equal(`Bearer ${p.calls[0]}`);
    // The popup gets the provider's token too.
    button(el).click();
    expect(spy.calls[0].url).to.contain(`#token=${p.calls[0]}&flow=`);
  });

  it('reads iss and exp from tokens with non-ASCII claims', async () => {
    const session = await createSession();
    const el = await fixture<ConnectButton>(
      html`<connect-button
        connection="cx_1"
        token=${session.token({ sub: 'Zoë 🚀 ünïcode' })}
      ></connect-button>`,
    );
    await ready(el);
    expect(el.state).to.equal('idle');
    expect(await session.requests('/connect/session')).to.have.length(1);
  });

  it('asks the tokenProvider instead of sending an expired token', async () => {
    const session = await createSession();
    const expired = session.token({ expiresIn: -30 });
    const p = provider(() => session.token());
    const el = await mountWith(p.fn, expired);
    await ready(el);
    expect(p.calls).to.have.length(1);
    const auths = (await session.log()).map((e) => e.authorization).filter(Boolean);
    expect(auths).to.deep.equal([`Bearer ${p.calls[0]}`]);
    expect(el.state).to.equal('idle');
  });

  it('treats a token within 10 s of its expiry as expired', async () => {
    const session = await createSession();
    const p = provider(() => session.token());
    const el = await mountWith(p.fn, session.token({ expiresIn: 5 }));
    await ready(el);
    expect(p.calls).to.have.length(1);
  });

  it('retries once with a new token when the server answers 401', async () => {
    const session = await createSession({ revoked: ['old'] });
    const p = provider(() => session.token());
    const el = await mountWith(p.fn, session.token({ jti: 'old' }));
    await ready(el);
    expect(p.calls).to.have.length(1);
    const requests = await session.requests('/connect/session');
    expect(requests).to.have.length(2);
    expect(requests[1].authorization).to.equal(`Bearer ${p.calls[0]}`);
    expect(el.state).to.equal('idle');
  });

  it('reports a 401 that persists after the retry as a connect-error', async () => {
    const session = await createSession({ revoked: ['old', 'new'] });
    const events = recordEvents();
    const p = provider(() => session.token({ jti: 'new' }));
    const el = await mountWith(p.fn, session.token({ jti: 'old' }));
    await waitUntil(() => el.state === 'error', 'error state');
    expect(p.calls).to.have.length(1);
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      [
        'connect-error',
        { connectionId: 'cx_1', code: 'session_revoked', message: 'The session was revoked.' },
      ],
    ]);
  });

  it('reports a failing tokenProvider as token_unavailable', async () => {
    const session = await createSession();
    const events = recordEvents();
    const el = await mountWith(() => Promise.reject(new Error('backend down')));
    await waitUntil(() => el.state === 'error', 'error state');
    expect(events[0].detail).to.deep.equal({ connectionId: 'cx_1', code: 'token_unavailable', message: '' });
    expect(await session.log()).to.have.length(0);
  });

  it('without a provider, an expired token is the server’s 401 and no popup opens', async () => {
    const session = await createSession();
    const events = recordEvents();
    const el = await fixture<ConnectButton>(
      html`<connect-button connection="cx_1" token=${session.token({ expiresIn: -30 })}></connect-button>`,
    );
    await waitUntil(() => el.state === 'error', 'error state');
    expect(events[0].detail.code).to.equal('session_expired');
    expect(text(el, 'status')).to.equal('The session has expired. Reload the page.');
    button(el).click();
    await waitUntil(() => events.length === 2, 'second error');
    expect(spy.calls).to.have.length(0);
  });

  it('a click with a token that went stale fetches a new one (busy) instead of opening', async () => {
    const session = await createSession();
    const p = provider(() => session.token());
    // Fresh for ~1.5 s more (10 s margin), too short-lived for the automatic refresh.
    const el = await mountWith(p.fn, session.token({ expiresIn: 12 }));
    await ready(el);
    expect(p.calls).to.have.length(0);
    await sleep(2200);
    button(el).click();
    expect(spy.calls).to.have.length(0);
    await el.updateComplete;
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    await ready(el);
    expect(p.calls).to.have.length(1);
    button(el).click();
    expect(spy.calls).to.have.length(1);
    expect(spy.calls[0].url).to.contain(`#token=${p.calls[0]}&flow=`);
  });

  it('polls for a flow with the token its popup got, even after the provider renewed it', async () => {
    const session = await createSession({
      popup: { outcome: 'success', channel: 'events', outcomeDelayMs: 2500, activationId: 'act_slow' },
    });
    const events = recordEvents();
    const p = provider(() => session.token());
    const first = session.token({ expiresIn: 21.5 }); // renewed ~1.5 s from now
    const el = await mountWith(p.fn, first);
    await ready(el);
    button(el).click();
    await waitUntil(() => p.calls.length === 1, 'renewed', { timeout: 4000 });
    await waitUntil(() => events.length > 0, 'connect-success', { timeout: 6000 });
    expect(events[0].detail).to.deep.equal({ connectionId: 'cx_1', activationId: 'act_slow' });
    const polls = await session.requests('/connect/session/events');
    expect(polls.every((poll) => poll.authorization === `Bearer ${first}`)).to.equal(true);
  });

  it('renews a provider token before it expires, so that a click always has one', async () => {
    const session = await createSession();
    const p = provider(() => session.token());
    // Expires in 21.5 s: the renewal is due 20 s before, i.e. in about 1.5 s.
    const el = await mountWith(p.fn, session.token({ expiresIn: 21.5 }));
    await ready(el);
    expect(p.calls).to.have.length(0);
    await waitUntil(() => p.calls.length === 1, 'renewed', { timeout: 4000 });
    button(el).click();
    expect(spy.calls[0].url).to.contain(`#token=${p.calls[0]}&flow=`);
  });
});
