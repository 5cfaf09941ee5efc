import { z } from 'zod';
import { CameraIdSchema, CameraInputSchema, CameraPatchSchema, CameraStateSchema, CameraViewSchema } from '../domain/camera';
import { invokeSpec, pushSpec } from './channel';

export const camerasInvoke = {
  'cameras:list': invokeSpec(z.void(), z.array(CameraViewSchema), 'All cameras with their current state.'),
  'cameras:add': invokeSpec(CameraInputSchema, CameraViewSchema, 'Validates and saves a camera; starts it when enabled.'),
  'cameras:update': invokeSpec(z.object({ id: CameraIdSchema, patch: CameraPatchSchema }), CameraViewSchema, 'Edits a camera; a password sent back as *** keeps the saved one.'),
  'cameras:remove': invokeSpec(z.object({ id: CameraIdSchema }), z.object({ id: CameraIdSchema }), 'Stops and deletes a camera.'),
  'cameras:set-enabled': invokeSpec(z.object({ id: CameraIdSchema, enabled: z.boolean() }), CameraViewSchema, 'Enables or disables a camera.'),
} as const;

export const camerasPush = {
  'cameras:changed': pushSpec(z.array(CameraViewSchema), 'The camera list changed (added, edited, removed).'),
  'cameras:state': pushSpec(z.object({ id: CameraIdSchema, state: CameraStateSchema }), 'One camera changed lifecycle state.'),
} as const;
