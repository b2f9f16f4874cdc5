// The language service facade: everything the extension host, the CLI and the tests use.
// No vscode import anywhere below this folder.

export { parseSpec, type ParsedSpec, type LayerNode, type DataNode } from './parser';
export { checkSpec, trainingExamples, type DataFacts, type DataSummary } from './checks';
export { layerShapes, formatShape, formatShapeTable, type LayerShape, type ShapeTable } from './shapes';
export { hoverAt, layerMarkdown, activationMarkdown, lossMarkdown, type HoverResult } from './hover';
export { completionsAt, type CompletionItem, type CompletionKind } from './completion';
export { documentSymbols, type SpecSymbol, type SymbolKind } from './symbols';
export { formatEdits, formatText, formatLines } from './format';
export { collectDataFacts, type InspectData } from './dataFacts';
export * from './types';
export * from './edits';
