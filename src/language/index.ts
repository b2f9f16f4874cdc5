// The language service facade: everything the extension host, the CLI and the tests use.
// No vscode import anywhere below this folder.

export { parseSpec, MAX_UNITS, MAX_INPUT_SIZE, MAX_ITERATIONS, type ParsedSpec, type LayerNode, type DataNode, type UnreadLine } from './parser';
export { checkSpec, trainingExamples, testExamples, type CheckOptions } from './checks';
export {
  specShapes,
  shapeTableOf,
  formatShape,
  formatShapeTable,
  formatSpecShapes,
  layerHints,
  specMemory,
  formatSpecMemory,
  type SpecMemory,
  type LayerShape,
  type ShapeTable,
  type LayerNodeShape,
  type SpecShapes,
  type LayerHint,
} from './shapes';
export { hoverAt, layerMarkdown, activationMarkdown, lossMarkdown, type HoverResult } from './hover';
export { completionsAt, type CompletionItem, type CompletionKind } from './completion';
export { documentSymbols, type SpecSymbol, type SymbolKind } from './symbols';
export { formatEdits, formatText, formatLines } from './format';
export { collectDataFacts, type InspectData } from './dataFacts';
export { estimateTrainingMemory, formatBytes, type MemoryEstimate } from '../shared/memory';
export * from './types';
export * from './edits';
