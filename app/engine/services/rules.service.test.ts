import { describe, expect, it } from 'vitest';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraRules } from '../../shared/ipc/rules.contract';
import { InMemoryRulesRepository, RulesService } from './rules.service';

const line = { id: 'door', type: 'line', points: [[0.1, 0.5], [0.9, 0.5]] };
const zone = { id: 'z1', type: 'zone', points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] };

function service(extra: Partial<ConstructorParameters<typeof RulesService>[0]> = {}) {
  const saved: CameraRules[] = [];
  const svc = new RulesService({ repository: new InMemoryRulesRepository(), now: () => new Date('2026-01-01T00:00:00Z'), onSaved: (s) => saved.push(s), ...extra });
  return { svc, saved };
}

function rejection(fn: () => unknown): AppErrorException {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppErrorException) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('RulesService', () => {
  it('returns an empty list for a camera without rules, then the saved rules with defaults filled', () => {
    const { svc, saved } = service();
    expect(svc.get('cam1')).toEqual({ cameraId: 'cam1', rules: [], updatedAt: null });
    const out = svc.save('cam1', [line, zone]);
    expect(out.updatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(out.rules[0]).toMatchObject({ id: 'door', enabled: true, anchor: 'bottom-center', classes: ['person'] });
    expect(svc.get('cam1').rules.map((r) => r.id)).toEqual(['door', 'z1']);
    expect(saved).toHaveLength(1);
  });

  it('rejects invalid rules with a clear message and keeps what was saved', () => {
    const { svc, saved } = service();
    svc.save('cam1', [line]);
    const cases: [unknown[], RegExp][] = [
      [[{ ...zone, points: [[0.1, 0.1], [0.6, 0.5], [0.6, 0.1], [0.1, 0.7]] }], /zone "z1": the polygon intersects itself/],
      [[{ ...line, points: [[0.2, 0.2], [0.2, 0.2]] }], /line "door": segment 1 has zero length/],
      [[{ ...line, points: [[0.2, 0.2], [1.2, 0.2]] }], /within 0\.\.1/],
      [[{ id: 'x', type: 'circle', points: [] }], /unknown rule type/],
      [[line, line], /duplicate rule id "door"/],
    ];
    for (const [rules, msg] of cases) {
      const e = rejection(() => svc.save('cam1', rules));
      expect(e.code).toBe('invalid-input');
      expect(e.message).toMatch(msg);
      expect(Array.isArray(e.details)).toBe(true);
    }
    expect(svc.get('cam1').rules.map((r) => r.id)).toEqual(['door']);
    expect(saved).toHaveLength(1);
  });

  it('refuses unknown cameras when it can tell', () => {
    const { svc } = service({ cameraExists: (id) => id === 'known' });
    expect(rejection(() => svc.get('other')).code).toBe('not-found');
    expect(svc.save('known', []).rules).toEqual([]);
  });
});
