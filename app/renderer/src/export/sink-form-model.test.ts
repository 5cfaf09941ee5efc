import { describe, expect, it } from 'vitest';
import { ExportSinkInputSchema, type ExportSinkView } from '../../../shared/domain/export';
import { formFromView, inputFromForm } from './sink-form-model';

describe('sink form model', () => {
  it('a new HTTPS sink becomes a valid save payload with its secret', () => {
    const f = { ...formFromView(), name: 'HQ', site: 'north', url: 'https://hq.example/ingest', secret: 'tok' };
    const input = inputFromForm(f);
    expect(ExportSinkInputSchema.parse(input)).toMatchObject({ name: 'HQ', site: 'north', target: { kind: 'https', auth: 'bearer' }, secret: 'tok', tuning: { batchSize: 500 } });
  });

  it('editing keeps the saved secret when the field is left empty, and round-trips PostgreSQL settings', () => {
    const view = {
      id: 'S1',
      name: 'central',
      enabled: true,
      site: 'west',
      target: { kind: 'postgres', host: 'db', port: 5433, database: 'ops', user: 'wr', schema: 'watchroom', ssl: true, caPem: '' },
      filters: { types: ['camera.status'], cameraIds: [], ruleIds: ['door', 'gate'] },
      tuning: { batchSize: 200, timeoutMs: 5000, backlogAlarmMinutes: 30, backlogAlarmEvents: 5000, failureThreshold: 3, maxBackoffMs: 60000 },
      secretSet: true,
    } as unknown as ExportSinkView;
    const input = inputFromForm(formFromView(view));
    expect(input).not.toHaveProperty('secret');
    expect(ExportSinkInputSchema.parse(input)).toMatchObject({ id: 'S1', target: { kind: 'postgres', port: 5433, ssl: true }, filters: { types: ['camera.status'], ruleIds: ['door', 'gate'] }, tuning: { backlogAlarmMinutes: 30, backlogAlarmEvents: 5000 } });
  });

  it('a number field left empty fails validation instead of becoming 0', () => {
    const f = { ...formFromView(), name: 'x', site: 's', url: 'https://h/x', batchSize: '' };
    expect(ExportSinkInputSchema.safeParse(inputFromForm(f)).success).toBe(false);
  });
});
