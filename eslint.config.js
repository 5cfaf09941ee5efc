// Layering is enforced here with eslint-plugin-boundaries (see README "Architecture"; test/unit/layering-lint.test.ts
// shows each refusal on probe snippets):
//   shared   -> nothing runtime-specific (no node:, no electron, no react)
//   engine   -> shared (+ node); never electron, never main/renderer/server
//   server   -> engine, shared (headless host; never electron)
//   cli      -> engine, shared
//   main     -> engine, shared, electron
//   preload  -> shared, electron
//   renderer -> shared (+ browser libs); never node:, never electron
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

// The layers, one element each (a file's folder under app/ says which layer it is in).
const layers = ['shared', 'engine', 'main', 'preload', 'renderer', 'server', 'cli'];
const elements = layers.map((type) => ({ type, pattern: `app/${type}/**`, partialMatch: false }));
// Modules a layer may be kept away from, by name (`source` is the package, whatever subpath is imported).
const electron = { module: { origin: 'external', source: 'electron' } };
const nodeBuiltins = { module: { origin: 'core' } };
const uiLibraries = { module: { origin: 'external', source: ['react', 'react-dom', 'react-konva', 'konva', 'zustand'] } };
const nativeLibraries = { module: { origin: 'external', source: ['better-sqlite3', 'onnxruntime-node', 'ws'] } };
const layer = (type, forbiddenLayers, extra = []) => [
  {
    from: { element: { type } },
    disallow: { to: { element: { types: forbiddenLayers } } },
    message: `app/${type} must not import app/{{to.element.type}} (layering, see eslint.config.js)`,
  },
  ...extra.map(([to, message]) => ({ from: { element: { type } }, disallow: { to }, message })),
];
const noElectron = [electron, 'Only app/main and app/preload may import electron.'];
const noNode = [nodeBuiltins, 'This layer must stay free of Node built-ins.'];
const noReact = [uiLibraries, 'UI libraries belong to app/renderer.'];
const noNative = [nativeLibraries, 'Native and server libraries belong to the engine or hosts.'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'artifacts/**', 'native-models/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      // import and export ... from, static or dynamic, type-only included (as no-restricted-imports did)
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true, // electron, Node built-ins and libraries too, not only app/ files
          policies: [
            ...layer('shared', ['engine', 'main', 'preload', 'renderer', 'server', 'cli'], [noElectron, noNode, noReact, noNative]),
            ...layer('engine', ['main', 'preload', 'renderer', 'server', 'cli'], [noElectron, noReact]),
            ...layer('server', ['main', 'preload', 'renderer', 'cli'], [noElectron, noReact]),
            ...layer('cli', ['main', 'preload', 'renderer', 'server'], [noElectron, noReact]),
            ...layer('main', ['preload', 'renderer', 'server', 'cli'], [noReact]),
            ...layer('preload', ['engine', 'main', 'renderer', 'server', 'cli'], [noNode, noReact, noNative]),
            ...layer('renderer', ['engine', 'main', 'preload', 'server', 'cli'], [noElectron, noNode, noNative]),
          ],
        },
      ],
    },
  },
  {
    // Times an officer reads are shown in the site's zone, 24-hour: through i18n/format-time.ts, not the browser's
    // locale and zone. (Numbers may still use toLocaleString('en') for thousands separators.)
    files: ['app/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]", message: 'Format times with formatTime (i18n/format-time.ts): site zone, 24-hour.' },
        { selector: "CallExpression[callee.property.name='toLocaleString'][callee.object.type='NewExpression'][callee.object.callee.name='Date']", message: 'Format times with formatTime (i18n/format-time.ts): site zone, 24-hour.' },
      ],
    },
  },
);
