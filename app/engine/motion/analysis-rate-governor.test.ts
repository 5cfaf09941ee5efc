import { describe, expect, it } from 'vitest';
import { AnalysisRateGovernor, type GovernedCamera } from './analysis-rate-governor';

const cam = (id: string, o: Partial<GovernedCamera> = {}): GovernedCamera => ({ id, targetFps: 10, hasRules: false, liveTracks: 0, tracksNearRules: false, ...o });
const overloaded = { overloaded: true, headroom: false };
const calm = { overloaded: false, headroom: true };
const busy = { overloaded: false, headroom: false };

describe('AnalysisRateGovernor', () => {
  const cameras = [
    cam('idle-no-rules'),
    cam('idle-rules', { hasRules: true }),
    cam('tracks-no-rules', { liveTracks: 2 }),
    cam('near-line', { hasRules: true, liveTracks: 1, tracksNearRules: true }),
  ];

  it('lowers cameras without live tracks first, then cameras without rules, never below the floor; the camera with tracks near a line keeps its rate while others can give', () => {
    const g = new AnalysisRateGovernor({ cooldownTicks: 0 });
    const order: string[] = [];
    for (let i = 0; i < 40; i++) for (const c of g.tick(cameras, overloaded)) order.push(c.cameraId);
    const firstOf = (id: string) => order.indexOf(id);
    expect(firstOf('idle-no-rules')).toBe(0);
    expect(firstOf('idle-rules')).toBeGreaterThan(firstOf('idle-no-rules'));
    expect(firstOf('tracks-no-rules')).toBeGreaterThan(firstOf('idle-rules'));
    // the near-line camera gives only once every other camera is at its floor
    const nearFirst = firstOf('near-line');
    expect(nearFirst).toBeGreaterThan(order.lastIndexOf('tracks-no-rules'));
    for (const c of cameras) expect(g.rate(c)).toBeGreaterThanOrEqual(2);
    expect(g.state().starved).toEqual(['idle-rules', 'near-line']);
  });

  it('changes at most one camera per tick and waits a tick after each lowering', () => {
    const g = new AnalysisRateGovernor();
    const changes = [];
    for (let i = 0; i < 6; i++) changes.push(g.tick(cameras, overloaded).length);
    expect(changes).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('recovers gradually after calm ticks in a row, the camera that matters most first', () => {
    const g = new AnalysisRateGovernor({ cooldownTicks: 0, recoverAfterTicks: 3 });
    for (let i = 0; i < 12; i++) g.tick(cameras, overloaded);
    const ups: string[] = [];
    for (let i = 0; i < 9; i++) for (const c of g.tick(cameras, calm)) ups.push(`${c.cameraId}:${c.reason}`);
    expect(ups.length).toBe(3);
    expect(ups.every((u) => u.endsWith(':recovered'))).toBe(true);
    // only the idle cameras were lowered; the one with rules comes back first
    expect(ups[0]).toBe('idle-rules:recovered');
  });

  it('does not oscillate when the load alternates: a busy tick resets the calm count', () => {
    const g = new AnalysisRateGovernor({ cooldownTicks: 0, recoverAfterTicks: 3 });
    g.tick(cameras, overloaded);
    let raised = 0;
    for (let i = 0; i < 30; i++) raised += g.tick(cameras, i % 3 === 2 ? busy : calm).length;
    expect(raised).toBe(0);
  });

  it('forgets removed cameras and raises the others back to their target when the load falls', () => {
    const g = new AnalysisRateGovernor({ cooldownTicks: 0, recoverAfterTicks: 1 });
    for (let i = 0; i < 20; i++) g.tick(cameras, overloaded);
    const left = cameras.slice(2);
    for (let i = 0; i < 40; i++) g.tick(left, calm);
    for (const c of left) expect(g.rate(c)).toBe(10);
    expect([...g.state().rates.keys()].sort()).toEqual(['near-line', 'tracks-no-rules']);
  });
});
