import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { ReportModel } from '../../shared/domain/reports';
import type { LedgerRowView, RuleTotalsSchema } from '../../shared/ipc/events.contract';
import type { z } from 'zod';
import { asRole, createUser, setupAdmin, signIn, TEST_PASSWORD } from '../auth/as-role.test-support';
import { authTestEngine } from '../auth/engine-auth.test-support';
import type { LedgerRow } from '../ledger/ledger.repository';
import { liveCounters } from './live-counters';

/**
 * Voids and corrections made by a supervisor through real sessions (password, four-eyes where the policy asks)
 * change every figure derived from the ledger: counts:totals, the live counters, and reports built from the
 * 15-minute rollup and from the effective ledger rows alike.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Engine = ReturnType<typeof authTestEngine>['engine'];
type Result = { ok: boolean; value?: unknown; error?: { code?: string; message?: string; details?: unknown } };

const T = Date.UTC(2026, 10, 23, 10, 0);
const box: [number, number, number, number] = [0.4, 0.3, 0.6, 0.9];
const cross = (track: number, dir: 'in' | 'out', cls = 'person'): AnalyticsEvent => ({ type: 'line.cross', rule: 'door', dir, track, t: 1, cls, score: 0.9, box });
const zone = (track: number, type: 'zone.enter' | 'zone.exit'): AnalyticsEvent => ({ type, rule: 'lobby', track, t: 1, cls: 'person', score: 0.9, box });

async function must(e: Engine, channel: string, input: unknown, peer: string): Promise<unknown> {
  const r = (await e.dispatch(channel, input, { peer })) as Result;
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Builds two reports of the day: one on 15-minute marks (rollup) and one with odd edges (effective ledger rows). */
async function figures(e: Engine, cameraId: string) {
  const aligned = (await must(e, 'reports:build', { type: 'custom', from: '2026-11-23', to: '2026-11-23' }, 'admin')) as ReportModel;
  const odd = (await must(e, 'reports:build', { type: 'custom', from: '2026-11-23T09:07', to: '2026-11-23T11:07' }, 'admin')) as ReportModel;
  const totals = (await must(e, 'counts:totals', { cameraId, to: T + 3600_000 }, 'admin')) as Array<z.infer<typeof RuleTotalsSchema>>;
  const pick = (m: ReportModel) => {
    const door = m.totals.find((r) => r.ruleId === 'door');
    const lobby = m.totals.find((r) => r.ruleId === 'lobby');
    const byClass = new Map<string, number>();
    for (const r of m.rows) byClass.set(`${r.cls}:${r.kind}`, (byClass.get(`${r.cls}:${r.kind}`) ?? 0) + r.count);
    return {
      grand: m.grand,
      door: door && { in: door.in, out: door.out },
      lobby: lobby && { enter: lobby.enter, exit: lobby.exit, occupancy: lobby.occupancy },
      /** Counts per class and kind over the table rows (zero sums left out). */
      byClass: Object.fromEntries([...byClass].filter(([, n]) => n !== 0).sort()),
    };
  };
  // The live counters (overlay, side panel) read today's figures from the ledger; occupancy is the worker's own.
  const report = { frameAt: T + 9 * 60_000, events: [], jpeg: null, counters: { door: { kind: 'line' as const, in: 99, out: 99 }, lobby: { kind: 'zone' as const, enter: 99, exit: 99, occupancy: 3, maxOccupancy: 3 } } };
  const live = liveCounters(cameraId, report, e.events.ledger).counters;
  return { aligned: pick(aligned), odd: pick(odd), live, totals: totals.map(({ ruleId, in: i, out, enter, exit, occupancy }) => ({ ruleId, in: i, out, enter, exit, occupancy })) };
}

