// ESLint (flat config) with typescript-eslint: the recommended rules, and the walls between the
// rooms as import rules per folder (docs/architecture.md draws them). `npm run lint`, and part
// of `npm test`. The TypeScript projects (tsc -b) keep the same walls by their types.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const NODE = { paths: [...builtinModules, 'vscode'].map((name) => ({ name, message: 'this room runs without Node and vscode (see docs/architecture.md)' })), regex: '^node:' };

/** no-restricted-imports: the modules and the folders a room may not import. */
function walls(room, { node = false, vscode = false, folders = [] }) {
  const paths = [];
  const patterns = [];
  if (!node) {
    paths.push(...NODE.paths.filter((p) => p.name !== 'vscode'));
    patterns.push({ regex: NODE.regex, message: `${room} runs without Node: no node: imports (see docs/architecture.md)` });
  }
  if (!vscode) paths.push({ name: 'vscode', message: `${room} does not use the vscode API: only src/host does (see docs/architecture.md)` });
  for (const folder of folders) patterns.push({ regex: `(^|/)${folder}(/|$)`, message: `${room} may not import ${folder}/ (see docs/architecture.md)` });
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', 'src/**/*.as.ts', '**/*.js', '**/*.mjs', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  // Cephes' constants, written with the digits they are published with
  { files: ['src/trainer/elementary.ts'], rules: { 'no-loss-of-precision': 'off' } },
  // tests build hostile objects field by field
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/shared/model/**/*.ts'], rules: walls('src/shared/model', { folders: ['wire', 'language', 'trainer', 'lab', 'export', 'cli', 'host', 'webview'] }) },
  { files: ['src/shared/wire/**/*.ts'], rules: walls('src/shared/wire', { folders: ['language', 'trainer', 'lab', 'export', 'cli', 'host', 'webview'] }) },
  { files: ['src/language/**/*.ts'], rules: walls('src/language', { folders: ['shared/wire', 'trainer', 'lab', 'export', 'cli', 'host', 'webview'] }) },
  { files: ['src/trainer/**/*.ts'], rules: walls('src/trainer', { node: true, folders: ['language', 'lab', 'export', 'cli', 'host', 'webview'] }) },
  { files: ['src/lab/**/*.ts', 'src/export/**/*.ts'], rules: walls('src/lab and src/export', { node: true, folders: ['cli', 'host', 'webview'] }) },
  { files: ['src/cli.ts', 'src/cli/**/*.ts'], rules: walls('the CLI', { node: true, folders: ['host', 'webview'] }) },
  { files: ['src/extension.ts', 'src/host/**/*.ts'], rules: walls('src/host', { node: true, vscode: true, folders: ['webview'] }) },
  { files: ['webview/**/*.ts'], rules: walls('webview/', { folders: ['src/(?!shared/)[^/]+'] }) },
  { files: ['test/**/*.ts', 'scripts/**/*.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
