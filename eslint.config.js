// Layering is enforced here (see README "Architecture"):
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

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'os', 'net', 'crypto', 'http', 'https', 'stream', 'util', 'events', 'worker_threads'];
const layer = (name, forbidden, extra = []) => ({
  files: [`app/${name}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        ...forbidden.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message: `app/${name} must not import app/${f} (layering, see eslint.config.js)` })),
        ...extra,
      ],
    }],
  },
});
const noElectron = { group: ['electron', 'electron/*'], message: 'Only app/main and app/preload may import electron.' };
const noNode = { group: nodeBuiltins, message: 'This layer must stay free of Node built-ins.' };
const noReact = { group: ['react', 'react-dom', 'react-konva', 'konva', 'zustand'], message: 'UI libraries belong to app/renderer.' };
const noNative = { group: ['better-sqlite3', 'onnxruntime-node', 'ws'], message: 'Native and server libraries belong to the engine or hosts.' };

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
  layer('shared', ['engine', 'main', 'preload', 'renderer', 'server', 'cli'], [noElectron, noNode, noReact, noNative]),
  layer('engine', ['main', 'preload', 'renderer', 'server', 'cli'], [noElectron, noReact]),
  layer('server', ['main', 'preload', 'renderer', 'cli'], [noElectron, noReact]),
  layer('cli', ['main', 'preload', 'renderer', 'server'], [noElectron, noReact]),
  layer('main', ['preload', 'renderer', 'server', 'cli'], [noReact]),
  layer('preload', ['engine', 'main', 'renderer', 'server', 'cli'], [noNode, noReact, noNative]),
  layer('renderer', ['engine', 'main', 'preload', 'server', 'cli'], [noElectron, noNode, noNative]),
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
