/** HTML-escaping for the inbox page: every text and attribute value written into it goes through {@link escapeHtml}. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `value` as HTML text or a quoted attribute value: `& < > " '` replaced by entities.
 *
 * @example
 * ```ts
 * escapeHtml('<script>'); // '&lt;script&gt;'
 * ```
 */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

/**
 * A template tag that escapes every interpolated value, except values already built by `html`
 * (and arrays of them), so a page is escaped by construction.
 *
 * @example
 * ```ts
 * html`<td>${user.email}</td>`;
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * HTML that {@link html} built, and so is already escaped.
 *
 * @example
 * ```ts
 * const cell: SafeHtml = html`<td>${text}</td>`;
 * ```
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const render = (value: unknown): string =>
  value instanceof SafeHtml
    ? value.value
    : Array.isArray(value)
      ? value.map(render).join('')
      : value === undefined || value === null || value === false
        ? ''
        : escapeHtml(value);
