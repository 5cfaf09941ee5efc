import fs from 'node:fs';
import { isOpenStatus, SYSTEM_ALARM_PRIORITY, type AlarmView, type ArmedRule } from '../../shared/domain/alarms';
import type { Rule } from '../../shared/domain/rules';
import type { AlarmSettings, Arming } from '../../shared/ipc/alarms.contract';
import { AlarmSettingsSchema, SiteSettingsSchema } from '../../shared/ipc/alarms.contract';
import type { InvokeOutput, InvokeParsedInput } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import { AlarmStore, type AlarmChange } from '../alarms/alarm-store';
import type { HealthSignal } from '../alarms/health-detectors';
import { SystemHealthDetector, type ExportHealthFacts, type SystemHealthSignal } from '../alarms/system-health';
import { scheduleActive } from '../rules/zone-rule';
import type { LedgerRow } from '../ledger/ledger.repository';
import type { SnapshotStore } from '../ledger/snapshot-store';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';

export const DEFAULT_ALARM_SETTINGS: AlarmSettings = { escalateAfterS: 60, dedupWindowS: 60, frozenAfterS: 20, healthPriority: 2 };
const ALARM_SETTINGS_KEY = 'alarms.settings';
const SITE_SETTINGS_KEY = 'site.settings';

export interface AlarmsServiceOptions {
  db: Db;
  settings: SettingsRepository;
  logger: Logger;
  /** Saved rules of a camera (to check arming and pick the events that fire). */
  rulesOf: (cameraId: string) => readonly Rule[];
  cameraExists: (cameraId: string) => boolean;
  snapshots: SnapshotStore | null;
  /** After-commit fan-out of every transition (the engine pushes `alarms:changed`). */
  onChange: (change: AlarmChange) => void;
  onArming: (arming: Arming) => void;
  now?: () => number;
  /** Escalation check period, ms (default 1000). */
  tickMs?: number;
}

/** Event types an armed rule raises alarms on: alarm conditions; crossings for lines; entries for plain zones. */
export function firingTypes(rule: Rule): readonly string[] {
  if (rule.type === 'line') return ['line.cross'];
  const conditions = ['zone.intrusion', 'zone.loiter', 'zone.overcrowd'];
  return rule.intrusion || rule.loiterSeconds !== undefined || rule.overcrowd ? conditions : ['zone.enter', ...conditions];
}

/**
 * Alarm queue behind the alarms contract: arming (rules, camera and site switches), raising alarms from
 * ledger rows (with de-dup) and health signals, escalation of unacknowledged alarms, and the officer's actions.
 * All alarm writes go through AlarmStore (one transaction per transition, with its history row).
 */
export class AlarmsService {
  readonly store: AlarmStore;
  /** Site-level conditions (export backlog per sink, outbox near its cap), judged from the export service's figures. */
  readonly systemHealth: SystemHealthDetector;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(private readonly o: AlarmsServiceOptions) {
    this.now = o.now ?? Date.now;
    this.store = new AlarmStore(o.db, this.now);
    this.store.onTransition((c) => o.onChange(c));
    this.log = o.logger;
    this.systemHealth = new SystemHealthDetector((s) => this.onSystemHealth(s));
  }

