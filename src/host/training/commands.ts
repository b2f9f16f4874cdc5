// The training commands and live preview: thin glue between the palette and the controller.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatSpecShapes, shapeTableOf } from '../../language';
import { AnalysisService } from '../analysis';
import { TEMPLATES } from '../templates';
import { mayRun, type TrainingController } from './controller';
import { LivePreview } from './livePreview';
import { fileExists } from './models';
import type { TrainingReport } from './report';

const REPORT_SCHEME = 'nnspec-report';

/** The spec a command is about: the given URI, else the active editor's, else a visible one. */
export function specDocument(uri?: unknown): Thenable<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor && AnalysisService.isSpec(editor.document)) return Promise.resolve(editor.document);
  const visible = vscode.window.visibleTextEditors.find((e) => AnalysisService.isSpec(e.document));
  return Promise.resolve(visible?.document);
}

/** The virtual document that shows a spec's report (its query names the spec). */
function reportUri(report: TrainingReport): vscode.Uri {
  return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${path.basename(report.file)} report.md`, query: vscode.Uri.file(report.file).toString() });
}

export function registerTrainingCommands(analysis: AnalysisService, controller: TrainingController): vscode.Disposable[] {
  const reportChanged = new vscode.EventEmitter<vscode.Uri>();
  const noSpec = (): void => {
    void vscode.window.showWarningMessage('nnspec: open a .nnspec file first.', 'New Spec from Template').then((a) => a && vscode.commands.executeCommand('nnspec.newSpec'));
  };
  const live = new LivePreview(analysis, controller);
  /** Opens a report as a Markdown preview (refreshed if it is already open). */
  const showReport = async (report: TrainingReport, beside: boolean): Promise<void> => {
    const target = reportUri(report);
    reportChanged.fire(target);
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.commands.executeCommand(beside ? 'markdown.showPreviewToSide' : 'markdown.showPreview', target);
  };
  return [
    reportChanged,
    live,
    vscode.commands.registerCommand('nnspec.train', async (uri?: unknown) => {
      const document = await specDocument(uri);
      if (!document) return noSpec();
      return controller.start(document, { mode: 'full', snapshots: { grid: 40, everyMs: 250 } });
    }),
    vscode.commands.registerCommand('nnspec.stopTraining', () => controller.stop()),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      onDidChange: reportChanged.event,
      provideTextDocumentContent: (uri) => controller.models.reportMarkdown(vscode.Uri.parse(uri.query)) ?? '# No training report yet\n\nRun *nnspec: Train Network* first.\n',
    }),
    vscode.commands.registerCommand('nnspec.showReport', async (uri?: unknown) => {
      // the given spec, else the spec in front, else the last run; a model saved beside the
      // spec by an earlier session counts too
      const spec = uri instanceof vscode.Uri ? uri : (await specDocument())?.uri;
      const report = (await controller.models.reportFor(spec)) ?? controller.models.lastReport();
      // in Restricted Mode a saved model is not read: say so rather than "no report yet"
      if (!report && !mayRun('openModel')) return undefined;
      if (!report) {
        void vscode.window.showInformationMessage('nnspec: no training report yet. Run "nnspec: Train Network" first.', 'Train Network').then((a) => a && vscode.commands.executeCommand('nnspec.train'));
        return undefined;
      }
      await showReport(report, false);
      return report;
    }),
    vscode.commands.registerCommand('nnspec.openModel', async (uri?: unknown) => {
      let target = uri instanceof vscode.Uri ? uri : undefined;
      if (!target) {
        const [picked] =
          (await vscode.window.showOpenDialog({
            title: 'nnspec: open a trained model',
            filters: { 'nnspec models': ['json'] },
            canSelectMany: false,
            openLabel: 'Open Model',
          })) ?? [];
        target = picked;
      }
      if (!target) return undefined;
      const report = await controller.openModel(target);
      // beside the spec (opened with the model's run in the designer), or alone when it is gone
      if (report) await showReport(report, true);
      return report;
    }),
    vscode.commands.registerCommand('nnspec.toggleLivePreview', async () => {
      const config = vscode.workspace.getConfiguration('nnspec');
      const next = !config.get<boolean>('livePreview.enabled', false);
      // switching it on in Restricted Mode would do nothing: say why instead
      if (next && !mayRun('livePreview')) return false;
      await config.update('livePreview.enabled', next, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`nnspec: live cost preview ${next ? 'on' : 'off'}`, 3000);
      return next;
    }),
    vscode.commands.registerCommand('nnspec.showShapes', async (uri?: unknown) => {
      const document = await specDocument(uri);
      if (!document) return noSpec();
      const a = await analysis.refresh(document);
      // the file's layer numbers, ? for what a malformed line leaves unknown (as `nnspec shapes`)
      const shapes = a.shapes;
      controller.output.appendLine(`Shapes of ${path.basename(document.uri.fsPath)}:\n${formatSpecShapes(shapes)}\n`);
      controller.output.show(true);
      return shapeTableOf(shapes);
    }),
    vscode.commands.registerCommand('nnspec.newSpec', async (arg?: { template?: string; path?: string }) => {
      let template = TEMPLATES.find((t) => t.id === arg?.template);
      if (!template) {
        const pick = await vscode.window.showQuickPick(
          TEMPLATES.map((t) => ({ label: t.label, description: t.description, template: t })),
          { title: 'nnspec: new spec from a template', placeHolder: 'Which network?' },
        );
        if (!pick) return undefined;
        template = pick.template;
      }
      let target: vscode.Uri | undefined = arg?.path ? vscode.Uri.file(arg.path) : undefined;
      if (!target) {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        target = await vscode.window.showSaveDialog({
          // a name not taken yet: planar.nnspec, else planar-2.nnspec, ...
          defaultUri: folder ? vscode.Uri.joinPath(folder, await freeFileName(folder, template.fileName)) : undefined,
          filters: { 'nnspec files': ['nnspec'] },
          title: 'Save the new spec',
        });
        if (!target) return undefined;
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(template.text));
      await vscode.window.showTextDocument(target);
      return target;
    }),
  ];
}

/** `name` if no file in `folder` has it, else the first of NAME-2.ext, NAME-3.ext, ... that none has. */
export async function freeFileName(folder: vscode.Uri, name: string, exists = (uri: vscode.Uri) => fileExists(uri)): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? name : `${stem}-${n}${ext}`;
    if (!(await exists(vscode.Uri.joinPath(folder, candidate)))) return candidate;
  }
  return `${stem}-${Date.now()}${ext}`;
}
