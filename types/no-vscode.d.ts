// What `vscode` resolves to outside the extension host (see tsconfig.base.json): an empty
// module, so that `import ... from 'vscode'` in src/shared, src/language, src/trainer, src/lab,
// src/export, src/cli, webview/ or scripts/ fails to compile ("has no exported member"). Only
// src/host (and the tests) see the real API.

export declare const vscodeIsOnlyForSrcHost: never;
