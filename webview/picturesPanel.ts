// The lab's pictures tab (an `input HxWxC` spec): the test images the current run's network gets
// wrong, drawn from their pixels with the predicted probability and the true label (the course's
// "mislabelled images"), and Predict an Image...: a picture the user picks, as the network sees it
// (resized to the input by the browser's decoders here), with the network's prediction.

import type { MislabelledExample } from '../src/shared/model/results';
import type { ToHost } from '../src/shared/wire/designer';
import { currentRun } from '../src/shared/model/runs';
import { fill, formatInt, h } from './dom';
import type { Button } from './fields';
import { drawPicture } from './heatmap';
import { trainingOf, type ViewState } from './state';

/** A mislabelled test image in words (its caption's meaning, for screen readers). */
export function mislabelledText(e: Pick<MislabelledExample, 'index' | 'label' | 'probability'>): string {
  return `Test example ${e.index}: label ${e.label}, the network gives ${e.probability.toFixed(4)} for label 1, so it says ${e.probability > 0.5 ? 1 : 0}.`;
}

export class PicturesPanel {
  readonly element = h('div', { class: 'lab-pictures' });
  private readonly show = h('vscode-button', { 'data-testid': 'mislabelled-show', secondary: true, icon: 'eye', title: 'The test images the current run’s network gets wrong' }, 'Mislabelled Test Images') as Button;
  private readonly pick = h('vscode-button', { 'data-testid': 'predict-image', icon: 'file-media', title: 'Pick a PNG or JPEG: the network’s prediction for it' }, 'Predict an Image…') as Button;
  private readonly predictionStatus = h('p', { class: 'lab-status', 'data-testid': 'prediction-status', 'aria-live': 'polite' });
  private readonly prediction = h('div', { class: 'prediction', 'data-testid': 'prediction' });
  private readonly status = h('p', { class: 'lab-status', 'data-testid': 'mislabelled-status', 'aria-live': 'polite' });
  private readonly gallery = h('div', { class: 'gallery', 'data-testid': 'mislabelled' });
  private shown: { mislabelled?: unknown; prediction?: unknown } = {};
  /** the finished run whose mistakes were asked for already (asked once, when the tab shows) */
  private askedFor: number | undefined;

  constructor(private readonly post: (message: ToHost) => void) {
    this.element.append(
      h('h3', {}, 'Predict an image'),
      h('div', { class: 'toolbar' }, this.pick),
      this.predictionStatus,
      this.prediction,
      h('h3', {}, 'Mislabelled test images'),
      h('div', { class: 'toolbar' }, this.show),
      this.status,
      this.gallery,
    );
    this.pick.addEventListener('click', () => !this.pick.disabled && post({ type: 'pickImage' }));
    this.show.addEventListener('click', () => !this.show.disabled && post({ type: 'requestMislabelled' }));
  }

  /** The tab came into view: a finished run's mistakes are asked for once. */
  shownWith(state: ViewState): void {
    const run = currentRun(state.runs);
    if (!run || !run.finished || run.cancelled || run.error || !state.document?.spec.test) return;
    if (this.askedFor === run.id || state.lab.mislabelled?.status === 'pending') return;
    this.askedFor = run.id;
    this.post({ type: 'requestMislabelled' });
  }

  render(state: ViewState, force = false): void {
    const run = currentRun(state.runs);
    const trained = !!run && !run.cancelled && !run.error && (run.finished || trainingOf(state).paused);
    this.show.disabled = !trained;
    this.pick.disabled = !trained;
    this.pick.title = trained ? 'Pick a PNG or JPEG: the network’s prediction for it' : 'Train the network first';
    const { mislabelled, prediction } = state.lab;
    if (mislabelled !== this.shown.mislabelled || force) {
      this.shown.mislabelled = mislabelled;
      this.status.classList.toggle('lab-error', mislabelled?.status === 'failed');
      if (!mislabelled) {
        this.status.textContent = trained ? 'Show the test images the network gets wrong.' : 'Train the network to see the test images it gets wrong.';
        this.gallery.replaceChildren();
      } else if (mislabelled.status === 'pending') {
        this.status.textContent = 'Looking for the mistakes…';
      } else if (mislabelled.status === 'failed' || !mislabelled.value) {
        this.status.textContent = mislabelled.error ?? 'No images.';
        this.gallery.replaceChildren();
      } else {
        const { layout, examples, total, testM } = mislabelled.value;
        this.status.textContent =
          `${total === 0 ? 'No test image is' : `${formatInt(total)} test image${total === 1 ? ' is' : 's are'}`} mislabelled${testM ? ` of ${formatInt(testM)}` : ''}` +
          `${examples.length < total ? ` (the first ${examples.length} shown)` : ''}, by ${mislabelled.source ?? 'the current run'}.`;
        fill(
          this.gallery,
          ...examples.map((e) => {
            const canvas = h('canvas', { class: 'picture', role: 'img', 'aria-label': mislabelledText(e), title: mislabelledText(e) });
            drawPicture(canvas, e.pixels, layout.width, layout.height, layout.channels);
            return h(
              'figure',
              { class: 'picture-card', 'data-testid': `mislabelled-${e.index}`, tabindex: 0, 'aria-label': mislabelledText(e) },
              canvas,
              h('figcaption', {}, h('span', {}, `#${e.index}`), h('span', {}, `y = ${e.label}`), h('span', { class: 'num' }, `p = ${e.probability.toFixed(3)}`)),
            );
          }),
        );
      }
    }
    if (prediction !== this.shown.prediction || force) {
      this.shown.prediction = prediction;
      this.predictionStatus.classList.toggle('lab-error', prediction?.status === 'failed');
      if (!prediction) {
        this.predictionStatus.textContent = 'The picture is resized to the input here, with the browser’s own decoders.';
        this.prediction.replaceChildren();
      } else if (prediction.status === 'pending') {
        this.predictionStatus.textContent = 'Predicting…';
      } else if (prediction.status === 'failed' || !prediction.value) {
        this.predictionStatus.textContent = prediction.error ?? 'No prediction.';
        this.prediction.replaceChildren();
      } else {
        const p = prediction.value;
        this.predictionStatus.textContent = `${p.name}, as the network sees it (${p.width}×${p.height}×${p.channels}), by ${prediction.source ?? 'the current run'}:`;
        const canvas = h('canvas', { class: 'picture picture-large', role: 'img', 'aria-label': `${p.name} resized to ${p.width} × ${p.height}` });
        drawPicture(canvas, p.pixels, p.width, p.height, p.channels);
        fill(
          this.prediction,
          canvas,
          h(
            'div',
            { class: 'prediction-text' },
            h('div', { class: 'prediction-class', 'data-testid': 'prediction-label' }, `says ${p.label}`),
            h('div', {}, 'P(y = 1) = A[L] = ', h('strong', { 'data-testid': 'prediction-probability' }, p.probability.toFixed(4))),
            h('div', { class: 'muted' }, `${p.label} because ${p.probability.toFixed(4)} ${p.label ? '>' : '≤'} 0.5`),
          ),
        );
      }
    }
  }
}
