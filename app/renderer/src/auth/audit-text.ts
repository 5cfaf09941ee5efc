import { neutraliseCsvCell } from '../../../shared/csv-cell';
import type { AuditRowView } from '../../../shared/ipc/audit.contract';
import { channelTitle, invokeAreas, type InvokeArea } from '../../../shared/ipc/channel-titles';
import { invokeContract, type InvokeChannel } from '../../../shared/ipc/contracts';

/** Audit actions that are not invoke channels (sign-in, lock, confirmations, the engine's own), in words. */
const EVENT_TITLES: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.login-failed': 'Sign-in failed',
  'auth.logout': 'Signed out',
  'auth.lock': 'Screen locked',
  'auth.unlock': 'Screen unlocked',
  'auth.unlock-failed': 'Unlock failed',
  'auth.confirmed': 'Confirmed with password',
  'auth.confirm-failed': 'Password confirmation failed',
  'auth.approved': 'Approved by a second person',
  'auth.approval-failed': 'Second-person approval failed',
  'auth.password-changed': 'Password changed',
  'auth.password-change-failed': 'Password change failed',
  'auth.policy': 'Security policy changed',
  'users.setup-admin': 'First administrator created',
  'audit.head-sealed': 'Audit trail sealed',
  'retention.policy': 'Retention policy changed',
  'retention.run': 'Old data deleted (retention)',
  'alarms.settings': 'Alarm settings changed',
  'alarms.unshelve': 'Rule unshelved',
};

/**
 * The host filters the audit list on an action prefix. An area's prefix is its name without a separator, so it
 * matches the area's channels (`cameras:add`) and the engine's own events of the area (`retention.run`); the
 * privacy-mask events are spelled `mask.lift` / `mask.restore`, so that area's prefix is `mask`.
 */
const AREA_PREFIX: Partial<Record<InvokeArea, string>> = { masks: 'mask' };

/** The audit list's "What" filter: everything, then every area of the contracts (derived, so none is missing), in words. */
export function auditAreaFilters(): { prefix: string; label: string }[] {
  const areas = invokeAreas(Object.keys(invokeContract) as InvokeChannel[]);
  return [{ prefix: '', label: 'Everything' }, ...areas.map(({ area, title }) => ({ prefix: AREA_PREFIX[area] ?? area, label: title }))];
}

/** What happened, in words: the channel's title from the one table, or the event's title. */
export function auditActionText(action: string): string {
  if (action.includes(':')) return channelTitle(action);
  return EVENT_TITLES[action] ?? action.replace(/[._-]+/g, ' ');
}

/** Names for ids: cameras (and users, where the viewer may list them: admins). */
export interface AuditNames {
  camera(id: string): string | undefined;
  user?(id: string): string | undefined;
}

/** What it was done to, with a camera's or user's name instead of its id (and an action's title: what a confirmation was for). */
export function auditTargetText(target: string | null, names: AuditNames): string {
  if (!target) return '';
  return names.camera(target) ?? names.user?.(target) ?? (target.includes(':') && channelTitle(target) !== target ? channelTitle(target) : target);
}

const KEY_WORDS: Record<string, string> = { cameraId: 'camera', ruleId: 'rule', eventId: 'event', alarmId: 'alarm', userId: 'user', reason: 'reason', approver: 'approved by', comment: 'comment', outcome: 'outcome', name: 'name', role: 'role' };

function valueText(v: unknown, names: AuditNames, key: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return key === 'cameraId' ? (names.camera(v) ?? v) : key === 'id' || key === 'userId' ? (names.camera(v) ?? names.user?.(v) ?? v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v === true ? 'yes' : v === false ? 'no' : v);
  if (Array.isArray(v)) return v.length <= 3 && v.every((x) => typeof x !== 'object') ? v.join(', ') : `${v.length} items`;
  return `${Object.keys(v as object).length} fields`;
}

/** The details as "camera: Front door · reason: test", never raw JSON; long text is cut. */
export function auditDetailText(detail: unknown, names: AuditNames, max = 200): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return valueText(detail, names, '');
  // The call's input is read out beside the other details (one level), and the connection id is left out.
  const entries = Object.entries(detail as Record<string, unknown>).flatMap(([k, v]): [string, unknown][] =>
    k === 'input' && v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : k === 'peer' ? [] : [[k, v]],
  );
  const parts = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k === 'id' && typeof v === 'string' && names.user?.(v) ? 'user' : (KEY_WORDS[k] ?? k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())}: ${valueText(v, names, k)}`);
  const s = parts.join(' · ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** The row as the officer reads it (also what the search looks in and what the CSV holds). */
export interface AuditLine {
  id: number;
  at: string;
  who: string;
  role: string;
  what: string;
  on: string;
  detail: string;
  action: string;
}

export function auditLine(r: AuditRowView, names: AuditNames, when: (iso: string) => string): AuditLine {
  return { id: r.id, at: when(r.at), who: r.actor, role: r.role ?? '', what: auditActionText(r.action), on: auditTargetText(r.target, names), detail: auditDetailText(r.detail, names, 2000), action: r.action };
}

/** Free-text search over the words shown (who, what, on, detail), case-insensitive. */
export function auditMatches(line: AuditLine, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return [line.who, line.what, line.on, line.detail, line.action].some((s) => s.toLowerCase().includes(q));
}

/** The shown rows as CSV (UTF-8 with BOM for spreadsheets); every text cell neutralised against formulas. */
export function auditCsv(lines: readonly AuditLine[]): string {
  const cell = (s: string) => {
    const v = neutraliseCsvCell(s);
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const head = ['row', 'when', 'who', 'role', 'what', 'on', 'detail', 'action'];
  const body = lines.map((l) => [String(l.id), cell(l.at), cell(l.who), cell(l.role), cell(l.what), cell(l.on), cell(l.detail), cell(l.action)].join(','));
  return `\uFEFF${[head.join(','), ...body].join('\r\n')}\r\n`;
}
