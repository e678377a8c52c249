// The connect flow: opening the popup, the two result channels, which messages count, exactly-once
// delivery, the blocked-popup fallback.
import { describe, it, afterEach } from './mocha.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  button,
  createSession,
  has,
  fake,
  mount,
  part,
  recordEvents,
  sleep,
  spyOnOpen,
  text,
  type Recorded,
  type Scenario,
  type TestSession,
} from './helpers.js';
import type { ConnectButton } from '../src/connect-button.js';

const flowOf = (url: string) => new URL(url).hash.match(/flow=([^&]+)/)![1];

/** Messages that reach this window with source 'portico', whoever sent them. */
function recordMessages() {
  const seen: MessageEvent[] = [];
  const listener = (e: MessageEvent) => e.data?.source === 'portico' && seen.push(e);
  window.addEventListener('message', listener);
  return seen;
}

describe('<connect-button> flow', () => {
  let spy: ReturnType<typeof spyOnOpen>;
  let session: TestSession;
  let el: ConnectButton;
  let events: Recorded[];

  async function start(scenario: Scenario, options: { blocked?: boolean } = {}) {
    session = await createSession(scenario);
    el = await mount(session);
    events = recordEvents();
    spy = spyOnOpen(options);
  }

  afterEach(() => spy?.restore());

  it('opens the popup synchronously in the click, centred, with the token only in the fragment', async () => {
    await start({ popup: { outcome: 'none' } });
    button(el).click();
    // No await between the click and this line: window.open ran inside the click handler.
    expect(spy.calls).to.have.length(1);
    const [{ url, name, features }] = spy.calls;
    const flowId = flowOf(url);
    expect(url).to.equal(`${session.server}/connect/popup/cx_1#token=${el.token}&flow=${flowId}`);
    expect(flowId).to.match(/^[0-9a-f]{24}$/);
    expect(name).to.equal('portico-connect');
    const width = 480;
    const height = 680;
    const left = Math.round(window.screenX + (window.outerWidth - width) / 2);
    const top = Math.round(window.screenY + (window.outerHeight - height) / 2);
    expect(features).to.equal(`popup,width=${width},height=${height},left=${left},top=${top}`);

    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connecting');
    expect(text(el, 'label')).to.equal('Connecting…');
    expect(text(el, 'status')).to.equal('Continue in the popup window.');
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    expect(has(el, 'spinner')).to.equal(true);
    await expect(el).to.be.accessible();

    // The popup page got the token and flow in its fragment, nothing in its query, and an opener.
    await waitUntil(async () => (await session.log()).some((e) => e.kind === 'popup'), 'popup loaded');
    const popupLog = (await session.log()).find((e) => e.kind === 'popup')!;
    expect(popupLog).to.include({ flowId, token: el.token, search: '', opener: true });

    // Clicking again while the popup is open focuses it instead of opening another one.
    button(el).click();
    expect(spy.calls).to.have.length(1);
  });

  it('opens with the keyboard (Enter on the focused button)', async () => {
    await start({ popup: { outcome: 'none' } });
    el.focus();
    await sendKeys({ press: 'Enter' });
    expect(spy.calls).to.have.length(1);
    expect(spy.opened).to.have.length(1);
  });

  it('uses a new flow id for every click', async () => {
    await start({ popup: { outcome: 'cancel' } });
    button(el).click();
    await waitUntil(() => events.length === 1, 'cancel');
    button(el).click();
    expect(spy.calls).to.have.length(2);
    expect(flowOf(spy.calls[0].url)).not.to.equal(flowOf(spy.calls[1].url));
  });

  it('success by postMessage: connect-success, then Connected from a fresh session', async () => {
    await start({ popup: { outcome: 'success', activationId: 'act_9' } });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-success');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-success', { connectionId: 'cx_1', activationId: 'act_9' }],
    ]);
    expect(events[0].bubbles && events[0].composed).to.equal(true);
    await waitUntil(
      async () => (await session.requests('/connect/session')).length === 2,
      're-fetched session',
    );
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connected');
    expect(text(el, 'label')).to.equal('Connected');
    expect(has(el, 'disconnect')).to.equal(true);
  });

  it('error by postMessage: connect-error with the code and message, state error', async () => {
    await start({
      popup: { outcome: 'error', error: { code: 'credentials_rejected', message: 'Bad key.' } },
    });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-error');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-error', { connectionId: 'cx_1', code: 'credentials_rejected', message: 'Bad key.' }],
    ]);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('error');
    expect(text(el, 'status')).to.equal('Bad key.');
    await expect(el).to.be.accessible();
  });

  it('cancel by postMessage: connect-cancel, back to idle', async () => {
    await start({ popup: { outcome: 'cancel' } });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-cancel');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-cancel', { connectionId: 'cx_1' }],
    ]);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('idle');
  });

  it('a popup closed without a result is a cancel, after one last look at the events', async () => {
    await start({ popup: { outcome: 'none', closeAfterMs: 3500 } });
    button(el).click();
    await waitUntil(() => spy.opened[0].closed, 'popup closed', { timeout: 6000 });
    const pollsAtClose = (await session.requests('/connect/session/events')).length;
    await waitUntil(() => events.length > 0, 'connect-cancel', { timeout: 4000 });
    expect(events.map((e) => e.type)).to.deep.equal(['connect-cancel']);
    expect((await session.requests('/connect/session/events')).length).to.be.greaterThan(pollsAtClose);
  });

  it('falls back to the events feed when no message arrives, from the session cursor on', async () => {
    await start({ seq: 41, popup: { outcome: 'success', channel: 'events', activationId: 'act_ev' } });
    const token = el.token;
    const messages = recordMessages();
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-success', { timeout: 5000 });
    expect(messages).to.have.length(0);
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-success', { connectionId: 'cx_1', activationId: 'act_ev' }],
    ]);
    const [firstPoll] = await session.requests('/connect/session/events');
    expect(firstPoll).to.include({ search: '?after=41', authorization: `Bearer ${token}` });
  });

  it('maps activation.failed and flow.cancelled from the events feed', async () => {
    await start({
      popup: { outcome: 'error', channel: 'events', error: { code: 'denied', message: 'No.' } },
    });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-error', { timeout: 5000 });
    expect(events[0].type).to.equal('connect-error');
    expect(events[0].detail).to.deep.equal({ connectionId: 'cx_1', code: 'denied', message: 'No.' });

    await session.update({ popup: { outcome: 'cancel', channel: 'events' } });
    button(el).click();
    await waitUntil(() => events.length > 1, 'connect-cancel', { timeout: 5000 });
    expect(events[1].type).to.equal('connect-cancel');
  });

  it('delivers exactly once when both channels carry the result', async () => {
    // The event is in the feed at once; the message follows 1.5 s later, after the poll has won.
    await start({ popup: { outcome: 'success', channel: 'both', messageDelayMs: 1500 } });
    const messages = recordMessages();
    button(el).click();
    await waitUntil(() => messages.length > 0, 'the late message', { timeout: 5000 });
    expect(messages[0].origin).to.equal(session.server);
    await sleep(1200);
    expect(events.map((e) => e.type)).to.deep.equal(['connect-success']);
  });

  it('delivers exactly once when the message wins and the event is also in the feed', async () => {
    await start({ popup: { outcome: 'success', channel: 'both' } });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-success');
    await sleep(2200);
    expect(events.map((e) => e.type)).to.deep.equal(['connect-success']);
  });

  it('delivers exactly once when the message arrives while a poll that carries the result is in flight', async () => {
    // Poll at ~1 s answers at ~2.5 s with the event; the message lands at ~1.3 s in between.
    await start({
      eventsDelayMs: 1500,
      popup: { outcome: 'success', channel: 'both', messageDelayMs: 1000 },
    });
    const messages = recordMessages();
    button(el).click();
    await waitUntil(() => messages.length > 0, 'message', { timeout: 5000 });
    await waitUntil(async () => (await session.requests('/connect/session/events')).length > 0, 'a poll');
    await sleep(2000);
    expect(events.map((e) => e.type)).to.deep.equal(['connect-success']);
  });

  it('stops polling once the flow has its result', async () => {
    // The message lands while the first poll is in flight; that poll comes back empty.
    await start({
      eventsDelayMs: 1500,
      popup: { outcome: 'success', channel: 'message', messageDelayMs: 1000 },
    });
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-success', { timeout: 5000 });
    await sleep(3500);
    expect(await session.requests('/connect/session/events')).to.have.length(1);
  });

  it('ignores lookalike messages from this page and from a frame on the server origin', async () => {
    await start({ popup: { outcome: 'none' } });
    button(el).click();
    const messages = recordMessages();
    const forged = {
      source: 'portico',
      type: 'connect:success',
      connectionId: 'cx_1',
      activationId: 'act_forged',
    };
    window.postMessage(forged, '*');
    // Right origin, wrong window: an iframe served by the Portico origin itself.
    await fixture(
      html`<iframe
        title="relay"
        src=${`${session.server}/__test/relay#${encodeURIComponent(JSON.stringify(forged))}`}
      ></iframe>`,
    );
    await waitUntil(() => messages.length === 2, 'both forged messages arrived');
    expect(messages.map((m) => m.origin)).to.have.members([location.origin, session.server]);
    await sleep(50);
    expect(events).to.have.length(0);
    expect(el.state).to.equal('connecting');

    // The real result still gets through.
    await session.addEvent({ type: 'activation.succeeded', connectionId: 'cx_1', activationId: 'act_real' });
    await waitUntil(() => events.length > 0, 'real result', { timeout: 5000 });
    expect(events[0].detail.activationId).to.equal('act_real');
  });

  it('ignores a message from the opened popup once it is on another origin', async () => {
    const { otherOrigin } = await fake();
    await start({ popup: { outcome: 'success', relayTo: `${otherOrigin}/__test/relay` } });
    const messages = recordMessages();
    button(el).click();
    await waitUntil(() => messages.length > 0, 'relayed message', { timeout: 5000 });
    expect(messages[0].origin).to.equal(otherOrigin);
    expect(messages[0].source === spy.opened[0]).to.equal(true);
    await sleep(50);
    expect(events).to.have.length(0);
    expect(el.state).to.equal('connecting');
  });

  it('ignores messages and events for another connection or another flow', async () => {
    await start({ popup: { outcome: 'none' } });
    button(el).click();
    const flowId = flowOf(spy.calls[0].url);
    await session.addEvent({
      type: 'activation.succeeded',
      connectionId: 'cx_other',
      flowId,
      activationId: 'a',
    });
    await session.addEvent({ type: 'activation.failed', connectionId: 'cx_1', flowId: 'another-flow' });
    await sleep(2300); // two polls
    expect(events).to.have.length(0);
    expect(el.state).to.equal('connecting');
    // An event without a flow id is this connection's result.
    await session.addEvent({ type: 'flow.cancelled', connectionId: 'cx_1' });
    await waitUntil(() => events.length > 0, 'cancel', { timeout: 5000 });
    expect(events.map((e) => e.type)).to.deep.equal(['connect-cancel']);
  });

  it('blocked popup: says so and offers a link that runs the same flow by polling', async () => {
    await start(
      { popup: { outcome: 'success', channel: 'events', activationId: 'act_link', closeAfterMs: 300 } },
      {
        blocked: true,
      },
    );
    button(el).click();
    await el.updateComplete;
    expect(spy.calls).to.have.length(1);
    expect(el.getAttribute('state')).to.equal('idle');
    expect(text(el, 'status')).to.equal('The popup window was blocked.');
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    const link = part<HTMLAnchorElement>(el, 'link')!;
    expect(link.href).to.equal(spy.calls[0].url);
    expect(link.target).to.equal('_blank');
    expect(text(el, 'link')).to.equal('Open it here');
    await expect(el).to.be.accessible();

    link.click();
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('connecting');
    expect(has(el, 'link')).to.equal(false);
    await waitUntil(() => events.length > 0, 'connect-success', { timeout: 6000 });
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([
      ['connect-success', { connectionId: 'cx_1', activationId: 'act_link' }],
    ]);
    const popupLog = (await session.log()).find((e) => e.kind === 'popup')!;
    expect(popupLog.flowId).to.equal(flowOf(spy.calls[0].url));
    expect(popupLog.opener).to.equal(false);
  });

  it('blocked popup in German', async () => {
    session = await createSession();
    el = await fixture<ConnectButton>(
      html`<connect-button lang="de" connection="cx_1" token=${session.token()}></connect-button>`,
    );
    await waitUntil(() => button(el).getAttribute('aria-busy') === 'false', 'loaded');
    spy = spyOnOpen({ blocked: true });
    button(el).click();
    await el.updateComplete;
    expect(text(el, 'status')).to.equal('Das Popup-Fenster wurde blockiert.');
    expect(text(el, 'link')).to.equal('Hier öffnen');
    await expect(el).to.be.accessible();
  });

  it('events are composed: they reach listeners outside an enclosing shadow root', async () => {
    session = await createSession({ popup: { outcome: 'cancel' } });
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<connect-button connection="cx_1" token="${session.token()}"></connect-button>`;
    el = root.querySelector('connect-button')!;
    await waitUntil(() => button(el)?.getAttribute('aria-busy') === 'false', 'loaded');
    events = recordEvents(document);
    spy = spyOnOpen();
    button(el).click();
    await waitUntil(() => events.length > 0, 'connect-cancel reached document');
    expect(events[0].type).to.equal('connect-cancel');
  });
});
