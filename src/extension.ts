// Activation stays thin: create the shared analysis service and the training controller,
// then let each feature register itself. Logic lives in src/language, src/trainer, src/host/*.

import * as vscode from 'vscode';
import { AnalysisService } from './host/analysis';
import { DataAccess } from './host/dataAccess';
import { registerDesigner } from './host/designer';
import { registerExportCommand } from './host/exportCommand';
import { registerLanguageFeatures } from './host/languageFeatures';
import { registerTrainingCommands } from './host/training/commands';
import { TrainingController } from './host/training/controller';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('nnspec');
  // data files and saved models are read in the data worker (terminated with the extension)
  const data = new DataAccess(context.extensionPath);
  const analysis = new AnalysisService(data);
  analysis.dataFilesChanged = () => data.forgetAbandoned();
  const controller = new TrainingController(context, analysis, output, data);
  context.subscriptions.push(
    output,
    data,
    analysis,
    controller,
    // Restricted Mode skips the data checks: run them once the workspace is trusted
    vscode.workspace.onDidGrantWorkspaceTrust(() => analysis.refreshAll()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nnspec.data') || e.affectsConfiguration('nnspec.training.memoryBudgetMB')) {
        data.forgetAbandoned();
        analysis.refreshAll();
      }
    }),
    ...registerLanguageFeatures(analysis),
    ...registerTrainingCommands(analysis, controller),
    ...registerDesigner(context, analysis, controller),
    registerExportCommand(analysis, controller),
  );
}

export function deactivate(): void {}
