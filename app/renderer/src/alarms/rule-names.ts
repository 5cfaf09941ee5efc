import type { RootState } from '../store/root-state';

type RulesByCamera = RootState['rules']['byCamera'];

/** The loaded rules of every camera (a stable reference: safe as a store selector). */
export const selectRulesByCamera = (s: RootState): RulesByCamera => s.rules.byCamera;

/** A camera's current rule name by id (for alarms saved before rule names were kept on them), as a lookup function. */
export const ruleNameLookup =
  (byCamera: RulesByCamera, cameraId: string | null) =>
  (ruleId: string): string | undefined =>
    cameraId === null ? undefined : byCamera[cameraId]?.rules.find((r) => r.id === ruleId)?.name?.trim() || undefined;
