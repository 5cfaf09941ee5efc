import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../shared/domain/camera';
import type { Rule } from '../../../shared/domain/rules';
import type { ReviewRow } from '../../../shared/ipc/events.contract';
import { classOptions, ruleOptions } from './filter-options';

const cameras = [{ id: 'c1', name: 'Gate' }, { id: 'c2', name: 'Dock' }] as unknown as CameraView[];
const rule = (id: string, name: string | undefined, classes = ['person']) => ({ id, name, classes, type: 'line', points: [] }) as unknown as Rule;
const byCamera = {
  c1: { rules: [rule('line-1', 'Entry line'), rule('zone-1', 'Yard', ['person', 'forklift'])], updatedAt: null },
  c2: { rules: [rule('line-1', 'Dock door'), rule('zone-9', undefined)], updatedAt: null },
} as never;

describe('events filter pickers', () => {
  it('lists rules by name: one camera, or every camera with the camera named; a chosen id stays listed', () => {
    expect(ruleOptions(byCamera, cameras, 'c1', '')).toEqual([
      { value: 'line-1', label: 'Entry line' },
      { value: 'zone-1', label: 'Yard' },
    ]);
    expect(ruleOptions(byCamera, cameras, '', '')).toEqual([
      { value: 'line-1', label: 'Entry line · Gate / Dock door · Dock' },
      { value: 'zone-1', label: 'Yard · Gate' },
      { value: 'zone-9', label: 'zone-9 · Dock' },
    ]);
    expect(ruleOptions(byCamera, cameras, 'c2', 'zone-1').map((o) => o.value)).toEqual(['line-1', 'zone-1', 'zone-9']);
  });

  it('offers the usual classes, those the rules name and those in the loaded rows', () => {
    const rows = [{ kind: 'ledger', cls: 'pallet' }] as unknown as ReviewRow[];
    const got = classOptions(byCamera, rows, '');
    expect(got).toEqual(expect.arrayContaining(['person', 'car', 'forklift', 'pallet']));
    expect(got).toEqual([...got].sort());
  });
});
