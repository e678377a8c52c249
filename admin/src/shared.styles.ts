import { css } from 'lit';

// The console's common building blocks (buttons, fields, cards, badges, tables). Every colour is a
// --pa-* token from global.css, so light and dark mode need nothing here.
export const shared = css`
  :host {
    display: block;
    color: var(--pa-text);
    font: var(--pa-font);
  }
  [hidden] {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3,
  h4 {
    margin: 0;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.0625rem;
  }
  h4 {
    font-size: 1rem;
  }
  p {
    margin: 0;
  }
  a {
    color: var(--pa-accent);
  }
  code,
  .mono {
    font: var(--pa-mono);
    overflow-wrap: anywhere;
  }
  .muted {
    color: var(--pa-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--pa-focus);
  }
  [tabindex='-1']:focus {
    outline: none;
    box-shadow: none;
  }

  /* Buttons */
  button,
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    font: inherit;
    font-weight: 550;
    font-size: 0.875rem;
    line-height: 1.25;
    padding: 0.5rem 0.875rem;
    border-radius: 6px;
    border: 1px solid var(--pa-border);
    background: var(--pa-surface);
    color: var(--pa-text);
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    background: var(--pa-surface-2);
  }
  button.primary {
    background: var(--pa-accent);
    border-color: var(--pa-accent);
    color: var(--pa-accent-text);
  }
  button.primary:hover:not(:disabled) {
    background: var(--pa-accent-strong);
    border-color: var(--pa-accent-strong);
  }
  button.danger {
    color: var(--pa-danger);
  }
  button.link {
    border: none;
    background: none;
    padding: 0.25rem;
    color: var(--pa-accent);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button[aria-busy='true'] {
    cursor: progress;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }

  /* Forms */
  form {
    display: grid;
    gap: 1rem;
  }
  fieldset {
    border: 1px solid var(--pa-border);
    border-radius: var(--pa-radius);
    padding: 1rem;
    margin: 0;
    display: grid;
    gap: 0.875rem;
    min-width: 0;
  }
  legend {
    font-weight: 650;
    padding: 0 0.375rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  .field label,
  .label {
    font-weight: 550;
    font-size: 0.875rem;
  }
  .field .hint {
    font-size: 0.8125rem;
    color: var(--pa-muted);
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    font: inherit;
    font-size: 0.9375rem;
    color: var(--pa-text);
    background: var(--pa-surface);
    border: 1px solid var(--pa-border);
    border-radius: 6px;
    padding: 0.45rem 0.625rem;
    width: 100%;
    min-width: 0;
  }
  textarea {
    min-height: 4.5rem;
    resize: vertical;
  }
  textarea.code {
    font: var(--pa-mono);
    min-height: 12rem;
  }
  input[readonly] {
    background: var(--pa-surface-2);
  }
  .grid-2 {
    display: grid;
    gap: 0.875rem;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    align-items: start;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .check input {
    width: 1.05rem;
    height: 1.05rem;
    margin: 0;
    accent-color: var(--pa-accent);
  }
  .switch {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
  }
  .switch input {
    appearance: none;
    flex: none;
    width: 2.5rem;
    height: 1.4rem;
    margin: 0.1rem 0 0;
    border-radius: 999px;
    background: var(--pa-border);
    position: relative;
    cursor: pointer;
    transition: background 0.15s;
  }
  .switch input::after {
    content: '';
    position: absolute;
    top: 0.2rem;
    left: 0.2rem;
    width: 1rem;
    height: 1rem;
    border-radius: 50%;
    background: #fff;
    transition: transform 0.15s;
  }
  .switch input:checked {
    background: var(--pa-accent);
  }
  .switch input:checked::after {
    transform: translateX(1.1rem);
  }

  /* Surfaces */
  .card {
    background: var(--pa-surface);
    border: 1px solid var(--pa-border);
    border-radius: var(--pa-radius);
    box-shadow: var(--pa-shadow);
    padding: 1.25rem;
  }
  .stack {
    display: grid;
    gap: 1rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    justify-content: space-between;
  }
  .notice {
    border-radius: 6px;
    padding: 0.75rem 1rem;
    background: var(--pa-accent-soft);
    border: 1px solid color-mix(in srgb, var(--pa-accent) 35%, transparent);
  }
  .notice.warn {
    background: var(--pa-warn-soft);
    border-color: color-mix(in srgb, var(--pa-warn) 35%, transparent);
  }
  .error {
    border-radius: 6px;
    padding: 0.625rem 0.875rem;
    background: var(--pa-danger-soft);
    color: var(--pa-danger);
    border: 1px solid color-mix(in srgb, var(--pa-danger) 35%, transparent);
  }
  .error:empty {
    display: none;
  }
  .empty {
    padding: 2rem 1rem;
    text-align: center;
    color: var(--pa-muted);
    border: 1px dashed var(--pa-border);
    border-radius: var(--pa-radius);
  }

  /* Badges */
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    background: var(--pa-surface-2);
    color: var(--pa-muted);
    border: 1px solid var(--pa-border);
    white-space: nowrap;
  }
  .badge.ok {
    background: var(--pa-ok-soft);
    color: var(--pa-ok);
    border-color: transparent;
  }
  .badge.warn {
    background: var(--pa-warn-soft);
    color: var(--pa-warn);
    border-color: transparent;
  }
  .badge.danger {
    background: var(--pa-danger-soft);
    color: var(--pa-danger);
    border-color: transparent;
  }
  .badge.accent {
    background: var(--pa-accent-soft);
    color: var(--pa-accent-strong);
    border-color: transparent;
  }

  /* Definition lists and tables */
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.375rem 1rem;
    margin: 0;
  }
  dl.facts dt {
    color: var(--pa-muted);
    font-size: 0.875rem;
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem 0.625rem;
    border-bottom: 1px solid var(--pa-border);
    vertical-align: middle;
  }
  th {
    color: var(--pa-muted);
    font-weight: 600;
    font-size: 0.8125rem;
  }
  tr:last-child td {
    border-bottom: none;
  }
`;
