/** One finding of scripts/dead-exports.mjs: `name` null means no file imports the module. */
export interface DeadExport {
  file: string;
  name: string | null;
  /** The name is used inside its own module (only the `export` is superfluous); not an error. */
  usedInModule: boolean;
}
export const ENTRY_POINTS: RegExp[];
export function findDeadExports(root: string, options?: { candidates?: string; entryPoints?: RegExp[]; scanned?: string[] }): DeadExport[];
