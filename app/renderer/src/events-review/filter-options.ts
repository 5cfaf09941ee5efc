import type { CameraView } from '../../../shared/domain/camera';
import type { ReviewRow } from '../../../shared/ipc/events.contract';
import type { RootState } from '../store/root-state';
import { RULE_CLASSES } from '../rules/rule-draft';

type RulesByCamera = RootState['rules']['byCamera'];

/** One choice of a picker: the value sent to the host and the words shown. */
export interface PickerOption {
  value: string;
  label: string;
}

/**
 * The rule picker of the events filter: the rules of the chosen camera by name, or of every camera ("Entry line ·
 * Gate"; a rule id used on several cameras is one choice naming them all). A value already chosen stays listed.
 */
export function ruleOptions(byCamera: RulesByCamera, cameras: readonly CameraView[], cameraId: string, current: string): PickerOption[] {
  const labels = new Map<string, string[]>();
  for (const c of cameras) {
    if (cameraId && c.id !== cameraId) continue;
    for (const r of byCamera[c.id]?.rules ?? []) {
      const name = r.name?.trim() || r.id;
      labels.set(r.id, [...(labels.get(r.id) ?? []), cameraId ? name : `${name} · ${c.name}`]);
    }
  }
  if (current && !labels.has(current)) labels.set(current, [current]);
  return [...labels].map(([value, names]) => ({ value, label: names.join(' / ') })).sort((a, b) => a.label.localeCompare(b.label));
}

/** The object-class picker: the usual classes, those the rules name, and those in the loaded rows. */
export function classOptions(byCamera: RulesByCamera, rows: readonly ReviewRow[], current: string): string[] {
  const set = new Set<string>(RULE_CLASSES);
  for (const entry of Object.values(byCamera)) for (const r of entry?.rules ?? []) for (const c of r.classes ?? []) set.add(c);
  for (const r of rows) if (r.kind === 'ledger' && r.cls) set.add(r.cls);
  if (current) set.add(current);
  return [...set].sort();
}
