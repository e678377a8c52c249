// Opening the connect popup. Must be called synchronously from a click handler: browsers only let
// a page open a window while it handles a user gesture.

const WIDTH = 480;
const HEIGHT = 680;

/**
 * Opens `url` in the `portico-connect` window (reusing it when a previous flow left it open),
 * centred over the current browser window. Returns null when a popup blocker refused it.
 */
export function openPopup(url: string): Window | null {
  const left = Math.round(window.screenX + (window.outerWidth - WIDTH) / 2);
  const top = Math.round(window.screenY + (window.outerHeight - HEIGHT) / 2);
  return window.open(url, 'portico-connect', `popup,width=${WIDTH},height=${HEIGHT},left=${left},top=${top}`);
}
