// The playground's entry: a header with the cross-origin isolation status (the worker pool and
// SharedArrayBuffer need it), three tabs, and each view built once and kept alive so a running
// training keeps running while you look at the other views.

import { explainerView } from './explainer/view.js';
import { kernelLabView } from './kernel-lab/view.js';
import { trainingView } from './training/view.js';
import { el } from './ui/dom.js';

interface Tab {
  id: string;
  label: string;
  build: () => HTMLElement;
}

const TABS: readonly Tab[] = [
  { id: 'kernels', label: 'Kernel lab', build: kernelLabView },
  { id: 'explainer', label: 'Convolution explainer', build: explainerView },
  { id: 'training', label: 'Live training', build: trainingView },
];

function isolationBadge(): HTMLElement {
  const isolated = globalThis.crossOriginIsolated === true;
  return el('span', {
    class: `badge ${isolated ? 'ok' : 'warn'}`,
    testId: 'isolation-status',
    attrs: {
      title: isolated
        ? 'SharedArrayBuffer is available: the worker pool shares memory with the page.'
        : 'The page is not cross-origin isolated (COOP/COEP headers missing): no SharedArrayBuffer, workers copy data.',
    },
    text: `crossOriginIsolated: ${isolated}`,
  });
}

function mount(root: HTMLElement): void {
  const views = new Map<string, HTMLElement>();
  const nav = el('nav', { class: 'tabs' });
  const main = el('main');
  const buttons = TABS.map((tab) => {
    const tabButton = el('button', {
      text: tab.label,
      testId: `tab-${tab.id}`,
      attrs: { type: 'button' },
    });
    tabButton.addEventListener('click', () => {
      location.hash = tab.id;
    });
    nav.append(tabButton);
    return tabButton;
  });

  function show(id: string): void {
    const tab = TABS.find((candidate) => candidate.id === id) ?? TABS[0]!;
    let view = views.get(tab.id);
    if (!view) {
      view = tab.build();
      views.set(tab.id, view);
      main.append(view);
    }
    for (const [viewId, element] of views) element.hidden = viewId !== tab.id;
    buttons.forEach((tabButton, i) => {
      tabButton.classList.toggle('active', TABS[i]!.id === tab.id);
    });
  }

  root.append(
    el(
      'header',
      {},
      el('div', { class: 'title' }, el('h1', { text: 'Convoy playground' }), isolationBadge()),
      el('p', {
        class: 'subtitle',
        text: "What a filter does to an image, the chapter's convolutions step by step, and a CNN learning in Web Workers while you look inside it.",
      }),
      nav,
    ),
    main,
  );
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  show(location.hash.slice(1));
}

mount(document.getElementById('app')!);
