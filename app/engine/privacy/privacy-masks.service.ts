import { ulid } from 'ulid';
import { activeMasks, MaskListSchema, type MaskLift, type PrivacyMask } from '../../shared/domain/privacy-mask';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraMasks } from '../../shared/ipc/masks.contract';
import { SYSTEM_ACTOR_NAME } from '../../shared/domain/user';
import type { AuditSink } from '../audit/audit-sink';
import type { LiftEnd, LiftRow, PrivacyMasksRepository } from './privacy-masks.repository';

export interface PrivacyMasksServiceOptions {
  repository: PrivacyMasksRepository;
  /** Audit trail (mask saves, lifts and restores). */
  audit: AuditSink;
  /** Called whenever a camera's masks or lifts change (push `masks:changed`, re-apply the running camera). */
  onChanged?: (masks: CameraMasks) => void;
  /** Whether a camera exists; unknown cameras are refused with `not-found`. */
  cameraExists?: (cameraId: string) => boolean;
  now?: () => number;
}

type LiftState = LiftRow & { timer: NodeJS.Timeout | null };

/**
 * Privacy masks per camera and their temporary lifts. A lift is stored with its end time and a timer ends it;
 * a lift whose time ran out while the engine was stopped is ended at `start()`. Lift and restore are recorded
 * in the audit trail, and every change is handed to the running camera at once (`onChanged`).
 *
 *   saved mask ──lift(minutes, reason)──▶ lifted ──timer / restore / start() after expiry──▶ applied again
 */
export class PrivacyMasksService {
  private readonly repo: PrivacyMasksRepository;
  private readonly now: () => number;
  /** Open lifts by camera, then mask id. */
  private readonly lifts = new Map<string, Map<string, LiftState>>();
  private started = false;

  constructor(private readonly o: PrivacyMasksServiceOptions) {
    this.repo = o.repository;
    this.now = o.now ?? Date.now;
  }

  /** Loads open lifts, ends those whose time is up (audited), and arms timers for the rest. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const row of this.repo.open()) {
      if (row.untilMs <= now) this.endLift(row, SYSTEM_ACTOR_NAME, 'expired-while-stopped', false);
      else this.arm(row);
    }
  }

  /** Clears the timers (the lifts stay stored; the next start ends or re-arms them). */
  stop(): void {
    for (const byMask of this.lifts.values()) for (const l of byMask.values()) if (l.timer) clearTimeout(l.timer);
    this.lifts.clear();
    this.started = false;
  }

  get(cameraId: string): CameraMasks {
    this.assertCamera(cameraId);
    const saved = this.repo.masks(cameraId);
    const lifts: MaskLift[] = [...(this.lifts.get(cameraId)?.values() ?? [])].map((l) => ({
      id: l.id,
      maskId: l.maskId,
      by: l.byUser,
      reason: l.reason,
      at: new Date(l.atMs).toISOString(),
      until: new Date(l.untilMs).toISOString(),
    }));
    return { cameraId, masks: saved?.masks ?? [], lifts, updatedAt: saved?.updatedAt ?? null };
  }

  /** The masks the camera must burn in now (saved masks minus lifted ones). */
  active(cameraId: string): PrivacyMask[] {
    const saved = this.repo.masks(cameraId)?.masks ?? [];
    return activeMasks(saved, new Set(this.lifts.get(cameraId)?.keys() ?? []));
  }

