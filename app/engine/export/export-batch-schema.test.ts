import fs from 'node:fs';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { EXPORT_EVENT_TYPES, type ExportEvent } from '../../shared/domain/export';
import type { AlarmChange } from '../alarms/alarm-store';
import { batchIdOf, EXPORT_BATCH_SCHEMA, EXPORT_BATCH_VERSION } from './https-sink';
import { alarmOutboxItem, ledgerOutboxItem } from './ledger-outbox';
import type { OutboxItem } from './outbox';
import { toExportEvent } from './sink-runner';

/**
 * The published HTTPS batch schema (resources/schemas/export-batch.v1.schema.json) against what the app sends:
 * its version and constants, every event type, and real events of each kind (ledger row, camera status, rule,
 * camera-health and site-level system alarm transitions) validate. Version 1 only grows compatibly: the event's
 * keys stay fixed and new fields go into the open `data` object.
 */
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  oneOf?: Schema[];
  $ref?: string;
  $defs?: Record<string, Schema>;
};
const schema = JSON.parse(fs.readFileSync(new URL('../../../resources/schemas/export-batch.v1.schema.json', import.meta.url), 'utf8')) as Schema;

/** The subset of JSON Schema 2020-12 the file uses. Returns the paths that fail. */
function validate(s: Schema, v: unknown, at = '$'): string[] {
  if (s.$ref) return validate(schema.$defs![s.$ref.replace('#/$defs/', '')]!, v, at);
  const errs: string[] = [];
  const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (s.type && !(Array.isArray(s.type) ? s.type : [s.type]).some((t) => t === kind || (t === 'number' && kind === 'integer'))) return [`${at}: type ${kind}`];
  if ('const' in s && s.const !== v) errs.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(v)) errs.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (typeof v === 'string') {
    if (s.pattern && !new RegExp(s.pattern).test(v)) errs.push(`${at}: ${v} does not match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) errs.push(`${at}: too short`);
    if (s.maxLength !== undefined && v.length > s.maxLength) errs.push(`${at}: too long`);
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(`${at}: too many items`);
    if (s.items) v.forEach((x, i) => errs.push(...validate(s.items!, x, `${at}[${i}]`)));
  }
  if (kind === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) errs.push(`${at}.${k}: missing`);
    for (const [k, x] of Object.entries(o)) {
      if (s.properties?.[k]) errs.push(...validate(s.properties[k], x, `${at}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${at}.${k}: not allowed`);
    }
  }
  if (s.oneOf && s.oneOf.filter((x) => validate(x, v, at).length === 0).length !== 1) errs.push(`${at}: not exactly one of oneOf`);
  return errs;
}

const site = 'north';
const at = Date.UTC(2026, 0, 1, 8);
const event = (item: OutboxItem, seq = 1): ExportEvent => toExportEvent({ ...item, seq, createdMs: at }, site);
const batch = (events: ExportEvent[]) => ({ schema: EXPORT_BATCH_SCHEMA, version: EXPORT_BATCH_VERSION, batchId: batchIdOf('S1', events), site, sentAt: new Date(at).toISOString(), events });

const common = { type: 'x', priority: 2, basePriority: 2, snapshot: null, triggerCount: 1, escalations: 0, openedMs: at, openedAt: '', lastTriggerMs: at, recoveredMs: null, acknowledgedMs: null, acknowledgedBy: null, updatedMs: at, status: 'new' as const };
const entry = (alarmId: string, seq: number, action: AlarmChange['action'], by = 'system'): AlarmChange['entry'] => ({ alarmId, seq, action, fromStatus: seq === 1 ? null : 'new', toStatus: action === 'acknowledge' ? 'acknowledged' : 'new', priority: 2, by, atMs: at, at: '', outcome: null, comment: null });

describe('export batch schema, version 1', () => {
  it('names the constants the HTTPS sink sends and every event type the app exports', () => {
    expect(schema.properties!.schema!.const).toBe(EXPORT_BATCH_SCHEMA);
    expect(schema.properties!.version!.const).toBe(EXPORT_BATCH_VERSION);
    expect(schema.$defs!.event!.properties!.type!.enum).toEqual([...EXPORT_EVENT_TYPES]);
    // Compatible growth only: the event's keys are fixed, `data` stays open for new fields.
    expect(schema.$defs!.event!.required).toEqual(['id', 'type', 'site', 'cameraId', 'ruleId', 'at', 'data']);
    expect(schema.$defs!.event!.additionalProperties).toBe(false);
    expect(schema.$defs!.event!.properties!.data!.additionalProperties).toBeUndefined();
  });

  it('accepts the events the app sends: ledger rows, camera status, and rule, camera-health and system alarm transitions', () => {
    const ruleId = ulid(at);
    const healthId = ulid(at + 1);
    const sysId = ulid(at + 2);
    const outboxId = ulid(at + 3);
    const externalId = ulid(at + 4);
    const events = [
      event(ledgerOutboxItem({ id: ulid(at), cameraId: 'cam-1', ruleId: 'door', trackId: 4, cls: 'person', type: 'line.cross', direction: 'in', confidence: 0.9, frameMs: at, source: 'live', box: [0.1, 0.2, 0.3, 0.4] })),
      event({ id: ulid(at), type: 'camera.status', cameraId: 'cam-1', ruleId: null, atMs: at, data: { state: 'reconnecting', reason: 'no frames', attempt: 2 } }),
      event(alarmOutboxItem({ action: 'open', alarm: { ...common, id: ruleId, kind: 'rule', cameraId: 'cam-1', ruleId: 'door', condition: null, trackId: 4, eventId: ulid(at), subject: null, detail: null }, entry: entry(ruleId, 1, 'open') })),
      event(alarmOutboxItem({ action: 'open', alarm: { ...common, id: healthId, kind: 'health', cameraId: 'cam-1', ruleId: null, condition: 'offline', trackId: null, eventId: null, subject: null, detail: null }, entry: entry(healthId, 1, 'open') })),
      event(
        alarmOutboxItem({
          action: 'acknowledge',
          alarm: { ...common, id: sysId, kind: 'system', cameraId: null, ruleId: null, condition: 'export-backlog', trackId: null, eventId: null, subject: 'sink:S1', detail: { condition: 'export-backlog', sinkId: 'S1', sinkName: 'HQ', backlog: 12, oldestAgeMs: null, ageThresholdMs: 900_000, countThreshold: 10 } },
          entry: entry(sysId, 2, 'acknowledge', 'ana'),
        }),
      ),
      event(
        alarmOutboxItem({
          action: 'open',
          alarm: { ...common, id: outboxId, kind: 'system', cameraId: null, ruleId: null, condition: 'outbox-near-cap', trackId: null, eventId: null, subject: 'outbox', detail: { condition: 'outbox-near-cap', rows: 90, undelivered: 85, cap: 100, warnRatio: 0.8, droppedTotal: 0 } },
          entry: entry(outboxId, 1, 'open'),
        }),
      ),
      event(
        alarmOutboxItem({
          action: 'open',
          alarm: { ...common, id: externalId, kind: 'system', cameraId: null, ruleId: null, condition: 'external-alarm', trackId: null, eventId: null, subject: 'external:panel:e1', detail: { condition: 'external-alarm', source: 'panel', eventId: 'e1', text: 'Door forced', cameraId: 'cam-1' } },
          entry: entry(externalId, 1, 'open', 'api:panel'),
        }),
      ),
    ];
    expect(events[4]).toMatchObject({ id: `${sysId}-2`, cameraId: null, data: { subject: 'sink:S1', detail: { sinkName: 'HQ' }, by: 'ana' } });
    expect(validate(schema, batch(events))).toEqual([]);
  });

  it('still accepts a batch as earlier builds sent it, and refuses what breaks the contract', () => {
    const old = {
      schema: 'watchroom.export-batch',
      version: 1,
      batchId: 'a'.repeat(32),
      site,
      sentAt: '2026-01-01T08:00:00.000Z',
      events: [
        { id: '01JH0000000000000000000000-3', type: 'alarm.transition', site, cameraId: 'cam-1', ruleId: 'door', at: '2026-01-01T08:00:00.000Z', data: { alarmId: '01JH0000000000000000000000', action: 'close', from: 'acknowledged', to: 'closed', priority: 2, by: 'ana', alarmType: 'zone.intrusion', condition: null, trackId: 4, ledgerEventId: null, outcome: 'false-alarm' } },
      ],
    };
    expect(validate(schema, old)).toEqual([]);
    expect(validate(schema, { ...old, version: 2 })).not.toEqual([]);
    expect(validate(schema, { ...old, events: [{ ...old.events[0]!, id: 'not-an-id' }] })).not.toEqual([]);
    expect(validate(schema, { ...old, events: [{ ...old.events[0]!, subject: 'outbox' }] })).not.toEqual([]); // new fields live in data only
    expect(validate(schema, { ...old, events: [{ ...old.events[0]!, data: { ...old.events[0]!.data, detail: { condition: 'outbox-near-cap' } } }] })).not.toEqual([]);
  });
});
