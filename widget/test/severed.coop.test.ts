// This page is served with Cross-Origin-Opener-Policy: same-origin (see web-test-runner.config.js),
// like a vendor app that isolates itself: the popup on Portico's origin loses window.opener and our
// handle reports `closed` as soon as its page commits, although the user is still in it. The result
// must come from the events feed, and the early "close" must not count as a cancel.
import { describe, it, afterEach } from './mocha.js';
import { expect, waitUntil } from '@open-wc/testing';
import { button, createSession, mount, recordEvents, sleep, spyOnOpen } from './helpers.js';

describe('<connect-button> on a page with COOP: same-origin', () => {
  let spy: ReturnType<typeof spyOnOpen>;
  afterEach(() => spy.restore());

  it('gets the result from the events feed, exactly once', async () => {
    const session = await createSession({
      popup: { outcome: 'success', channel: 'both', activationId: 'act_coop' },
    });
    const el = await mount(session);
    const events = recordEvents();
    const messages: MessageEvent[] = [];
    window.addEventListener('message', (e) => messages.push(e));
    spy = spyOnOpen();
    button(el).click();
    await waitUntil(() => spy.opened[0].closed, 'severed handle reports closed', { timeout: 3000 });
    await waitUntil(() => events.length > 0, 'connect-success', { timeout: 6000 });
    await sleep(1200);
    expect(messages).to.have.length(0);
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-success', { connectionId: 'cx_1', activationId: 'act_coop' }],
    ]);
    await waitUntil(() => el.state === 'connected', 'connected');
  });

  it('keeps waiting while the severed popup is still in use, instead of reporting a cancel', async () => {
    const session = await createSession({ popup: { outcome: 'none' } });
    const el = await mount(session);
    const events = recordEvents();
    spy = spyOnOpen();
    button(el).click();
    await waitUntil(() => spy.opened[0].closed, 'severed handle reports closed', { timeout: 3000 });
    await sleep(4500);
    expect(events).to.have.length(0);
    expect(el.state).to.equal('connecting');
    // The user cancels in the popup; the server records it.
    await session.addEvent({ type: 'flow.cancelled', connectionId: 'cx_1' });
    await waitUntil(() => events.length > 0, 'connect-cancel', { timeout: 3000 });
    expect(events.map((e) => e.type)).to.deep.equal(['connect-cancel']);
    expect(el.state).to.equal('idle');
  });
});
