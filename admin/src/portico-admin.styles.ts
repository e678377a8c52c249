import { css } from 'lit';
import { shared } from './shared.styles.js';

export const styles = [
  shared,
  css`
    .loading {
      padding: 3rem;
      text-align: center;
      color: var(--pa-muted);
    }
    .skip {
      position: absolute;
      left: 0.5rem;
      top: -3rem;
      padding: 0.5rem 0.75rem;
      background: var(--pa-surface);
      border-radius: 6px;
      z-index: 10;
    }
    .skip:focus {
      top: 0.5rem;
    }
    header.top {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem 1.5rem;
      padding: 0.625rem 1.5rem;
      background: var(--pa-surface);
      border-bottom: 1px solid var(--pa-border);
      position: sticky;
      top: 0;
      z-index: 5;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 0.625rem;
      font-weight: 700;
    }
    .logo {
      width: 1.75rem;
      height: 1.75rem;
      border-radius: 6px;
      background: var(--pa-accent);
      color: var(--pa-accent-text);
      display: grid;
      place-items: center;
      font-weight: 800;
      font-size: 0.875rem;
    }
    .org {
      font-weight: 550;
      color: var(--pa-muted);
      padding-left: 0.625rem;
      border-left: 1px solid var(--pa-border);
    }
    nav {
      display: flex;
      gap: 0.25rem;
    }
    nav a {
      color: var(--pa-muted);
      text-decoration: none;
      font-weight: 550;
      padding: 0.4rem 0.75rem;
      border-radius: 6px;
    }
    nav a:hover {
      color: var(--pa-text);
      background: var(--pa-surface-2);
    }
    nav a[aria-current='page'] {
      color: var(--pa-accent-strong);
      background: var(--pa-accent-soft);
    }
    .tools {
      margin-left: auto;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
    }
    .env {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      font-size: 0.875rem;
      font-weight: 550;
    }
    .env select {
      width: auto;
      padding-block: 0.3rem;
    }
    .who {
      color: var(--pa-muted);
      font-size: 0.875rem;
    }
    main {
      max-width: 80rem;
      margin: 0 auto;
      padding: 1.5rem;
      display: grid;
      gap: 1.25rem;
    }
    .title {
      display: flex;
      align-items: center;
      gap: 0.75rem;
    }
    h1 {
      font-size: 1.5rem;
    }
  `,
];
