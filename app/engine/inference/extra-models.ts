import type { ModelManifest } from '../../shared/domain/model';
import type { ModelEntry } from '../models/model-registry';
import type { ExtraModelRequest, ExtraModelsReport } from './inference-worker-protocol';

/** An extra model the worker has loaded. */
export interface LoadedExtra {
  manifest: ModelManifest;
  executionProvider: string;
}

/** What to ask of the worker for the models cameras want (from `ExtraModels.plan`). */
export interface ExtrasPlan {
  /** Sent to the worker, sorted by id. */
  ask: ExtraModelRequest[];
  /** The manifests of the models asked for, by id. */
  asked: ReadonlyMap<string, ModelManifest>;
  /** Wanted but not installed (or not usable), with why: never sent to the worker. */
  refused: ReadonlyMap<string, string>;
  /** Loaded, but their file has a problem now: they keep running from memory (still asked for). */
  problems: ReadonlyMap<string, string>;
}

/** What applying a plan changed. */
export interface ExtrasApplied {
  /** The request to send to the worker, or null when it already has this one. */
  send: ExtraModelRequest[] | null;
  /** The file problems changed (announce, and log them). */
  problemsChanged: boolean;
  /** Why some models are not loaded changed (announce). */
  errorsChanged: boolean;
}

/**
 * The models cameras ask for beside the primary, as the inference host knows them: what was asked of the worker,
 * what it has loaded, and why the others are not (refused here, or failed in the worker). Forgotten when the worker
 * goes (`clear`); every (re)started worker is asked again.
 */
export class ExtraModels {
  private loaded = new Map<string, LoadedExtra>();
  /** Why a wanted model is not loaded: refusals from the last plan, then load failures the worker reported. */
  private errors = new Map<string, string>();
  /** The last request sent to the worker; null: none since it started. */
  private sent: readonly ExtraModelRequest[] | null = null;
  private current: ExtrasPlan = { ask: [], asked: new Map(), refused: new Map(), problems: new Map() };

  /** The loaded extra with this id, if any. */
  get(modelId: string): LoadedExtra | undefined {
    return this.loaded.get(modelId);
  }

  /** Whether the model is known not to load (refused or failed): no point asking again. */
  hasFailed(modelId: string): boolean {
    return this.errors.has(modelId);
  }

  /** Ids of the loaded extras, sorted (what cameras can be routed to). */
  loadedIds(): string[] {
    return [...this.loaded.keys()].sort();
  }

  /** Loaded extras, and copies of why the others are not loaded and of the file problems. */
  view(): { loaded: { id: string; name: string; executionProvider: string }[]; failed: Map<string, string>; problems: Map<string, string> } {
    return {
      loaded: [...this.loaded.values()].map((e) => ({ id: e.manifest.id, name: e.manifest.name, executionProvider: e.executionProvider })),
      failed: new Map(this.errors),
      problems: new Map(this.current.problems),
    };
  }

  /**
   * What to ask for, given the wanted ids (the primary and duplicates already left out, sorted) and the registry's
   * entries: installed models are asked for; a loaded one whose file went away or changed stays asked for (it keeps
   * running from memory, as the primary does) with a problem; the rest are refused with why.
   */
  plan(wanted: readonly string[], entries: readonly ModelEntry[]): ExtrasPlan {
    const ask: ExtraModelRequest[] = [];
    const asked = new Map<string, ModelManifest>();
    const refused = new Map<string, string>();
    const problems = new Map<string, string>();
    for (const id of wanted) {
      const e = entries.find((x) => x.manifest.id === id);
      const loaded = this.loaded.get(id);
      if (loaded && (!e || e.status !== 'installed')) {
        ask.push({ id, model: e?.manifestPath ?? id });
        asked.set(id, loaded.manifest);
        problems.set(id, `the file of ${loaded.manifest.name} has a problem (${e ? (e.error ?? e.status) : 'its manifest is gone'}); it keeps running from memory until a restart`);
      } else if (!e) refused.set(id, 'no such model is installed');
      else if (e.status !== 'installed') refused.set(id, e.error ?? e.status);
      else {
        ask.push({ id, model: e.manifestPath });
        asked.set(id, e.manifest);
      }
    }
    return { ask, asked, refused, problems };
  }

  /**
   * Takes a plan. The request is to be sent when it differs from the last one sent, when refusals changed, or when
   * `force`d (a reload), unless there is nothing to load and nothing to unload.
   */
  apply(plan: ExtrasPlan, force = false): ExtrasApplied {
    const problemsChanged = !sameEntries(plan.problems, this.current.problems);
    const refusedChanged = !sameEntries(plan.refused, this.current.refused);
    if (!force && !refusedChanged && this.sent !== null && sameRequests(plan.ask, this.sent)) {
      this.current = { ...this.current, problems: plan.problems };
      return { send: null, problemsChanged, errorsChanged: false };
    }
    this.current = plan;
    this.sent = plan.ask;
    // Refusals are known here; load failures come back from the worker's answer (kept while still asked for).
    const errors = new Map([...plan.refused, ...[...this.errors].filter(([id]) => plan.asked.has(id))]);
    const errorsChanged = !sameEntries(errors, this.errors);
    this.errors = errors;
    const send = plan.ask.length || this.loaded.size ? plan.ask : null;
    return { send, problemsChanged, errorsChanged };
  }

  /** The worker's answer to a request. True when the loaded set or the reasons changed (cameras need new routes). */
  onReport(report: ExtraModelsReport): boolean {
    const beforeIds = this.loadedIds();
    const beforeErrors = this.errors;
    this.loaded = new Map();
    for (const l of report.loaded) {
      const manifest = this.current.asked.get(l.modelId);
      if (manifest) this.loaded.set(l.modelId, { manifest, executionProvider: l.executionProvider });
    }
    this.errors = new Map([...this.current.refused, ...report.failed.map((f) => [f.modelId, f.error] as const)]);
    return !sameIds(beforeIds, this.loadedIds()) || !sameEntries(beforeErrors, this.errors);
  }

  /** The worker is gone: nothing is loaded and nothing was asked (the reasons stay until the next plan). */
  clear(): void {
    this.loaded = new Map();
    this.sent = null;
    this.current = { ask: [], asked: new Map(), refused: new Map(), problems: new Map() };
  }
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function sameRequests(a: readonly ExtraModelRequest[], b: readonly ExtraModelRequest[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i]!.id && r.model === b[i]!.model);
}
