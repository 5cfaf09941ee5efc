import type { InferenceClient } from './inference-api';

/** Connects to the inference worker at `endpoint` (a Unix socket path or a Windows named pipe). */
export function createInferenceClient(_endpoint: string): InferenceClient {
  throw new Error('inference client not implemented yet');
}
