/** Builds an element with text, never HTML: whatever a citizen or a clerk typed is shown as typed. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'text') element.textContent = String(value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

export const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

/** Replaces a list's items. */
export function fillList(selector: string, items: readonly HTMLElement[], empty?: string): void {
  const list = $(selector);
  list.replaceChildren(...(items.length ? items : empty ? [h('li', { text: empty })] : []));
}
