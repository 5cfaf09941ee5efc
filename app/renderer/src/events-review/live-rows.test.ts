import { describe, expect, it } from 'vitest';
import type { LedgerRowView, ReviewRow } from '../../../shared/ipc/events.contract';
import { prependLive, type LiveRowFilter } from './live-rows';

const ANY: LiveRowFilter = { cameraId: '', ruleId: '', type: '', cls: '', fromMs: null, toMs: null };
const row = (id: string, frameMs: number, extra: Partial<LedgerRowView> = {}): LedgerRowView =>
  ({ id, cameraId: 'gate', ruleId: 'door', trackId: 1, type: 'line.cross', direction: 'in', cls: 'person', count: 1, confidence: 0.9, frameAt: new Date(frameMs).toISOString(), frameMs, modelId: null, snapshot: null, source: 'live', ...extra }) as LedgerRowView;

describe('events list: live rows (push, no reload)', () => {
  it('puts a pushed event on top, newest first', () => {
    const listed: ReviewRow[] = [{ ...row('b', 2000), kind: 'ledger' }];
    const next = prependLive(listed, [row('c', 3000), row('d', 4000)], ANY);
    expect(next.map((r) => (r.kind === 'ledger' ? r.id : ''))).toEqual(['d', 'c', 'b']);
  });
  it('does not double an event already listed, and leaves the list alone when nothing matches', () => {
    const listed: ReviewRow[] = [{ ...row('b', 2000), kind: 'ledger' }];
    expect(prependLive(listed, [row('b', 2000)], ANY)).toBe(listed);
    expect(prependLive(listed, [row('x', 3000, { cameraId: 'lobby' })], { ...ANY, cameraId: 'gate' })).toBe(listed);
    expect(prependLive(listed, [row('x', 3000, { cls: 'car' })], { ...ANY, cls: 'Person' })).toBe(listed);
    expect(prependLive(listed, [row('x', 3000)], { ...ANY, toMs: 2500 })).toBe(listed);
    expect(prependLive(listed, [row('x', 3000, { type: 'zone.enter' })], { ...ANY, type: 'line.cross' })).toBe(listed);
  });
});
