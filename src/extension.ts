// Activation stays thin: create the shared analysis service and the training controller,
// then let each feature register itself. Logic lives in src/language, src/trainer, src/host/*.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LabClient } from './lab/labClient';
import { AnalysisService } from './host/analysis';
import { DataAccess } from './host/dataAccess';
import { registerDesigner } from './host/designer';
import { registerExportCommand } from './host/exportCommand';
import { registerLabCommands } from './host/lab/commands';
import { LabService } from './host/lab/labService';
import { LabStore } from './host/lab/labStore';
import { SweepController } from './host/lab/sweeps';
import { registerLanguageFeatures } from './host/languageFeatures';
import { registerTrainingCommands } from './host/training/commands';
import { mayRun, TrainingController } from './host/training/controller';
import { refusal } from './host/trust';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('nnspec');
  // data files and saved models are read in the data worker (terminated with the extension)
  const data = new DataAccess(context.extensionPath);
  const analysis = new AnalysisService(data);
  analysis.dataFilesChanged = () => data.forgetAbandoned();
  const controller = new TrainingController(context, analysis, output, data);
  // the lab: its questions in the lab worker, its sweeps in the training workers (one per core)
  const store = new LabStore();
  const labClient = new LabClient(path.join(context.extensionPath, 'dist', 'labWorker.js'), {
    resourceLimits: { maxOldGenerationSizeMb: data.limits().memoryBudgetBytes! / (1024 * 1024) + 512 },
  });
  // (the lab tells the user once, with Manage Workspace Trust, when Restricted Mode refuses it)
  const refused = (): string | undefined => (mayRun('lab') ? undefined : refusal('lab', false));
  const lab = new LabService({ store, controller, analysis, client: labClient, limits: () => data.limits(), refused });
  const sweeps = new SweepController({ store, analysis, workerPath: path.join(context.extensionPath, 'dist', 'worker.js'), limits: () => data.limits(), output, refused });
  const { designer, disposables } = registerDesigner(context, analysis, controller, { store, service: lab, sweeps });
  context.subscriptions.push(
    { dispose: () => labClient.dispose() },
    sweeps,
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
    ...disposables,
    ...registerLabCommands({ analysis, controller, lab, sweeps, decodeImage: (request) => designer.decodeImage(request) }),
    registerExportCommand(analysis, controller),
  );
}

export function deactivate(): void {}
