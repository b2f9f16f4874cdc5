// The designer: the sidebar view, *nnspec: Open Designer to the Side* (a panel beside the spec
// with the same designer, restored after a window reload), and the diagram exports. Both views
// share one Designer.

import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis';
import type { TrainingControllerApi } from '../training/api';
import { Designer } from './designer';
import type { DesignerLab } from './labRelay';
import { DesignerView } from './view';

export const VIEW_TYPE = 'nnspec.designer';
export const PANEL_TYPE = 'nnspec.designerPanel';

/**
 * Registers the designer views and their commands (openDesigner, openDesignerToSide,
 * exportDiagramSvg/Png); the designer is returned for the commands that need a view (Predict an
 * Image has one decode the picture).
 */
export function registerDesigner(
  context: vscode.ExtensionContext,
  analysis: AnalysisService,
  controller: TrainingControllerApi,
  lab?: DesignerLab,
): { designer: Designer; disposables: vscode.Disposable[] } {
  const { extensionUri } = context;
  let sidebar: DesignerView | undefined;
  let panel: DesignerView | undefined;
  const designer = new Designer(analysis, controller, () => vscode.commands.executeCommand(`${VIEW_TYPE}.focus`), lab);
  const attach = (view: DesignerView): DesignerView => {
    designer.attach(view);
    return view;
  };
  /** Makes a webview panel the designer beside the spec: a new one, or one VS Code restores after a reload. */
  const adoptPanel = (webview: vscode.WebviewPanel): void => {
    webview.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nnspec.svg');
    panel = attach(
      new DesignerView('panel', webview, extensionUri, {
        handle: (view, msg) => designer.handle(view, msg),
        visibilityChanged: (view) => designer.visibilityChanged(view),
        closed: (view) => {
          if (panel === view) panel = undefined;
          designer.closed(view);
        },
      }),
    );
  };
  const openToSide = (): void => {
    if (panel) return panel.reveal();
    adoptPanel(vscode.window.createWebviewPanel(PANEL_TYPE, 'nnspec Designer', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { retainContextWhenHidden: false }));
  };
  const disposables = [
    designer,
    vscode.window.registerWebviewViewProvider(VIEW_TYPE, {
      resolveWebviewView(webview) {
        if (sidebar) {
          designer.closed(sidebar);
          sidebar.dispose();
        }
        sidebar = attach(
          new DesignerView('sidebar', webview, extensionUri, {
            handle: (view, msg) => designer.handle(view, msg),
            visibilityChanged: (view) => designer.visibilityChanged(view),
            closed: (view) => {
              if (sidebar === view) sidebar = undefined;
              designer.closed(view);
            },
          }),
        );
      },
    }),
    // the panel comes back after a window reload, where it was (the webview restores its own view state)
    vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, {
      async deserializeWebviewPanel(webview) {
        if (panel) webview.dispose(); // one designer panel at a time
        else adoptPanel(webview);
      },
    }),
    vscode.commands.registerCommand('nnspec.openDesigner', () => (sidebar ? sidebar.reveal() : vscode.commands.executeCommand(`${VIEW_TYPE}.focus`))),
    vscode.commands.registerCommand('nnspec.openDesignerToSide', openToSide),
    vscode.commands.registerCommand('nnspec.exportDiagramSvg', (target?: vscode.Uri | string) => designer.exportDiagram('svg', target)),
    vscode.commands.registerCommand('nnspec.exportDiagramPng', (target?: vscode.Uri | string) => designer.exportDiagram('png', target)),
  ];
  return { designer, disposables };
}
