// The kernel editor's DOM: a catalogue picker, a grid of weight cells sized to the kernel, and a
// divisor. Picking a kernel fills the grid; typing in the grid switches the picker to "custom".
// It reports a valid Kernel, or the parse error, on every change.

import { getKernel, type Kernel, listKernels } from '@convoy/vision';
import { el, field } from '../ui/dom.js';
import { entriesFromKernel, kernelFromEntries } from './kernel-entries.js';

export interface KernelEditor {
  element: HTMLElement;
  current(): Kernel;
  choose(name: string): void;
}

const CUSTOM = 'custom';

export function kernelEditor(onChange: (kernel: Kernel) => void, initial = 'edge'): KernelEditor {
  const picker = el('select', { testId: 'kernel-select' });
  for (const kernel of listKernels()) {
    picker.append(el('option', { text: kernel.name, attrs: { value: kernel.name } }));
  }
  picker.append(el('option', { text: 'custom (edit the numbers)', attrs: { value: CUSTOM } }));
  const description = el('p', { class: 'description', testId: 'kernel-description' });
  const grid = el('div', { class: 'kernel-grid', testId: 'kernel-grid' });
  const divisorInput = el('input', {
    testId: 'kernel-divisor',
    attrs: { type: 'text', 'aria-label': 'divisor' },
  });
  const error = el('p', { class: 'error', testId: 'kernel-error' });
  let cells: HTMLInputElement[][] = [];
  let kernel = getKernel(initial);

  function fill(source: Kernel): void {
    const entries = entriesFromKernel(source);
    const size = entries.cells.length;
    grid.style.gridTemplateColumns = `repeat(${size}, minmax(0, 1fr))`;
    cells = entries.cells.map((row, r) =>
      row.map((text, c) => {
        const input = el('input', {
          attrs: { type: 'text', value: text, 'aria-label': `weight row ${r + 1} column ${c + 1}` },
        });
        input.addEventListener('input', edited);
        return input;
      }),
    );
    grid.replaceChildren(...cells.flat());
    divisorInput.value = entries.divisor;
  }

  function edited(): void {
    picker.value = CUSTOM;
    try {
      kernel = kernelFromEntries({
        cells: cells.map((row) => row.map((input) => input.value)),
        divisor: divisorInput.value,
      });
      error.textContent = '';
      description.textContent =
        'Your own kernel: each output pixel is Σ window × weights ÷ divisor.';
      onChange(kernel);
    } catch (problem) {
      error.textContent = problem instanceof Error ? problem.message : String(problem);
    }
  }

  function choose(name: string): void {
    kernel = getKernel(name);
    picker.value = kernel.name;
    description.textContent = kernel.description;
    error.textContent = '';
    fill(kernel);
    onChange(kernel);
  }

  picker.addEventListener('change', () => {
    if (picker.value !== CUSTOM) choose(picker.value);
  });
  divisorInput.addEventListener('input', edited);
  picker.value = kernel.name;
  description.textContent = kernel.description;
  fill(kernel);

  const element = el(
    'div',
    { class: 'panel' },
    field('Kernel', picker),
    description,
    grid,
    el('label', { class: 'divisor' }, el('span', { text: '÷ divisor' }), divisorInput),
    error,
  );
  return { element, current: () => kernel, choose };
}
