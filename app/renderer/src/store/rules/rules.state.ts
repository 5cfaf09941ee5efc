import type { Rule } from '../../../../shared/domain/rules';
import type { RuleCounter } from '../../../../shared/ipc/rules.contract';

/** Saved rules of one camera as last received from the host. */
export interface CameraRulesEntry {
  rules: Rule[];
  /** ISO time of the last save, null when never saved. */
  updatedAt: string | null;
}

/** Latest counters of one camera (low rate, from the rules:counters push). */
export interface CameraCountersEntry {
  counters: Record<string, RuleCounter>;
  /** ISO time the host took them. */
  at: string;
}

export interface RulesState {
  /** Camera id -> saved rules (present once loaded or pushed). */
  byCamera: Record<string, CameraRulesEntry>;
  /** Camera id -> latest counters. */
  counters: Record<string, CameraCountersEntry>;
  /** Camera id -> why loading its rules failed. */
  loadErrors: Record<string, string>;
  /** Cameras whose rules are being saved. */
  saving: Record<string, true>;
}

export const initialRulesState: RulesState = { byCamera: {}, counters: {}, loadErrors: {}, saving: {} };
