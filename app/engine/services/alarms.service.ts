import fs from 'node:fs';
import { isOpenStatus, SYSTEM_ALARM_PRIORITY, type AlarmView, type ArmedRule, type FloodState, type Shelf } from '../../shared/domain/alarms';
import type { Rule } from '../../shared/domain/rules';
import type { AlarmSettings, Arming } from '../../shared/ipc/alarms.contract';
import { AlarmSettingsSchema } from '../../shared/ipc/alarms.contract';
import type { InvokeOutput, InvokeParsedInput } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import { AlarmShelves, SHELF_TIMER } from '../alarms/alarm-shelves';
import { AlarmStore, type AlarmChange } from '../alarms/alarm-store';
import { FloodMonitor } from '../alarms/flood-monitor';
import type { AuditSink } from '../audit/audit-sink';
import type { HealthSignal } from '../alarms/health-detectors';
import { SystemHealthDetector, type ExportHealthFacts, type SystemHealthSignal } from '../alarms/system-health';
import { scheduleActive } from '../rules/zone-rule';
import type { LedgerRow } from '../ledger/ledger.repository';
import type { SnapshotStore } from '../ledger/snapshot-store';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';
import { SiteSettingsRepository } from '../site/site-settings.repository';

export const DEFAULT_ALARM_SETTINGS: AlarmSettings = { escalateAfterS: 60, dedupWindowS: 60, frozenAfterS: 20, healthPriority: 2, floodThreshold: 10, floodWindowS: 600 };
const ALARM_SETTINGS_KEY = 'alarms.settings';

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
  /** Active shelves changed (shelved, unshelved, restored by the timer). */
  onShelves?: (active: Shelf[]) => void;
  /** The flood state changed. */
  onFlood?: (state: FloodState) => void;
  /** Where the timer's own actions (a shelf restored when its time ran out) are audited. */
  audit?: AuditSink;
  /** The alarm clock: opening times, escalation, shelf timers and the flood window all read it (tests inject one). */
  now?: () => number;
  /** Timer period (escalation, shelf expiry, flood state), ms (default 1000). */
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
  /** Shelved rules (silenced for a while by an officer). */
  readonly shelves: AlarmShelves;
  /** The site's alarm flood state. */
  readonly flood: FloodMonitor;
  /** Firings held back by a rule's rate limit since start, per `camera/rule`. */
  readonly rateLimited = new Map<string, number>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly site: SiteSettingsRepository;

  constructor(private readonly o: AlarmsServiceOptions) {
    this.now = o.now ?? Date.now;
    this.site = new SiteSettingsRepository(o.settings);
    this.log = o.logger;
    this.store = new AlarmStore(o.db, this.now, this.log);
    this.store.onTransition((c) => o.onChange(c));
    this.shelves = new AlarmShelves(o.db, this.now);
    this.flood = new FloodMonitor({
      openedSince: (since) => this.store.openedSince(since),
      rate: () => ({ threshold: this.settings().floodThreshold, windowS: this.settings().floodWindowS }),
      now: this.now,
      onChange: (state) => {
        this.log[state.active ? 'warn' : 'info'](state.active ? 'alarm flood' : 'alarm flood state', { ...state });
        o.onFlood?.(state);
      },
    });
    this.store.onTransition((c) => {
      if (c.action === 'open') this.flood.evaluate();
    });
    this.systemHealth = new SystemHealthDetector((s) => this.onSystemHealth(s));
  }

  /** Starts the timer: shelves whose time ran out are restored, the flood state is judged, due alarms escalate. */
  start(): void {
    if (this.timer) return;
    this.flood.evaluate();
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        this.log.error('alarm timer failed', { err });
      }
    }, this.o.tickMs ?? 1000);
    this.timer.unref();
  }

  /** One timer step (also called by tests with an injected clock). */
  tick(): void {
    this.restoreDueShelves();
    this.flood.evaluate();
    this.escalateDue();
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
    this.flood.evaluate();
    return next;
  }

  /** The site settings (one store, shared with reports: SiteSettingsRepository). */
  siteSettings(): InvokeOutput<'site:settings-get'> {
    return this.site.get();
  }

  setSiteSettings(patch: InvokeParsedInput<'site:settings-set'>): InvokeOutput<'site:settings-get'> {
    return this.site.set(patch);
  }

  // ---- arming ----

  arming(): Arming {
    const rules = (
      this.o.db.prepare('SELECT camera_id, rule_id, priority, schedule, max_per_hour FROM alarm_arming ORDER BY camera_id, rule_id').all() as Array<{
        camera_id: string;
        rule_id: string;
        priority: number;
        schedule: string | null;
        max_per_hour: number | null;
      }>
    ).map(
      (r): ArmedRule => ({
        cameraId: r.camera_id,
        ruleId: r.rule_id,
        priority: r.priority,
        ...(r.schedule ? { schedule: JSON.parse(r.schedule) as ArmedRule['schedule'] } : {}),
        ...(r.max_per_hour !== null ? { maxPerHour: r.max_per_hour } : {}),
      }),
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
        `INSERT INTO alarm_arming (camera_id, rule_id, priority, schedule, max_per_hour, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (camera_id, rule_id) DO UPDATE SET priority = excluded.priority, schedule = excluded.schedule, max_per_hour = excluded.max_per_hour,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(i.cameraId, i.ruleId, i.priority, i.schedule?.length ? JSON.stringify(i.schedule) : null, i.maxPerHour ?? null, new Date(this.now()).toISOString(), by);
    this.log.info('rule armed', { cameraId: i.cameraId, ruleId: i.ruleId, priority: i.priority, maxPerHour: i.maxPerHour ?? null, by });
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

  /**
   * New ledger rows of one camera (EventsService.recordLive's output): armed rules open alarms or fold into the
   * open one. Flood control, in order: a shelved rule raises nothing (the firing is counted on the shelf); a
   * repeat of a rule on a camera whose alarm is still open folds into it ("fired again ×N", latest time, snapshot
   * and direction), whatever the track; a rule past its rate limit opens nothing (counted as held back).
   */
  onLedgerRows(cameraId: string, rows: readonly LedgerRow[]): AlarmView[] {
    if (!rows.length) return [];
    const arming = this.arming();
    if (!arming.siteArmed || arming.disarmedCameras.includes(cameraId)) return [];
    const armed = new Map(arming.rules.filter((r) => r.cameraId === cameraId).map((r) => [r.ruleId, r]));
    if (!armed.size) return [];
    const rules = new Map(this.o.rulesOf(cameraId).map((r) => [r.id, r]));
    const out: AlarmView[] = [];
    let heldBack = false;
    for (const row of rows) {
      const a = armed.get(row.ruleId);
      const rule = rules.get(row.ruleId);
      if (!a || !rule || !firingTypes(rule).includes(row.type)) continue;
      if (!scheduleActive(a.schedule, row.frameMs)) continue;
      const shelf = this.shelves.active(cameraId, row.ruleId);
      if (shelf) {
        this.shelves.countHeldBack(shelf.id);
        heldBack = true;
        continue;
      }
      const ruleName = rule.name?.trim() || null;
      const open = this.store.openRuleAlarm(cameraId, row.ruleId);
      if (open) {
        out.push(this.store.transition(open.id, 'retrigger', 'system', { snapshot: row.snapshot, eventId: row.id, ruleName, direction: row.direction }).alarm);
        continue;
      }
      if (a.maxPerHour !== undefined && this.store.ruleOpenedSince(cameraId, row.ruleId, this.now() - 3_600_000) >= a.maxPerHour) {
        const key = `${cameraId}/${row.ruleId}`;
        const n = (this.rateLimited.get(key) ?? 0) + 1;
        this.rateLimited.set(key, n);
        if (n === 1 || n % 100 === 0) this.log.warn('rule alarm held back by its rate limit', { cameraId, ruleId: row.ruleId, maxPerHour: a.maxPerHour, heldBack: n });
        continue;
      }
      out.push(
        this.store.open(
          { kind: 'rule', cameraId, ruleId: row.ruleId, ruleName, direction: row.direction, trackId: row.trackId, eventId: row.id, type: row.type, priority: a.priority, snapshot: row.snapshot },
          'system',
        ).alarm,
      );
    }
    // The Shelved rules list shows what each shelf held back.
    if (heldBack) this.shelvesChanged();
    return out;
  }

  // ---- shelving ----

  /** Shelves an armed rule of a camera for `minutes` with a reason (15 min to 8 h, checked by the contract). */
  shelve(i: InvokeParsedInput<'alarms:shelve'>, by: string): Shelf {
    const rule = this.o.rulesOf(i.cameraId).find((r) => r.id === i.ruleId);
    if (!this.o.cameraExists(i.cameraId) || !rule) throw new AppErrorException('not-found', 'This rule does not exist (any more).');
    if (!this.arming().rules.some((r) => r.cameraId === i.cameraId && r.ruleId === i.ruleId)) {
      throw new AppErrorException('conflict', 'This rule is not armed, so it raises no alarm to shelve.');
    }
    const shelf = this.shelves.shelve({ cameraId: i.cameraId, ruleId: i.ruleId, ruleName: rule.name?.trim() || null, minutes: i.minutes, reason: i.reason }, by);
    this.log.info('rule shelved', { cameraId: i.cameraId, ruleId: i.ruleId, minutes: i.minutes, by });
    this.shelvesChanged();
    return shelf;
  }

  unshelve(i: InvokeParsedInput<'alarms:unshelve'>, by: string): Shelf {
    const shelf = this.shelves.unshelve(i.cameraId, i.ruleId, by);
    this.log.info('rule unshelved', { cameraId: i.cameraId, ruleId: i.ruleId, by });
    this.shelvesChanged();
    return shelf;
  }

  listShelves(i: InvokeParsedInput<'alarms:shelves'>): Shelf[] {
    return this.shelves.list(i.endedWithinH * 3_600_000);
  }

  /** Restores the shelves whose time ran out (each audited as done by the system's timer). */
  restoreDueShelves(): Shelf[] {
    const ended = this.shelves.expireDue();
    for (const s of ended) {
      this.log.info('rule unshelved: its time ran out', { cameraId: s.cameraId, ruleId: s.ruleId, heldBack: s.heldBack });
      this.o.audit?.record({
        action: 'alarms.unshelve',
        actor: 'system',
        target: `camera:${s.cameraId}/rule:${s.ruleId}`,
        detail: { by: SHELF_TIMER, shelvedBy: s.shelvedBy, reason: s.reason, heldBack: s.heldBack, untilMs: s.untilMs },
      });
    }
    if (ended.length) this.shelvesChanged();
    return ended;
  }

  private shelvesChanged(): void {
    this.o.onShelves?.(this.shelves.list());
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

  /**
   * The analysis-rate controller's starved cameras (cameras with rules the detector cannot serve even at their
   * floor): one open system alarm while any is starved, updated when the list changes; recovered when none is.
   */
  onAnalysisStarved(cameras: ReadonlyArray<{ id: string; name: string }>): void {
    const detail = { condition: 'analysis-starved' as const, cameras: cameras.map((c) => ({ id: c.id, name: c.name })) };
    const names = cameras.map((c) => c.name).join(', ');
    this.onSystemHealth(
      cameras.length
        ? { subject: 'analysis', condition: 'analysis-starved', kind: 'raise', detail, reason: `the detector cannot keep up even at the lowest analysis rates: ${names}` }
        : { subject: 'analysis', condition: 'analysis-starved', kind: 'clear', detail, reason: 'the detector keeps up again' },
    );
  }

  /**
   * Escalates every new alarm left unacknowledged for escalateAfterS since opening or its last escalation. Not
   * during a flood (escalation would turn every alarm of the flood into a P1 and bury the ones that were urgent),
   * and after a flood only escalateAfterS after it ended: the clocks restart then.
   */
  escalateDue(): number {
    if (this.flood.state().active) return 0;
    const dueMs = this.now() - this.settings().escalateAfterS * 1000;
    if (this.flood.endedMs !== null && dueMs < this.flood.endedMs) return 0;
    const due = this.store.dueForEscalation(dueMs);
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
