// The lab's gradient check tab: backpropagation against the two-sided numerical gradient, the
// verdict (passed, warning, failed), the difference over the network and per layer, as
// `nnspec gradcheck` prints them.

import type { GradientCheckResult } from '../src/shared/model/results';
import type { ToHost } from '../src/shared/wire/designer';
import { fill, h, icon } from './dom';
import type { Button } from './fields';
import { passTargetsOf, type ViewState } from './state';

const VERDICT: Record<GradientCheckResult['verdict'], { icon: string; text: string }> = {
  passed: { icon: 'pass', text: 'Passed: backpropagation agrees with the numerical gradient (difference below 1e-7).' },
  warning: { icon: 'warning', text: 'Warning: the difference is between 1e-7 and 1e-5. Probably right; a ReLU input within ε of 0, or gradients so small that rounding dominates, also give this.' },
  failed: { icon: 'error', text: 'Failed: the gradients are wrong (difference above 1e-5).' },
};

export class GradcheckPanel {
  readonly element = h('div', { class: 'lab-gradcheck' });
  private readonly initial = h('vscode-button', { 'data-testid': 'gradcheck-initial', icon: 'check-all', title: 'At the initial parameters' }, 'Check Gradients') as Button;
  private readonly current = h('vscode-button', { 'data-testid': 'gradcheck-current', secondary: true, title: 'At the current run’s parameters' }, 'At the Current Run') as Button;
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'gradcheck-status', 'aria-live': 'polite' });
  private readonly body = h('div', { 'data-testid': 'gradcheck-body' });
  private shown: unknown;

  constructor(post: (message: ToHost) => void) {
    this.element.append(
      h('p', { class: 'muted lab-intro' }, '(J(θ + ε) − J(θ − ε)) / 2ε for each parameter, ε = 1e-7, against backpropagation: ‖grad − approx‖ / (‖grad‖ + ‖approx‖).'),
      h('div', { class: 'toolbar' }, this.initial, this.current),
      this.status,
      this.body,
    );
    this.initial.addEventListener('click', () => !this.initial.disabled && post({ type: 'checkGradients', at: 'initial' }));
    this.current.addEventListener('click', () => !this.current.disabled && post({ type: 'checkGradients', at: 'run' }));
  }

  render(state: ViewState, force = false): void {
    const can = passTargetsOf(state);
    this.initial.disabled = !can.initial;
    this.current.disabled = !can.run;
    const slot = state.lab.gradcheck;
    if (slot === this.shown && !force) return;
    this.shown = slot;
    this.status.classList.toggle('lab-error', slot?.status === 'failed');
    if (!slot) {
      this.status.textContent = 'Not checked yet.';
      this.body.replaceChildren();
    } else if (slot.status === 'pending') {
      this.status.textContent = `Checking${slot.source ? ` at ${slot.source}` : ''}: two costs per parameter…`;
    } else if (slot.status === 'failed' || !slot.value) {
      this.status.textContent = slot.error ?? 'No result.';
      this.body.replaceChildren();
    } else {
      const r = slot.value;
      this.status.textContent = `At ${slot.source ?? `iteration ${r.iteration}`}: on ${r.examples === r.m ? `all ${r.m}` : `the first ${r.examples} of the ${r.m}`} training examples, ${r.checked === r.parameters ? `all ${r.parameters.toLocaleString('en-US')} parameters` : `${r.checked.toLocaleString('en-US')} of the ${r.parameters.toLocaleString('en-US')} parameters (a sample in the larger layers)`}.`;
      const v = VERDICT[r.verdict];
      fill(
        this.body,
        h('p', { class: `verdict verdict-${r.verdict}`, 'data-testid': 'gradcheck-verdict' }, icon(v.icon), ' ', v.text),
        h('p', {}, 'Difference over the network: ', h('strong', { 'data-testid': 'gradcheck-difference' }, r.difference.toExponential(3))),
        h(
          'table',
          { class: 'lab-table', 'data-testid': 'gradcheck-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'layer'), h('th', { scope: 'col' }, 'difference'), h('th', { scope: 'col' }, 'checked'), h('th', { scope: 'col' }, '‖grad‖'))),
          h(
            'tbody',
            {},
            ...r.layers.map((l) =>
              h(
                'tr',
                {},
                h('td', {}, String(l.layer)),
                h('td', { class: 'num' }, l.difference.toExponential(3)),
                h('td', { class: 'num' }, l.checked === l.parameters ? String(l.parameters) : `${l.checked} of ${l.parameters}`),
                h('td', { class: 'num' }, l.gradientNorm.toExponential(3)),
              ),
            ),
          ),
        ),
      );
    }
  }
}
