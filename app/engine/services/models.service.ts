import { z } from 'zod';
import type { ModelManifest, ModelView } from '../../shared/domain/model';
import type { DetectionStatus } from '../../shared/ipc/models.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { InferenceHost } from '../inference/inference-host';
import type { ExecutionProviderSetting } from '../inference/inference-run-dir';
import type { ModelRegistry } from '../models/model-registry';
import type { SettingsRepository } from '../storage/settings.repository';

/** Settings keys of detection (values are JSON). */
export const MODEL_SETTINGS = {
  /** Site default model id; absent = best installed by rank. */
  defaultModel: 'models.default',
  /** cuda | dml | coreml | cpu | auto (default auto; CPU is always the fallback). */
  executionProvider: 'inference.executionProvider',
  /** ONNX Runtime intra-op threads per session (default 1). */
  threads: 'inference.threads',
} as const;

const EpSchema = z.enum(['auto', 'cuda', 'dml', 'coreml', 'cpu']);
const ThreadsSchema = z.number().int().min(1).max(64);

/** Reads the worker's runtime settings (used by the InferenceHost at each start). */
export function inferenceRuntimeSettings(settings: SettingsRepository): { executionProvider: ExecutionProviderSetting; threads: number } {
  return { executionProvider: settings.get(MODEL_SETTINGS.executionProvider, EpSchema) ?? 'auto', threads: settings.get(MODEL_SETTINGS.threads, ThreadsSchema) ?? 1 };
}

/** A camera's wish for a model (CameraView.modelId; null = site default). */
export interface CameraModelWish {
  name: string;
  modelId: string | null;
}

/** models:* — the registry's view of installed models, the site default, and what the inference host runs. */
export class ModelsService {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly host: InferenceHost,
    private readonly settings: SettingsRepository,
    /** Enabled cameras and the model each asks for (to say plainly when one cannot have its own). */
    private readonly cameraWishes: () => CameraModelWish[] = () => [],
  ) {}

  /** Where models are installed (the registry's folder). */
  get modelsDir(): string {
    return this.registry.modelsDir;
  }

  /** The manifest folders, lowest precedence first (findFaceModels looks in the same ones). */
  get manifestDirs(): readonly string[] {
    return this.registry.dirs;
  }

  /** A model was installed from the app: when nothing was detecting, load the best one now. */
  async installed(): Promise<void> {
    if (this.host.status().state === 'off') await this.host.reload();
  }

  /** Manifests whose file is not installed yet (shipped ones that can be fetched): a file imported in the app with a pinned SHA-256 fills one. */
  async missingManifests(): Promise<ModelManifest[]> {
    return (await this.registry.list()).filter((e) => e.status === 'missing').map((e) => e.manifest);
  }

  list(): Promise<ModelView[]> {
    return this.registry.views();
  }

  /** Persists the site default (null = best by rank), reloads the worker, returns the new list. */
  async setDefault(id: string | null): Promise<ModelView[]> {
    if (id !== null) {
      const e = (await this.registry.list()).find((m) => m.manifest.id === id);
      if (!e) throw new AppErrorException('not-found', `No model has the id "${id}".`);
      if (e.status !== 'installed') throw new AppErrorException('invalid-input', `Model ${id} cannot run: ${e.error ?? e.status}.`);
      this.settings.set(MODEL_SETTINGS.defaultModel, id);
    } else {
      this.settings.delete(MODEL_SETTINGS.defaultModel);
    }
    this.registry.setDefault(id);
    await this.host.reload();
    return this.list();
  }

  status(): DetectionStatus {
    const s = this.host.status();
    const running = this.host.runningModelId;
    if (!running) return s;
    // Cameras with a model of their own: it runs beside the default when loaded; otherwise say why and which runs.
    const extras = this.host.extraModels();
    const others = this.cameraWishes().filter((c) => c.modelId !== null && c.modelId !== running);
    if (!others.length) return s;
    const served = others.filter((c) => extras.loaded.some((e) => e.id === c.modelId));
    const unserved = others.filter((c) => !served.includes(c));
    const parts = [s.message];
    if (served.length) parts.push(`Also running: ${served.map((c) => `${extras.loaded.find((e) => e.id === c.modelId)!.name} for ${c.name}`).join(', ')}.`);
    for (const p of new Set(served.map((c) => extras.problems.get(c.modelId!)).filter(Boolean))) parts.push(`Note: ${p}.`);
    if (unserved.length) {
      const why = (c: CameraModelWish) => extras.failed.get(c.modelId!) ?? 'loading…';
      parts.push(`${unserved.map((c) => `${c.name} asks for ${c.modelId} (${why(c)})`).join('; ')}: ${running} analyses ${unserved.length === 1 ? 'it' : 'them'} meanwhile.`);
    }
    return { ...s, message: parts.join(' ') };
  }
}
