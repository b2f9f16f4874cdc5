// Activation stays thin: create the shared analysis service and the training controller,
// then let each feature register itself. Logic lives in src/language, src/trainer, src/host/*.

import * as vscode from 'vscode';
import { inspectData } from './trainer/datasets';
import { AnalysisService } from './host/analysis';
import { registerDesigner } from './host/designer';
import { registerExportCommand } from './host/exportCommand';
import { registerLanguageFeatures } from './host/languageFeatures';
import { registerTrainingCommands } from './host/trainingCommands';
import { TrainingController } from './host/trainingController';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('nnspec');
  const analysis = new AnalysisService(inspectData);
  const controller = new TrainingController(context, analysis, output);
  context.subscriptions.push(
    output,
    analysis,
    controller,
    ...registerLanguageFeatures(analysis),
    ...registerTrainingCommands(analysis, controller),
    ...registerDesigner(context, analysis, controller),
    registerExportCommand(analysis, controller),
  );
}

export function deactivate(): void {}
