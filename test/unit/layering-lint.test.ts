import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared-fixtures';

// The layering rule (eslint.config.js, eslint-plugin-boundaries) run on snippets placed, by name only, in each
// layer: the forbidden imports are refused with the layer's message, the allowed ones pass.
const eslint = new ESLint({ cwd: repoRoot });
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => `${m.line}: ${m.message}`);
}

describe('layering (eslint-plugin-boundaries)', () => {
  it('shared stays pure: no other layer, no Node built-ins, no electron, no UI or native libraries', async () => {
    const errors = await boundaryErrors(
      'app/shared/layering-probe.ts',
      [
        "import type { Logger } from '../engine/logging/logger';",
        "import fs from 'node:fs';",
        "import path from 'path';",
        "import { app } from 'electron';",
        "import React from 'react';",
        "import Database from 'better-sqlite3';",
        "export { parseHeadlessArgs } from '../server/cli-args';",
        "import { maskUrlCredentials } from './url-masking';",
        'void [fs, path, app, React, Database, maskUrlCredentials];',
        'export type { Logger };',
      ].join('\n'),
    );
    expect(errors).toEqual([
      '1: app/shared must not import app/engine (layering, see eslint.config.js)',
      '2: This layer must stay free of Node built-ins.',
      '3: This layer must stay free of Node built-ins.',
      '4: Only app/main and app/preload may import electron.',
      '5: UI libraries belong to app/renderer.',
      '6: Native and server libraries belong to the engine or hosts.',
      '7: app/shared must not import app/server (layering, see eslint.config.js)',
    ]);
  });

  it('the engine never imports electron, main, renderer, server or cli (also not lazily); Node and shared are fine', async () => {
    const errors = await boundaryErrors(
      'app/engine/layering-probe.ts',
      [
        "import { app } from 'electron/main';",
        "import { UtilityProcessStarter } from '../main/utility-process-starter';",
        "const later = () => import('../server/cli-args');",
        "import fs from 'node:fs';",
        "import { maskUrlCredentials } from '../shared/url-masking';",
        'void [app, UtilityProcessStarter, later, fs, maskUrlCredentials];',
      ].join('\n'),
    );
    expect(errors).toEqual([
      '1: Only app/main and app/preload may import electron.',
      '2: app/engine must not import app/main (layering, see eslint.config.js)',
      '3: app/engine must not import app/server (layering, see eslint.config.js)',
    ]);
  });

  it('nothing imports main, renderer, server or cli; main may use electron and the engine', async () => {
    expect(await boundaryErrors('app/server/layering-probe.ts', "import { UtilityProcessStarter } from '../main/utility-process-starter';\nvoid UtilityProcessStarter;")).toEqual([
      '1: app/server must not import app/main (layering, see eslint.config.js)',
    ]);
    expect(await boundaryErrors('app/cli/layering-probe.ts', "import { parseHeadlessArgs } from '../server/cli-args';\nvoid parseHeadlessArgs;")).toEqual([
      '1: app/cli must not import app/server (layering, see eslint.config.js)',
    ]);
    expect(
      await boundaryErrors('app/main/layering-probe.ts', "import { app } from 'electron';\nimport fs from 'node:fs';\nimport { nullLogger } from '../engine/logging/logger';\nvoid [app, fs, nullLogger];"),
    ).toEqual([]);
  });

  it('the renderer: shared and browser libraries only', async () => {
    const errors = await boundaryErrors(
      'app/renderer/src/layering-probe.ts',
      ["import { nullLogger } from '../../engine/logging/logger';", "import { ipcRenderer } from 'electron';", "import os from 'os';", "import WebSocket from 'ws';", "import { create } from 'zustand';", 'void [nullLogger, ipcRenderer, os, WebSocket, create];'].join('\n'),
    );
    expect(errors).toEqual([
      '1: app/renderer must not import app/engine (layering, see eslint.config.js)',
      '2: Only app/main and app/preload may import electron.',
      '3: This layer must stay free of Node built-ins.',
      '4: Native and server libraries belong to the engine or hosts.',
    ]);
  });
});
