import type { Rule } from '../../../../shared/domain/rules';
import type { RuleCounter } from '../../../../shared/ipc/rules.contract';
import type { RootState } from '../root-state';

const EMPTY_RULES: Rule[] = [];
const EMPTY_COUNTERS: Record<string, RuleCounter> = {};

/** Saved rules of a camera (a stable empty list before they load). */
export const selectCameraRules = (id: string) => (s: RootState): Rule[] => s.rules.byCamera[id]?.rules ?? EMPTY_RULES;
export const selectRulesLoaded = (id: string) => (s: RootState): boolean => id in s.rules.byCamera;
export const selectRulesLoadError = (id: string) => (s: RootState): string | null => s.rules.loadErrors[id] ?? null;
export const selectRulesSaving = (id: string) => (s: RootState): boolean => id in s.rules.saving;
/** Latest counters of a camera by rule id (stable empty object when none). */
export const selectCameraCounters = (id: string) => (s: RootState): Record<string, RuleCounter> => s.rules.counters[id]?.counters ?? EMPTY_COUNTERS;
export const selectRulesEditorCamera = (s: RootState): string | null => s.ui.rulesCameraId;
