import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../logging/logger';
import { nullLogger } from '../logging/logger';
import type { ModelIo } from './decoders/model-io';

// ORT prints provider-load failures (e.g. CUDA libraries absent) straight to stderr; they are caught, logged
// once through our logger and answered by the CPU fallback, so only fatal native messages are let through.
ort.env.logLevel = 'fatal';

/** Execution providers a site may ask for, in preference order; CPU is always tried last. */
export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';
export const EXECUTION_PROVIDERS: readonly ExecutionProviderName[] = ['cuda', 'dml', 'coreml', 'cpu'];

export interface OrtSessionOptions {
  /** Preferred providers in order (default ['cpu']); CPU is appended as the fallback. */
  executionProviders?: readonly ExecutionProviderName[];
  /** ORT intra-op threads (default 1: one core per inference, best CPU efficiency). */
  intraOpNumThreads?: number;
  logger?: Logger;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  /** The provider that actually loaded. */
  provider: ExecutionProviderName;
  io: ModelIo;
  /** Why preferred providers were skipped, for health and logs. */
  fallbacks: { provider: ExecutionProviderName; error: string }[];
}

/** Parses a comma-separated EP list from settings/CLI; unknown names are rejected. */
export function parseExecutionProviders(value: string | undefined): ExecutionProviderName[] {
  if (!value) return ['cpu'];
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) if (!EXECUTION_PROVIDERS.includes(n as ExecutionProviderName)) throw new Error(`unknown execution provider "${n}" (use ${EXECUTION_PROVIDERS.join(', ')})`);
  return names as ExecutionProviderName[];
}

/** Clean one-line reason from an ORT error. */
export function ortErrorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').split('\n')[0]!.slice(0, 300);
}

/**
 * Opens an ORT session trying each provider in order, then CPU; logs each failure and reports the active one.
 * Throws (with ORT's reason) only when even CPU cannot load the model, e.g. a corrupt file.
 */
export async function openOrtSession(model: string | Uint8Array, opts: OrtSessionOptions = {}): Promise<OpenedSession> {
  const log = opts.logger ?? nullLogger;
  const order = [...(opts.executionProviders ?? ['cpu'])];
  if (!order.includes('cpu')) order.push('cpu');
  const fallbacks: OpenedSession['fallbacks'] = [];
  for (const provider of order) {
    try {
      const so: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        intraOpNumThreads: Math.max(1, opts.intraOpNumThreads ?? 1),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      };
      const session = typeof model === 'string' ? await ort.InferenceSession.create(model, so) : await ort.InferenceSession.create(model, so);
      if (fallbacks.length) log.warn('execution provider fallback', { active: provider, skipped: fallbacks });
      return { session, provider, io: sessionIo(session), fallbacks };
    } catch (e) {
      const error = ortErrorMessage(e);
      if (provider === 'cpu') throw new Error(`ONNX Runtime cannot load the model: ${error}`, { cause: e });
      log.warn('execution provider unavailable, trying the next', { provider, error });
      fallbacks.push({ provider, error });
    }
  }
  throw new Error('no execution provider could load the model');
}

export function sessionIo(session: ort.InferenceSession): ModelIo {
  const meta = (m: readonly ort.InferenceSession.ValueMetadata[]) => m.map((v) => ({ name: v.name, shape: v.isTensor ? [...v.shape] : [] }));
  return { inputs: meta(session.inputMetadata), outputs: meta(session.outputMetadata) };
}

/**
 * The inputs and outputs of an ONNX file an admin brings (ONNX Runtime opens it once, on the CPU, and lets it go),
 * or a plain error saying the file is not a loadable model.
 */
export async function readModelFileIo(file: string): Promise<ModelIo> {
  let opened: OpenedSession;
  try {
    opened = await openOrtSession(file, { executionProviders: ['cpu'] });
  } catch (e) {
    throw new Error(`${path.basename(file)} is not a loadable ONNX model: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  await opened.session.release().catch(() => undefined);
  return opened.io;
}
