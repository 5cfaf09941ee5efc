import { z } from 'zod';
import { HealthReportSchema } from '../domain/health';
import { invokeSpec, pushSpec } from './channel';

export const healthInvoke = {
  'health:get': invokeSpec(z.void(), HealthReportSchema, 'Health of every component (database, cameras, workers).'),
} as const;
export const healthPush = {
  'health:update': pushSpec(HealthReportSchema, 'Pushed every few seconds.'),
} as const;
