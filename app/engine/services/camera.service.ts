import { parseSource, type CameraPatch, type CameraSettings, type CameraView } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { KeyedEmitter } from '../../shared/events/emitter';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraRuntime, CameraRuntimeConfig } from '../camera/camera-runtime';
import type { ModelInputSpec } from '../inference/inference-api';
import type { Logger } from '../logging/logger';
import type { Disposable } from '../process/worker-starter';
import type { CameraRecord, CameraRepository, CameraSettingsToStore } from '../storage/camera.repository';
import { hasMaskedPassword, keepSavedPassword } from './camera-credentials';
import type { PushBus } from './push-bus';

/**
 * Where a camera sends frames for detection, given the model it asks for (null = site default); undefined while
 * detection is off. The engine wires this to the InferenceHost.
 */
export type CameraInferenceSource = (modelId: string | null) => { endpoint: string; spec: ModelInputSpec } | undefined;

/** Camera configuration (repository) + lifecycle (runtime) + push events. The renderer only ever sees views. */
export class CameraService {
  private readonly subs: Disposable[] = [];
  /** Live frames per camera id. */
  private readonly frameEmitters: KeyedEmitter<string, [frame: LiveFrame]>;

  constructor(
    private readonly repo: CameraRepository,
    private readonly runtime: CameraRuntime,
    private readonly push: PushBus,
    private readonly logger: Logger,
    private readonly inference: CameraInferenceSource = () => undefined,
    /** The camera's saved lines and zones (applied live by the worker). */
    private readonly rulesOf: (cameraId: string) => Rule[] = () => [],
    /** The camera's active privacy masks (burned into its display output; applied live by the worker). */
    private readonly masksOf: (cameraId: string) => PrivacyMask[] = () => [],
  ) {
    this.frameEmitters = new KeyedEmitter({ name: 'live frame', log: logger });
  }

  /** Rebuilds every camera's runtime config (inference endpoint or model changed) and applies it. */
  reapply(): void {
    this.runtime.apply(this.configs());
  }

  /** Subscribes to the runtime and starts every enabled camera. */
  start(): void {
    this.subs.push(this.runtime.onState((id, state) => this.push.emit('cameras:state', { id, state })));
    this.subs.push(this.runtime.onFrame((frame) => this.frameEmitters.emit(frame.cameraId, frame)));
    this.runtime.apply(this.configs());
  }

  list(): CameraView[] {
    return this.repo.list().map((r) => this.view(r));
  }

  add(input: CameraSettingsToStore): CameraView {
    if (hasMaskedPassword(input.source)) throw new AppErrorException('invalid-input', 'Type the camera password (*** only keeps a saved one).');
    const rec = this.repo.insert({ ...input, source: input.source.trim() });
    this.logger.info('camera added', { camera: rec.id, name: rec.name, source: parseSource(rec.source).masked });
    this.changed();
    return this.view(rec);
  }

  update(id: string, patch: CameraPatch): CameraView {
    const current = this.mustGet(id);
    const next: CameraSettings = {
      name: patch.name ?? current.name,
      source: patch.source !== undefined ? keepSavedPassword(patch.source, current.source).trim() : current.source,
      rtspTransport: patch.rtspTransport ?? current.rtspTransport,
      analysisFps: patch.analysisFps ?? current.analysisFps,
      enabled: patch.enabled ?? current.enabled,
      modelId: patch.modelId !== undefined ? patch.modelId : current.modelId,
      detectionTiling: patch.detectionTiling !== undefined ? patch.detectionTiling : current.detectionTiling,
      motionGating: patch.motionGating ?? current.motionGating,
    };
    const rec = this.repo.update(id, next);
    this.logger.info('camera updated', { camera: id, fields: Object.keys(patch) });
    this.changed();
    return this.view(rec);
  }

  setEnabled(id: string, enabled: boolean): CameraView {
    return this.update(id, { enabled });
  }

  remove(id: string): { id: string } {
    if (!this.repo.remove(id)) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    this.logger.info('camera removed', { camera: id });
    this.changed();
    return { id };
  }

  /** Live frames of one camera; returns the unsubscribe function. */
  subscribeFrames(cameraId: string, listener: (frame: LiveFrame) => void): () => void {
    const sub = this.frameEmitters.on(cameraId, listener);
    return () => sub.dispose();
  }

  stop(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
    this.frameEmitters.clear();
  }

  /** A camera as the renderer sees it: password masked, state attached. */
  view(r: CameraRecord): CameraView {
    let sourceKind: CameraView['sourceKind'] = 'file';
    let masked = '[invalid source]';
    try {
      const p = parseSource(r.source);
      sourceKind = p.kind;
      masked = p.masked;
    } catch {}
    return {
      id: r.id,
      name: r.name,
      source: masked,
      sourceKind,
      rtspTransport: r.rtspTransport,
      analysisFps: r.analysisFps,
      enabled: r.enabled,
      modelId: r.modelId,
      detectionTiling: r.detectionTiling,
      motionGating: r.motionGating,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      state: r.enabled ? this.runtime.state(r.id) : { type: 'disabled' },
    };
  }

  private mustGet(id: string): CameraRecord {
    const rec = this.repo.get(id);
    if (!rec) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    return rec;
  }

  private configs(): CameraRuntimeConfig[] {
    return this.repo.list().map((r) => {
      const source = r.enabled ? this.inference(r.modelId) : undefined;
      const inference = source ? { ...source, ...(r.detectionTiling ? { tiling: r.detectionTiling } : {}) } : undefined;
      const rules = this.rulesOf(r.id);
      const masks = this.masksOf(r.id);
      return { id: r.id, name: r.name, source: r.source, rtspTransport: r.rtspTransport, analysisFps: r.analysisFps, enabled: r.enabled, rules, masks, ...(inference ? { inference, motionGating: r.motionGating } : {}) };
    });
  }

  private changed(): void {
    this.runtime.apply(this.configs());
    this.push.emit('cameras:changed', this.list());
  }
}
