import { css } from 'lit';

// Each colour is a public --connect-button-* property falling back to a private --_ token: dark mode
// only swaps the tokens, and a vendor's own value wins in both schemes.
export const styles = css`
  :host {
    --_bg: #1d4ed8;
    --_fg: #fff;
    --_ok: #166534;
    --_error: #b91c1c;
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    font: var(--connect-button-font, 500 0.9375rem/1.25 system-ui, sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    font: inherit;
    padding: var(--connect-button-padding, 0.5em 1em);
    border: var(--connect-button-border, 1px solid transparent);
    border-radius: var(--connect-button-radius, 0.375em);
    background: var(--connect-button-background, var(--_bg));
    color: var(--connect-button-color, var(--_fg));
    cursor: pointer;
  }
  :focus-visible {
    outline: var(--connect-button-focus-ring, 2px solid var(--_bg));
    outline-offset: 2px;
  }
  :host([state='connected']) [part='button'] {
    background: var(--connect-button-connected-background, var(--_ok));
  }
  [part='disconnect'] {
    background: none;
    color: inherit;
    border-color: currentColor;
  }
  [aria-disabled='true'] {
    cursor: default;
  }
  :disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  [part='spinner'] {
    width: 0.8em;
    height: 0.8em;
    border: 2px solid;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  [part='status'] {
    font-size: 0.875em;
  }
  :host([state='error']) [part='status'] {
    color: var(--connect-button-error-color, var(--_error));
  }
  a {
    color: inherit;
  }
  /* Announced by screen readers, not shown: the button already says "Connected". */
  .sr {
    position: absolute;
    clip-path: inset(50%);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: #93c5fd;
      --_fg: #0c1a3a;
      --_ok: #86efac;
      --_error: #fca5a5;
    }
  }
`;