  /** Starts the escalation timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.escalateDue();
      } catch (err) {
        this.log.error('escalation failed', { err });
      }
    }, this.o.tickMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // ---- settings ----

  settings(): AlarmSettings {
    return { ...DEFAULT_ALARM_SETTINGS, ...(this.o.settings.get(ALARM_SETTINGS_KEY, AlarmSettingsSchema.partial()) ?? {}) };
  }

  setSettings(patch: Partial<AlarmSettings>): AlarmSettings {
    const next = AlarmSettingsSchema.parse({ ...this.settings(), ...patch });
    this.o.settings.set(ALARM_SETTINGS_KEY, next);
    return next;
  }

  siteSettings(): InvokeOutput<'site:settings-get'> {
    const saved = this.o.settings.get(SITE_SETTINGS_KEY, SiteSettingsSchema.partial()) ?? {};
    return { timeZone: saved.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC' };
  }

  setSiteSettings(patch: InvokeParsedInput<'site:settings-set'>): InvokeOutput<'site:settings-get'> {
    if (patch.timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: patch.timeZone });
      } catch {
        throw new AppErrorException('invalid-input', `Unknown time zone "${patch.timeZone}". Use an IANA name such as Europe/Berlin.`);
      }
    }
    const next = { ...this.siteSettings(), ...patch };
    this.o.settings.set(SITE_SETTINGS_KEY, next);
    return next;
  }

  // ---- arming ----

  arming(): Arming {
    const rules = (this.o.db.prepare('SELECT camera_id, rule_id, priority, schedule FROM alarm_arming ORDER BY camera_id, rule_id').all() as Array<{ camera_id: string; rule_id: string; priority: number; schedule: string | null }>).map(
      (r): ArmedRule => ({ cameraId: r.camera_id, ruleId: r.rule_id, priority: r.priority, ...(r.schedule ? { schedule: JSON.parse(r.schedule) as ArmedRule['schedule'] } : {}) }),
    );
    const switches = this.o.db.prepare('SELECT scope, armed FROM alarm_switches').all() as Array<{ scope: string; armed: number }>;
    const site = switches.find((s) => s.scope === 'site');
    return {
      siteArmed: site ? site.armed === 1 : true,
      disarmedCameras: switches.filter((s) => s.scope.startsWith('camera:') && s.armed === 0).map((s) => s.scope.slice(7)),
      rules,
    };
  }

  arm(i: InvokeParsedInput<'alarms:arm'>, by: string): Arming {
    if (!this.o.cameraExists(i.cameraId)) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    if (!this.o.rulesOf(i.cameraId).some((r) => r.id === i.ruleId)) throw new AppErrorException('not-found', `The camera has no rule "${i.ruleId}". Save the rule first, then arm it.`);
    this.o.db
      .prepare(
        `INSERT INTO alarm_arming (camera_id, rule_id, priority, schedule, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (camera_id, rule_id) DO UPDATE SET priority = excluded.priority, schedule = excluded.schedule, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(i.cameraId, i.ruleId, i.priority, i.schedule?.length ? JSON.stringify(i.schedule) : null, new Date(this.now()).toISOString(), by);
    this.log.info('rule armed', { cameraId: i.cameraId, ruleId: i.ruleId, priority: i.priority, by });
    return this.armingChanged();
  }

  disarm(i: InvokeParsedInput<'alarms:disarm'>, by: string): Arming {
    this.o.db.prepare('DELETE FROM alarm_arming WHERE camera_id = ? AND rule_id = ?').run(i.cameraId, i.ruleId);
    this.log.info('rule disarmed', { cameraId: i.cameraId, ruleId: i.ruleId, by });
    return this.armingChanged();
  }

  setSwitch(i: InvokeParsedInput<'alarms:set-switch'>, by: string): Arming {
    if (i.cameraId !== null && !this.o.cameraExists(i.cameraId)) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    this.o.db
      .prepare(
        `INSERT INTO alarm_switches (scope, armed, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET armed = excluded.armed, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(i.cameraId === null ? 'site' : `camera:${i.cameraId}`, i.armed ? 1 : 0, new Date(this.now()).toISOString(), by);
    this.log.info('alarm switch', { scope: i.cameraId ?? 'site', armed: i.armed, by });
    return this.armingChanged();
  }

  /** A camera was removed: its arming goes (its alarms and their history stay). */
  forgetCamera(cameraId: string): void {
    this.o.db.prepare('DELETE FROM alarm_arming WHERE camera_id = ?').run(cameraId);
    this.o.db.prepare('DELETE FROM alarm_switches WHERE scope = ?').run(`camera:${cameraId}`);
  }

  private armingChanged(): Arming {
    const a = this.arming();
    this.o.onArming(a);
    return a;
  }

  // ---- raising ----

  /** New ledger rows of one camera (EventsService.recordLive's output): armed rules open or re-trigger alarms. */
  onLedgerRows(cameraId: string, rows: readonly LedgerRow[]): AlarmView[] {
    if (!rows.length) return [];
    const arming = this.arming();
    if (!arming.siteArmed || arming.disarmedCameras.includes(cameraId)) return [];
    const armed = new Map(arming.rules.filter((r) => r.cameraId === cameraId).map((r) => [r.ruleId, r]));
    if (!armed.size) return [];
    const rules = new Map(this.o.rulesOf(cameraId).map((r) => [r.id, r]));
    const out: AlarmView[] = [];
    const now = this.now();
    const { dedupWindowS } = this.settings();
    for (const row of rows) {
      const a = armed.get(row.ruleId);
      const rule = rules.get(row.ruleId);
      if (!a || !rule || !firingTypes(rule).includes(row.type)) continue;
      if (!scheduleActive(a.schedule, row.frameMs)) continue;
      const open = this.store.openRuleAlarm(cameraId, row.ruleId, row.trackId);
      if (open && now - open.lastTriggerMs <= dedupWindowS * 1000) {
        out.push(this.store.transition(open.id, 'retrigger', 'system', { snapshot: row.snapshot, eventId: row.id }).alarm);
      } else {
        out.push(
          this.store.open({ kind: 'rule', cameraId, ruleId: row.ruleId, trackId: row.trackId, eventId: row.id, type: row.type, priority: a.priority, snapshot: row.snapshot }, 'system').alarm,
        );
      }
    }
    return out;
  }

