// Activation stays thin: create the shared analysis service, then let each feature register
// itself. Everything with logic lives in src/language, src/trainer and src/host/*.

import * as vscode from 'vscode';
import { AnalysisService } from './host/analysis';
import { registerLanguageFeatures } from './host/languageFeatures';

export function activate(context: vscode.ExtensionContext): void {
  const analysis = new AnalysisService(undefined);
  context.subscriptions.push(analysis, ...registerLanguageFeatures(analysis));
}

export function deactivate(): void {}
