// The course's lab in the designer: one tab each for the sweep, the step inspector, the gradient
// check, the computation graph (logistic regression only), the pictures (image specs only) and
// the metrics. A tab list as WAI-ARIA describes it (arrow keys, Home and End move between tabs).
// The state comes from the host (the spec's lab state, and its runs); the panels only draw it and
// post the user's questions.

import type { DocumentState, ToHost } from '../src/shared/wire/designer';
import { h } from './dom';
import { GradcheckPanel } from './gradcheckPanel';
import { GraphPanel } from './graphPanel';
import { MetricsPanel } from './metricsPanel';
import { PicturesPanel } from './picturesPanel';
import type { Action, LabTab, ViewState } from './state';
import { StepPanel } from './stepPanel';
import { SweepPanel } from './sweepPanel';

const TITLES: Record<LabTab, string> = { sweep: 'Sweep', step: 'Step', gradcheck: 'Gradients', graph: 'Graph', pictures: 'Pictures', metrics: 'Metrics' };

/** The tabs a document has: the graph for logistic regression, the pictures for image data. */
export function labTabs(doc: DocumentState | null): LabTab[] {
  const tabs: LabTab[] = ['sweep', 'step', 'gradcheck'];
  if (doc?.facts.logistic) tabs.push('graph');
  if ((doc?.input.dims?.length ?? 0) >= 2) tabs.push('pictures');
  tabs.push('metrics');
  return tabs;
}

interface Panel {
  element: HTMLElement;
  render(state: ViewState, force?: boolean): void;
}

export class LabPanel {
  readonly element = h('section', { class: 'lab', 'aria-labelledby': 'lab-title', 'data-testid': 'lab' });
  private readonly tabList = h('div', { class: 'lab-tabs', role: 'tablist', 'aria-label': 'The lab' });
  private readonly tabs = new Map<LabTab, HTMLButtonElement>();
  private readonly panels: Record<LabTab, Panel>;
  private readonly pictures: PicturesPanel;
  private state: ViewState | undefined;
  private active: LabTab | undefined;

  constructor(
    post: (message: ToHost) => void,
    private readonly local: (action: Action) => void,
    state: () => ViewState,
  ) {
    this.pictures = new PicturesPanel(post);
    this.panels = {
      sweep: new SweepPanel(post),
      step: new StepPanel(post),
      gradcheck: new GradcheckPanel(post),
      graph: new GraphPanel(post, local, state),
      pictures: this.pictures,
      metrics: new MetricsPanel(),
    };
    const bodies: HTMLElement[] = [];
    for (const [tab, panel] of Object.entries(this.panels) as [LabTab, Panel][]) {
      const button = h('button', { type: 'button', role: 'tab', class: 'lab-tab', id: `lab-tab-${tab}`, 'aria-controls': `lab-panel-${tab}`, 'data-testid': `lab-tab-${tab}` }, TITLES[tab]);
      button.addEventListener('click', () => this.choose(tab));
      button.addEventListener('keydown', (e) => this.onKey(e, tab));
      this.tabs.set(tab, button);
      this.tabList.append(button);
      panel.element.id = `lab-panel-${tab}`;
      panel.element.setAttribute('role', 'tabpanel');
      panel.element.setAttribute('aria-labelledby', `lab-tab-${tab}`);
      panel.element.classList.add('lab-panel');
      bodies.push(panel.element);
    }
    this.element.append(h('h2', { id: 'lab-title' }, 'Lab'), this.tabList, ...bodies);
  }

  private visibleTabs(): LabTab[] {
    return labTabs(this.state?.document ?? null);
  }

  private choose(tab: LabTab, focus = false): void {
    this.local({ type: 'local.labTab', tab });
    if (focus) this.tabs.get(tab)?.focus();
  }

  private onKey(e: KeyboardEvent, tab: LabTab): void {
    const tabs = this.visibleTabs();
    const i = tabs.indexOf(tab);
    let next: LabTab | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    this.choose(next, true);
  }

  /** Brings the lab into view (a question was asked, perhaps from the palette). */
  reveal(): void {
    this.element.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  }

  /** Coalesced: progress of a sweep comes at several Hz. */
  private frame: number | undefined;
  schedule(state: ViewState): void {
    this.state = state;
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      if (this.state) this.render(this.state);
    });
  }

  render(state: ViewState, force = false): void {
    this.state = state;
    const tabs = this.visibleTabs();
    const tab = tabs.includes(state.labTab) ? state.labTab : tabs[0];
    for (const [name, button] of this.tabs) {
      const shown = tabs.includes(name);
      button.hidden = !shown;
      button.setAttribute('aria-selected', String(name === tab));
      button.tabIndex = name === tab ? 0 : -1;
      this.panels[name].element.hidden = name !== tab;
    }
    const changed = tab !== this.active;
    this.active = tab;
    this.panels[tab].render(state, force || changed);
    if (changed && tab === 'pictures') this.pictures.shownWith(state);
  }
}