  /** A camera health condition started or ended. */
  onHealth(s: HealthSignal): void {
    if (!this.o.cameraExists(s.cameraId)) return;
    const open = this.store.openHealthAlarm(s.cameraId, s.condition);
    if (s.kind === 'raise') {
      if (open) this.store.transition(open.id, 'retrigger', 'system');
      else this.store.open({ kind: 'health', cameraId: s.cameraId, condition: s.condition, priority: this.settings().healthPriority }, 'system');
      this.log.info('health alarm', { cameraId: s.cameraId, condition: s.condition, detail: s.detail });
    } else if (open && open.recoveredMs === null) {
      this.store.transition(open.id, 'recover', 'system');
      this.log.info('health alarm recovered', { cameraId: s.cameraId, condition: s.condition, detail: s.detail });
    }
  }

  /**
   * The export service's figures (each maintenance pass, before the outbox cap is enforced): site-level system
   * alarms open, fire again or recover. The first judgement resumes from the open, unrecovered system alarms.
   */
  judgeSystemHealth(facts: ExportHealthFacts): void {
    if (!this.systemHealth.hasResumed) {
      this.systemHealth.resume(this.store.activeSystemAlarms().flatMap((a) => (a.kind === 'system' ? [{ detail: a.detail }] : [])));
    }
    this.systemHealth.judge(facts);
  }

  /**
   * A site-level system condition started or ended: one open alarm per subject and condition (raising again
   * updates it with the new numbers), recovery recorded when it ends — like camera health.
   */
  onSystemHealth(s: SystemHealthSignal): void {
    const open = this.store.openSystemAlarm(s.subject, s.condition);
    if (s.kind === 'raise') {
      if (open) this.store.transition(open.id, 'retrigger', 'system', { detail: s.detail });
      else this.store.open({ kind: 'system', detail: s.detail, priority: SYSTEM_ALARM_PRIORITY[s.condition] }, 'system');
      this.log.warn('system alarm', { subject: s.subject, condition: s.condition, reason: s.reason });
    } else if (open && open.recoveredMs === null) {
      this.store.transition(open.id, 'recover', 'system');
      this.log.info('system alarm recovered', { subject: s.subject, condition: s.condition, reason: s.reason });
    }
  }

  /** Escalates every new alarm left unacknowledged for escalateAfterS since opening or its last escalation. */
  escalateDue(): number {
    const due = this.store.dueForEscalation(this.now() - this.settings().escalateAfterS * 1000);
    for (const a of due) this.store.transition(a.id, 'escalate', 'system');
    return due.length;
  }

  // ---- officer actions ----

  acknowledge(id: string, by: string): AlarmView {
    return this.store.transition(id, 'acknowledge', by).alarm;
  }
  hold(id: string, by: string, comment?: string): AlarmView {
    return this.store.transition(id, 'hold', by, { comment }).alarm;
  }
  resume(id: string, by: string): AlarmView {
    return this.store.transition(id, 'resume', by).alarm;
  }
  close(i: InvokeParsedInput<'alarms:close'>, by: string): AlarmView {
    return this.store.transition(i.id, 'close', by, { outcome: i.outcome, comment: i.comment }).alarm;
  }

  get(id: string): InvokeOutput<'alarms:get'> {
    const alarm = this.store.get(id);
    if (!alarm) throw new AppErrorException('not-found', 'This alarm does not exist.');
    return { alarm, history: this.store.history(id) };
  }

  list(i: InvokeParsedInput<'alarms:list'>): AlarmView[] {
    return this.store.list({ status: i.status, cameraId: i.cameraId, beforeId: i.cursor, limit: i.limit });
  }

  /** Open alarms count (for health and badges). */
  openCount(): number {
    return this.store.list({ status: 'open', limit: 1000 }).filter((a) => isOpenStatus(a.status)).length;
  }

  async snapshot(ref: string): Promise<InvokeOutput<'alarms:snapshot'>> {
    const abs = this.o.snapshots?.resolve(ref) ?? null;
    if (!abs) throw new AppErrorException('invalid-input', 'Not a snapshot reference.');
    try {
      return { jpegBase64: (await fs.promises.readFile(abs)).toString('base64') };
    } catch {
      return { jpegBase64: null };
    }
  }
}
