import { invokeContract, pushContract, type InvokeChannel, type PushChannel } from '../shared/ipc/contracts';

/**
 * The channel names the preload lets through, and nothing else: validation (zod schemas) stays in main.
 * In the preload bundle, scripts/build-node.mjs replaces this module by the same names as literal lists, so
 * the preload carries neither zod nor the schemas (846 KB before); here (tests, type checking)
 * they come straight from the contracts, the one source of both.
 */
export const INVOKE_CHANNELS: readonly string[] = Object.keys(invokeContract);
export const PUSH_CHANNELS: readonly string[] = Object.keys(pushContract);

const invokeNames = new Set(INVOKE_CHANNELS);
const pushNames = new Set(PUSH_CHANNELS);
export const isInvokeChannelName = (c: unknown): c is InvokeChannel => typeof c === 'string' && invokeNames.has(c);
export const isPushChannelName = (c: unknown): c is PushChannel => typeof c === 'string' && pushNames.has(c);
