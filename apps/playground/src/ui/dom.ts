// A tiny element builder, so the views read as a tree of elements without a framework.

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  /** data-testid, the handle the end-to-end test uses. */
  testId?: string;
  attrs?: Record<string, string>;
  text?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.testId) element.dataset.testid = props.testId;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  if (props.text !== undefined) element.textContent = props.text;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A labelled control: <label><span>text</span>control</label>. */
export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', { text: label }), control);
}

export function select<T extends string>(
  options: readonly { value: T; label: string }[],
  initial: T,
  testId?: string,
): HTMLSelectElement {
  const element = el('select', testId ? { testId } : {});
  for (const option of options) {
    element.append(el('option', { text: option.label, attrs: { value: option.value } }));
  }
  element.value = initial;
  return element;
}

export function button(
  text: string,
  testId?: string,
  kind: 'primary' | 'plain' = 'plain',
): HTMLButtonElement {
  return el('button', {
    text,
    class: `button ${kind}`,
    ...(testId ? { testId } : {}),
    attrs: { type: 'button' },
  });
}
