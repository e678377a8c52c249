// One connect attempt, from the opened popup to its single result. The result can travel two ways:
// a postMessage from the popup, or the session's event feed on the server (SPEC §5), which still
// works when Cross-Origin-Opener-Policy has cut the popup off from this page. Whichever arrives
// first wins; everything after it is ignored, so the element reports each flow exactly once.

import type { ApiError, FlowEvent } from './session-client.js';

export interface FlowResult {
  type: 'success' | 'error' | 'cancel';
  activationId?: string;
  error?: ApiError;
}

export interface FlowOptions {
  /** The window opened for this flow; null when it runs in a tab this page holds no handle to. */
  popup: Window | null;
  /** The server's origin: the only one a result message may come from. */
  origin: string;
  connectionId: string;
  flowId: string;
  /** When to give up (ms since epoch) if only polling is left: the flow's token is useless after it. */
  until: number;
  /** Events after the caller's cursor (which it advances); undefined when the request failed. */
  poll: () => Promise<FlowEvent[] | undefined>;
  settle: (result: FlowResult) => void;
}

/** Stops the flow; with a result, reports it first (unless the flow has already settled). */
export type StopFlow = (result?: FlowResult) => void;

const POLL_MS = 1000;
// COOP severs the popup when its first page commits, which makes the handle report `closed` while
// the user is still in there. A handle that closes this early, or while the popup (not this page)
// has focus, is treated as severed; only a later close with focus back here is the user's "cancel".
const SEVER_MS = 3000;

const KINDS: Record<string, FlowResult['type']> = {
  'connect:success': 'success',
  'activation.succeeded': 'success',
  'connect:error': 'error',
  'activation.failed': 'error',
  'connect:cancel': 'cancel',
  'flow.cancelled': 'cancel',
};

/** A random id that tells this click's flow apart from any other in the same session. */
export function newFlowId(): string {
  // getRandomValues, unlike randomUUID, also exists on plain-http pages (vendors' dev setups).
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/** Watches both channels until one of them carries this flow's result. */
export function watchFlow(o: FlowOptions): StopFlow {
  const opened = Date.now();
  let popup = o.popup;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // Messages and events share their shape ({type, connectionId, activationId?, flowId?, error?}).
  const resultOf = (d: Partial<FlowEvent> | undefined): FlowResult | undefined => {
    const type = KINDS[d?.type ?? ''];
    if (!type || d!.connectionId !== o.connectionId || (d!.flowId && d!.flowId !== o.flowId)) return;
    return type === 'error'
      ? { type, error: { code: d!.error?.code ?? 'connect_failed', message: d!.error?.message ?? '' } }
      : { type, activationId: d!.activationId };
  };

  const stop: StopFlow = (result) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    window.removeEventListener('message', onMessage);
    if (result) o.settle(result);
  };

  const onMessage = ({ origin, source, data }: MessageEvent) => {
    // Any page can postMessage us lookalike data; only our own popup on the server's origin counts.
    if (!popup || source !== popup || origin !== o.origin || data?.source !== 'portico') return;
    const result = resultOf(data);
    if (result) stop(result);
  };

  const tick = async () => {
    // Read `closed` before polling, so this poll is the "last look" after a close.
    const closed = popup?.closed;
    const events = await o.poll();
    if (done) return;
    const result = events?.map(resultOf).find(Boolean);
    if (result) return stop(result);
    if (closed) {
      if (Date.now() - opened > SEVER_MS && document.hasFocus()) return stop({ type: 'cancel' });
      // Cut off rather than closed: from now on only the events feed can tell, until `until`.
      popup = null;
    }
    if (!popup && Date.now() > o.until) return stop({ type: 'cancel' });
    timer = setTimeout(tick, POLL_MS);
  };

  window.addEventListener('message', onMessage);
  timer = setTimeout(tick, POLL_MS);
  return stop;
}
