import { z } from 'zod';
import { invokeSpec } from './channel';

/** Named live-view layouts, saved per user (the actor name). */

export const GridPresetSchema = z.enum(['1', '2x2', '3x3', '4x4', 'custom']);
export type GridPreset = z.infer<typeof GridPresetSchema>;

/** One tile: a grid cell (0-based) with its span and the camera shown (null = empty). */
export const LayoutTileSchema = z.object({
  col: z.number().int().min(0).max(7),
  row: z.number().int().min(0).max(7),
  colSpan: z.number().int().min(1).max(8).default(1),
  rowSpan: z.number().int().min(1).max(8).default(1),
  cameraId: z.string().min(1).max(64).nullable(),
});
export type LayoutTile = z.output<typeof LayoutTileSchema>;

/** A layout's body. */
export const LayoutBodySchema = z
  .object({
    grid: GridPresetSchema,
    columns: z.number().int().min(1).max(8),
    rows: z.number().int().min(1).max(8),
    tiles: z.array(LayoutTileSchema).max(64),
  })
  .superRefine((l, ctx) => {
    l.tiles.forEach((t, i) => {
      if (t.col + t.colSpan > l.columns || t.row + t.rowSpan > l.rows) ctx.addIssue({ code: 'custom', path: ['tiles', i], message: `Tile ${i + 1} does not fit in a ${l.columns}x${l.rows} grid.` });
    });
  });
export type LayoutBody = z.output<typeof LayoutBodySchema>;

export const LayoutSchema = z.object({
  id: z.string(),
  /** User the layout belongs to. */
  owner: z.string(),
  name: z.string(),
  body: LayoutBodySchema,
  updatedAt: z.string(),
  /** Cameras the layout names that no longer exist (their tiles show as empty). */
  missingCameras: z.array(z.string()),
});
export type Layout = z.infer<typeof LayoutSchema>;

const NameSchema = z.string().trim().min(1, 'Give the layout a name.').max(80);

export const layoutsInvoke = {
  'layouts:list': invokeSpec(z.object({}), z.array(LayoutSchema), "The signed-in user's layouts."),
  'layouts:save': invokeSpec(
    z.object({ name: NameSchema, body: LayoutBodySchema, /** Make it the current layout (restored at start); default true. */ makeCurrent: z.boolean().default(true) }),
    LayoutSchema,
    'Saves (creates or replaces by name) a layout of the signed-in user. Refused when a tile names a camera that does not exist.',
  ),
  'layouts:delete': invokeSpec(z.object({ id: z.string().min(1).max(64) }), z.object({ deleted: z.boolean() }), 'Deletes one of the user’s layouts.'),
  'layouts:set-current': invokeSpec(z.object({ id: z.string().min(1).max(64) }), LayoutSchema, 'Makes a layout the one restored at start.'),
  'layouts:current': invokeSpec(z.object({}), LayoutSchema.nullable(), 'The layout the user had on screen (null: none saved yet).'),
} as const;
