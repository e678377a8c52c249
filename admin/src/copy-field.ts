import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { shared } from './shared.styles.js';

/**
 * @summary A labelled read-only value with a Copy button: connect links, and secrets shown once.
 * @tagname admin-copy-field
 */
export class AdminCopyField extends LitElement {
  static override styles = [
    shared,
    css`
      .line {
        display: flex;
        gap: 0.5rem;
      }
      input {
        font: var(--pa-mono) !important;
      }
    `,
  ];

  /** The visible label of the value. */
  @property() label = '';
  /** The value to show and copy. */
  @property() value = '';

  @state() private copied = '';

  private async handleCopy() {
    const input = this.renderRoot.querySelector('input')!;
    try {
      await navigator.clipboard.writeText(this.value);
      this.copied = 'Copied to the clipboard.';
    } catch {
      // No clipboard access (e.g. plain http on a remote host): select it for Ctrl+C instead.
      input.focus();
      input.select();
      this.copied = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  }

  override render() {
    return html`<div class="field">
      <label for="value">${this.label}</label>
      <div class="line">
        <input
          id="value"
          readonly
          .value=${this.value}
          spellcheck="false"
          @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
        />
        <button type="button" @click=${this.handleCopy}>Copy</button>
      </div>
      <span class="hint" role="status">${this.copied}</span>
    </div>`;
  }
}

customElements.define('admin-copy-field', AdminCopyField);

declare global {
  interface HTMLElementTagNameMap {
    'admin-copy-field': AdminCopyField;
  }
}
