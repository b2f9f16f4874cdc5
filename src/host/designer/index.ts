// The sidebar designer: `registerDesigner(context, analysis, controller)` from activation.

import type * as vscode from 'vscode';
import type { AnalysisService } from '../analysis';
import type { TrainingControllerApi } from '../training/api';
import { DesignerViewProvider } from './designerView';

export { DesignerViewProvider } from './designerView';
export type { TrainingControllerApi } from '../training/api';

/** Registers the designer view and its commands (openDesigner, exportDiagramSvg/Png). */
export function registerDesigner(
  context: vscode.ExtensionContext,
  analysis: AnalysisService,
  controller: TrainingControllerApi,
): vscode.Disposable[] {
  return DesignerViewProvider.register(context, analysis, controller);
}