describe('voiding and correcting ledger events (supervisor, real sessions)', () => {
  it('changes counts:totals, the live counters and reports (rollup and ledger paths); officers are refused; password and four-eyes as the policy asks', async () => {
    const t = authTestEngine();
    cleanups.push(t.done);
    const e = t.engine;
    await setupAdmin(e, 'admin', 'boss');
    await createUser(e, 'admin', 'sam', 'supervisor');
    await createUser(e, 'admin', 'olga', 'officer');
    await signIn(e, 'sup', 'sam');
    await signIn(e, 'off', 'olga');
    await must(e, 'site:settings-set', { timeZone: 'UTC' }, 'admin');
    const cameraId = ((await must(e, 'cameras:add', { name: 'Door', source: '/v/door.mp4', enabled: false }, 'admin')) as { id: string }).id;

    const events: AnalyticsEvent[][] = [[cross(1, 'in')], [cross(2, 'in')], [cross(3, 'in')], [cross(4, 'out')], [cross(5, 'out')], [cross(6, 'in', 'car')], [zone(7, 'zone.enter')], [zone(8, 'zone.enter')], [zone(7, 'zone.exit')]];
    const rows: LedgerRow[] = events.flatMap((ev, i) => e.events.recordLive({ cameraId, events: ev, frameMs: T + i * 60_000 }));
    const byTrack = (track: number) => rows.find((r) => r.trackId === track)!;

    const before = await figures(e, cameraId);
    const grandBefore = { in: 4, out: 2, enter: 2, exit: 1, alarms: 0 };
    expect(before.aligned).toEqual({ grand: grandBefore, door: { in: 4, out: 2 }, lobby: { enter: 2, exit: 1, occupancy: 1 }, byClass: { 'car:in': 1, 'person:enter': 2, 'person:exit': 1, 'person:in': 3, 'person:out': 2 } });
    expect(before.odd).toEqual(before.aligned);
    expect(before.live).toEqual({ door: { in: 4, out: 2 }, lobby: { enter: 2, exit: 1, occupancy: 3, maxOccupancy: 3 } });
    expect(before.totals).toEqual([
      { ruleId: 'door', in: 4, out: 2, enter: 0, exit: 0, occupancy: 0 },
      { ruleId: 'lobby', in: 0, out: 0, enter: 2, exit: 1, occupancy: 1 },
    ]);

    // An officer may not amend the ledger at all; nothing changes.
    const refused = (await e.dispatch('events:void', { eventId: byTrack(1).id, reason: 'reflection' }, { peer: 'off' })) as Result;
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((refused.error?.details as { reason?: string } | undefined)?.reason).not.toBe('confirm');
    expect((await e.dispatch('events:correct', { eventId: byTrack(4).id, reason: 'x', direction: 'in' }, { peer: 'off' })) as Result).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // A supervisor voids with the password typed again.
    expect(await e.dispatch('events:void', { eventId: byTrack(1).id, reason: 'reflection in the glass door' }, { peer: 'sup' })).toMatchObject({ ok: false, error: { details: { reason: 'confirm', confirm: 'password' } } });
    await must(e, 'auth:elevate', { channel: 'events:void', password: TEST_PASSWORD }, 'sup');
    const voided = (await must(e, 'events:void', { eventId: byTrack(1).id, reason: 'reflection in the glass door' }, 'sup')) as LedgerRowView;
    expect(voided).toMatchObject({ voided: true, voidedBy: 'sam', voidReason: 'reflection in the glass door', corrected: false, correctedBy: null });
    expect(Date.parse(voided.voidedAt!)).toBeGreaterThan(0);

    // Corrections: direction (out → in) and class (car → person), each with the password.
    await must(e, 'auth:elevate', { channel: 'events:correct', password: TEST_PASSWORD }, 'sup');
    expect(await must(e, 'events:correct', { eventId: byTrack(4).id, reason: 'walked in, tracker flipped', direction: 'in' }, 'sup')).toMatchObject({
      direction: 'in', originalDirection: 'out', corrected: true, correctedBy: 'sam', correctionReason: 'walked in, tracker flipped', voided: false,
    });
    await must(e, 'auth:elevate', { channel: 'events:correct', password: TEST_PASSWORD }, 'sup');
    expect(await must(e, 'events:correct', { eventId: byTrack(6).id, reason: 'a person with a pram', cls: 'person' }, 'sup')).toMatchObject({ cls: 'person', originalCls: 'car', corrected: true });
    // A correction that changes nothing is refused.
    await must(e, 'auth:elevate', { channel: 'events:correct', password: TEST_PASSWORD }, 'sup');
    expect(await e.dispatch('events:correct', { eventId: byTrack(6).id, reason: 'again', cls: 'person' }, { peer: 'sup' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    // Under the four-eyes rule for voids, a second user approves.
    await must(e, 'auth:elevate', { channel: 'auth:set-policy', password: TEST_PASSWORD }, 'admin');
    await must(e, 'auth:set-policy', { idleLockMinutes: 10, fourEyes: ['events:void'] }, 'admin');
    expect(await e.dispatch('auth:elevate', { channel: 'events:void', password: TEST_PASSWORD }, { peer: 'sup' })).toMatchObject({ ok: false, error: { details: { confirm: 'four-eyes' } } });
    await must(e, 'auth:elevate', { channel: 'events:void', password: TEST_PASSWORD, approver: { name: 'boss', password: TEST_PASSWORD } }, 'sup');
    expect(await must(e, 'events:void', { eventId: byTrack(8).id, reason: 'a cleaner went in and out twice' }, 'sup')).toMatchObject({ voided: true, voidedBy: 'sam' });

    const after = await figures(e, cameraId);
    const grandAfter = { in: 4, out: 1, enter: 1, exit: 1, alarms: 0 };
    expect(after.aligned).toEqual({ grand: grandAfter, door: { in: 4, out: 1 }, lobby: { enter: 1, exit: 1, occupancy: 0 }, byClass: { 'person:enter': 1, 'person:exit': 1, 'person:in': 4, 'person:out': 1 } });
    expect(after.odd).toEqual(after.aligned);
    expect(after.live).toEqual({ door: { in: 4, out: 1 }, lobby: { enter: 1, exit: 1, occupancy: 3, maxOccupancy: 3 } });
    expect(after.totals).toEqual([
      { ruleId: 'door', in: 4, out: 1, enter: 0, exit: 0, occupancy: 0 },
      { ruleId: 'lobby', in: 0, out: 0, enter: 1, exit: 1, occupancy: 0 },
    ]);

    // The list keeps every row, marked; the review shows the same marks.
    const listed = ((await must(e, 'events:list', { cameraId }, 'admin')) as { rows: LedgerRowView[] }).rows;
    expect(listed).toHaveLength(rows.length);
    expect(listed.filter((r) => r.voided).map((r) => [r.trackId, r.voidedBy, r.voidReason])).toEqual([
      [8, 'sam', 'a cleaner went in and out twice'],
      [1, 'sam', 'reflection in the glass door'],
    ]);
    const review = ((await must(e, 'events:review', { cameraId, types: ['line.cross'] }, 'admin')) as { rows: Array<LedgerRowView & { kind: string }> }).rows;
    expect(review.find((r) => r.trackId === 4)).toMatchObject({ direction: 'in', originalDirection: 'out', correctedBy: 'sam', correctionReason: 'walked in, tracker flipped' });

    // The audit trail names who voided and who approved.
    const audit = ((await must(e, 'audit:list', { limit: 500 }, 'admin')) as Array<{ action: string; actor: string; detail: { approver?: string } | null }>).filter((r) => r.action === 'events:void');
    expect(audit.map((r) => [r.actor, r.detail?.approver ?? null])).toEqual([
      ['sam', 'boss'],
      ['sam', null],
    ]);
    // In-process callers (CLI, tests) act as a role without a session.
    expect(await e.dispatch('events:void', { eventId: byTrack(2).id, reason: 'test' }, asRole('officer'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