  /** Validates and replaces a camera's masks. Lifts of masks that no longer exist end. */
  save(cameraId: string, masks: unknown[], actor: string): CameraMasks {
    this.assertCamera(cameraId);
    const parsed = MaskListSchema.safeParse(masks);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppErrorException('invalid-input', `invalid masks: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, problems);
    }
    const before = this.repo.masks(cameraId)?.masks ?? [];
    this.repo.saveMasks(cameraId, parsed.data, new Date(this.now()).toISOString());
    const ids = new Set(parsed.data.map((m) => m.id));
    for (const l of [...(this.lifts.get(cameraId)?.values() ?? [])]) if (!ids.has(l.maskId)) this.endLift(l, actor, 'mask-removed', false);
    this.o.audit.record({
      action: 'masks.save',
      actor,
      target: `camera:${cameraId}`,
      detail: { before: before.map((m) => m.id), after: parsed.data.map((m) => ({ id: m.id, style: m.style, detections: m.detections, points: m.points.length })) },
    });
    return this.changed(cameraId);
  }

  /** Lifts one mask for `minutes`; it restores itself afterwards. */
  lift(input: { cameraId: string; maskId: string; minutes: number; reason: string }, actor: string): CameraMasks {
    this.assertCamera(input.cameraId);
    const mask = (this.repo.masks(input.cameraId)?.masks ?? []).find((m) => m.id === input.maskId);
    if (!mask) throw new AppErrorException('not-found', `No privacy mask "${input.maskId}" on this camera.`);
    if (this.lifts.get(input.cameraId)?.has(input.maskId)) throw new AppErrorException('conflict', `The mask "${mask.name ?? mask.id}" is already lifted.`);
    const at = this.now();
    const row: LiftRow = { id: ulid(at), cameraId: input.cameraId, maskId: input.maskId, byUser: actor, reason: input.reason.trim(), atMs: at, untilMs: at + input.minutes * 60_000 };
    this.repo.addLift(row);
    this.arm(row);
    this.o.audit.record({
      action: 'mask.lift',
      actor,
      target: `camera:${input.cameraId}/mask:${input.maskId}`,
      detail: { liftId: row.id, minutes: input.minutes, until: new Date(row.untilMs).toISOString(), reason: row.reason },
    });
    return this.changed(input.cameraId);
  }

  /** Ends a lift before its time. */
  restore(cameraId: string, maskId: string, actor: string): CameraMasks {
    this.assertCamera(cameraId);
    const lift = this.lifts.get(cameraId)?.get(maskId);
    if (!lift) throw new AppErrorException('not-found', `The mask "${maskId}" is not lifted.`);
    this.endLift(lift, actor, 'restored', false);
    return this.changed(cameraId);
  }

  /** A camera was removed: its open lifts end and its masks are forgotten. */
  forget(cameraId: string): void {
    for (const l of [...(this.lifts.get(cameraId)?.values() ?? [])]) this.endLift(l, SYSTEM_ACTOR_NAME, 'mask-removed', false);
    this.repo.removeMasks(cameraId);
  }

  private arm(row: LiftRow): void {
    const delay = Math.max(0, Math.min(row.untilMs - this.now(), 2 ** 31 - 1));
    const state: LiftState = { ...row, timer: null };
    state.timer = setTimeout(() => this.expire(state), delay);
    state.timer.unref?.();
    let byMask = this.lifts.get(row.cameraId);
    if (!byMask) this.lifts.set(row.cameraId, (byMask = new Map()));
    byMask.set(row.maskId, state);
  }

  private expire(lift: LiftState): void {
    if (this.lifts.get(lift.cameraId)?.get(lift.maskId) !== lift) return;
    // A timer may fire a little early on some platforms: re-arm rather than restore before the time.
    if (this.now() < lift.untilMs) {
      this.arm(lift);
      return;
    }
    this.endLift(lift, SYSTEM_ACTOR_NAME, 'expired', true);
  }

  private endLift(lift: LiftRow & { timer?: NodeJS.Timeout | null }, actor: string, how: LiftEnd, notify: boolean): void {
    if (lift.timer) clearTimeout(lift.timer);
    const byMask = this.lifts.get(lift.cameraId);
    if (byMask?.get(lift.maskId)?.id === lift.id) byMask.delete(lift.maskId);
    const at = this.now();
    if (!this.repo.end(lift.id, at, actor, how)) return;
    this.o.audit.record({
      action: 'mask.restore',
      actor,
      target: `camera:${lift.cameraId}/mask:${lift.maskId}`,
      detail: { liftId: lift.id, how, liftedBy: lift.byUser, liftedAt: new Date(lift.atMs).toISOString(), until: new Date(lift.untilMs).toISOString() },
    });
    if (notify) this.changed(lift.cameraId);
  }

  private changed(cameraId: string): CameraMasks {
    const masks = this.get(cameraId);
    this.o.onChanged?.(masks);
    return masks;
  }

  private assertCamera(cameraId: string): void {
    if (this.o.cameraExists && !this.o.cameraExists(cameraId)) throw new AppErrorException('not-found', `No camera with id "${cameraId}".`);
  }
}
