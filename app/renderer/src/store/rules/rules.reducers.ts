import type { Rule } from '../../../../shared/domain/rules';
import type { RulesCounters } from '../../../../shared/ipc/rules.contract';
import type { RulesState } from './rules.state';

const without = <V>(rec: Record<string, V>, key: string): Record<string, V> => {
  if (!(key in rec)) return rec;
  const { [key]: _drop, ...rest } = rec;
  return rest;
};

export function rulesReceived(s: RulesState, cameraId: string, rules: Rule[], updatedAt: string | null): RulesState {
  return { ...s, byCamera: { ...s.byCamera, [cameraId]: { rules, updatedAt } }, loadErrors: without(s.loadErrors, cameraId) };
}
export function rulesLoadFailed(s: RulesState, cameraId: string, message: string): RulesState {
  return { ...s, loadErrors: { ...s.loadErrors, [cameraId]: message } };
}
export function savingChanged(s: RulesState, cameraId: string, saving: boolean): RulesState {
  return { ...s, saving: saving ? { ...s.saving, [cameraId]: true } : without(s.saving, cameraId) };
}
/** Keeps the newest counters per camera (an older push arriving late is ignored). */
export function countersReceived(s: RulesState, c: RulesCounters): RulesState {
  const held = s.counters[c.cameraId];
  if (held && Date.parse(c.at) < Date.parse(held.at)) return s;
  return { ...s, counters: { ...s.counters, [c.cameraId]: { counters: c.counters, at: c.at } } };
}
/** Forgets cameras that no longer exist. */
export function camerasPruned(s: RulesState, ids: readonly string[]): RulesState {
  const keep = new Set(ids);
  const pick = <V>(rec: Record<string, V>) => Object.fromEntries(Object.entries(rec).filter(([k]) => keep.has(k)));
  return { ...s, byCamera: pick(s.byCamera), counters: pick(s.counters), loadErrors: pick(s.loadErrors) };
}
