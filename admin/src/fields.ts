import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { FieldSpec, Values } from './auth-types.js';

/**
 * Renders labelled inputs for field specs. Each input carries `data-group` and `data-field`, so one
 * `@input` listener on the form (see `readField`) keeps a `Values` object per group up to date.
 * Rendered into the caller's own shadow root: labels, inputs and the form stay together.
 */
export function renderFields(group: string, fields: FieldSpec[], values: Values): TemplateResult[] {
  return fields.map((f) => {
    const id = `${group}-${f.name}`;
    const hintId = f.hint ? `${id}-hint` : undefined;
    const value = values[f.name] ?? f.initial ?? (f.kind === 'checkbox' ? false : '');
    const hint = f.hint ? html`<span class="hint" id=${hintId!}>${f.hint}</span>` : nothing;
    if (f.kind === 'checkbox') {
      return html`<div class="field">
        <span class="check">
          <input
            type="checkbox"
            id=${id}
            data-group=${group}
            data-field=${f.name}
            .checked=${live(value === true)}
            aria-describedby=${ifDefined(hintId)}
          />
          <label for=${id}>${f.label}</label>
        </span>
        ${hint}
      </div>`;
    }
    const label = html`<label for=${id}
      >${f.label}${f.required ? nothing : html` <span class="muted">(optional)</span>`}</label
    >`;
    let control: TemplateResult;
    if (f.kind === 'select') {
      control = html`<select
        id=${id}
        data-group=${group}
        data-field=${f.name}
        aria-describedby=${ifDefined(hintId)}
      >
        ${f.options!.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
      </select>`;
    } else if (f.kind === 'textarea') {
      control = html`<textarea
        id=${id}
        data-group=${group}
        data-field=${f.name}
        .value=${live(String(value))}
        ?required=${f.required}
        placeholder=${ifDefined(f.placeholder)}
        aria-describedby=${ifDefined(hintId)}
      ></textarea>`;
    } else {
      control = html`<input
        id=${id}
        type=${f.kind}
        data-group=${group}
        data-field=${f.name}
        .value=${live(String(value))}
        ?required=${f.required}
        placeholder=${ifDefined(f.placeholder)}
        autocomplete=${f.kind === 'password' ? 'new-password' : 'off'}
        spellcheck="false"
        aria-describedby=${ifDefined(hintId)}
      />`;
    }
    return html`<div class="field">${label}${control}${hint}</div>`;
  });
}

/** The group, field and value of an input rendered by `renderFields`, or undefined for other inputs. */
export function readField(
  event: Event,
): { group: string; field: string; value: string | boolean } | undefined {
  const el = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  const { group, field } = el.dataset;
  if (!group || !field) return undefined;
  const value = el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value;
  return { group, field, value };
}

/** A readable local date and time for an ISO timestamp. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The first focusable field of a form, for moving focus into a form that just opened. */
export function focusFirstField(root: ParentNode | null | undefined): void {
  const el = root?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
  el?.focus();
}
