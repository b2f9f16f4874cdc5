// The language service facade: what the extension host, the CLI, the lab, the export and the
// tests use of the language core. No vscode import anywhere below this folder.

export { parseSpec, type ParsedSpec } from './parser';
export { analyzeSpec, checkSpec, trainingExamples, testExamples, type CheckOptions, type SpecAnalysis } from './checks';
export { specShapes, shapeTableOf, formatShapeTable, formatSpecShapes, layerHints, specMemory, formatSpecMemory, type ShapeTable } from './shapes';
export { hoverAt } from './hover';
export { completionsAt, type CompletionKind } from './completion';
export { documentSymbols, type SymbolKind } from './symbols';
export { formatEdits, formatText } from './format';
export { collectDataFacts, type InspectData } from './dataFacts';
export type { MemoryEstimate } from '../shared/model/memory';
export * from './types';
export * from './edits';
