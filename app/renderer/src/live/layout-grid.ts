import type { GridPreset, LayoutBody, LayoutTile } from '../../../shared/ipc/layouts.contract';

/** Columns x rows of each preset. */
export const PRESET_SIZE: Record<Exclude<GridPreset, 'custom'>, number> = { '1': 1, '2x2': 2, '3x3': 3, '4x4': 4 };
export const PRESETS: readonly Exclude<GridPreset, 'custom'>[] = ['1', '2x2', '3x3', '4x4'];

/**
 * A preset grid filled with the cameras of the previous layout in reading order (then the given cameras not
 * shown yet), so switching 2x2 -> 3x3 keeps what the officer had on screen.
 */
export function presetLayout(grid: Exclude<GridPreset, 'custom'>, previous: LayoutBody | null, cameraIds: readonly string[]): LayoutBody {
  const n = PRESET_SIZE[grid];
  const kept = previous ? [...previous.tiles].sort((a, b) => a.row - b.row || a.col - b.col).map((t) => t.cameraId).filter((id): id is string => id !== null) : [];
  const order = [...kept, ...cameraIds.filter((id) => !kept.includes(id))];
  const tiles: LayoutTile[] = [];
  for (let i = 0; i < n * n; i++) tiles.push({ col: i % n, row: Math.floor(i / n), colSpan: 1, rowSpan: 1, cameraId: order[i] ?? null });
  return { grid, columns: n, rows: n, tiles };
}

/** Puts a camera in tile `index` (a camera already shown elsewhere moves: its old tile is emptied). */
export function assignCamera(body: LayoutBody, index: number, cameraId: string | null): LayoutBody {
  if (index < 0 || index >= body.tiles.length) return body;
  const tiles = body.tiles.map((t, i) => (i === index ? { ...t, cameraId } : cameraId !== null && t.cameraId === cameraId ? { ...t, cameraId: null } : t));
  return { ...body, tiles };
}

/**
 * Custom span: tile `index` grows to colSpan x rowSpan; tiles it now covers are removed. Marks the layout custom.
 * Returns the body unchanged when the span does not fit the grid.
 */
export function spanTile(body: LayoutBody, index: number, colSpan: number, rowSpan: number): LayoutBody {
  const t = body.tiles[index];
  if (!t || t.col + colSpan > body.columns || t.row + rowSpan > body.rows || colSpan < 1 || rowSpan < 1) return body;
  const grown = { ...t, colSpan, rowSpan };
  const covered = (o: LayoutTile) => o.col >= t.col && o.col < t.col + colSpan && o.row >= t.row && o.row < t.row + rowSpan;
  const tiles = body.tiles.filter((o, i) => i === index || !covered(o)).map((o) => (o === t ? grown : o));
  return { ...body, grid: 'custom', tiles };
}
