// The widget's texts. Keys named like error codes translate those codes; any other code shows the
// server's message, or `failed` when there is none.

const en = {
  connect: 'Connect',
  reconnect: 'Reconnect',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnect: 'Disconnect',
  retry: 'Try again',
  popup: 'Continue in the popup window.',
  blocked: 'The popup window was blocked.',
  open: 'Open it here',
  reauth: 'Access has expired.',
  failed: 'The connection failed.',
  session_expired: 'The session has expired. Reload the page.',
  network_error: 'The server cannot be reached.',
};

export type Strings = typeof en;

const de: Strings = {
  connect: 'Verbinden',
  reconnect: 'Neu verbinden',
  connecting: 'Verbinde…',
  connected: 'Verbunden',
  disconnect: 'Trennen',
  retry: 'Erneut versuchen',
  popup: 'Bitte im Popup-Fenster fortfahren.',
  blocked: 'Das Popup-Fenster wurde blockiert.',
  open: 'Hier öffnen',
  reauth: 'Der Zugang ist abgelaufen.',
  failed: 'Die Verbindung ist fehlgeschlagen.',
  session_expired: 'Die Sitzung ist abgelaufen. Bitte Seite neu laden.',
  network_error: 'Der Server ist nicht erreichbar.',
};

const byLanguage: Record<string, Strings> = { en, de };

/** The texts for a BCP 47 tag (`de`, `de-CH`, …); English when that language is not available. */
export function strings(lang: string): Strings {
  return byLanguage[lang.slice(0, 2).toLowerCase()] ?? en;
}
