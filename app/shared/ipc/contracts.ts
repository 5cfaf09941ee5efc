import type { z } from 'zod';
import type { Actor } from '../domain/user';
import { alarmsInvoke, alarmsPush } from './alarms.contract';
import { appInvoke } from './app.contract';
import { auditInvoke } from './audit.contract';
import { authInvoke } from './auth.contract';
import { camerasInvoke, camerasPush } from './cameras.contract';
import { eventsInvoke, eventsPush } from './events.contract';
import { exportInvoke } from './export.contract';
import { healthInvoke, healthPush } from './health.contract';
import { layoutsInvoke } from './layouts.contract';
import { modelsInvoke, modelsPush } from './models.contract';
import { rulesInvoke, rulesPush } from './rules.contract';
import { masksInvoke, masksPush } from './masks.contract';
import { facesInvoke } from './faces.contract';
import { retentionInvoke, retentionPush } from './retention.contract';
import { reportsInvoke, reportsPush } from './reports.contract';
import { integrationsInvoke } from './integrations.contract';
import { evidenceInvoke, evidencePush } from './evidence.contract';
import { downloadsInvoke } from './downloads.contract';
import { recordingsInvoke } from './recordings.contract';

/**
 * The whole renderer <-> engine contract: one map per direction, merged from one contract file per area.
 * Main's IPC gateway, the preload, the headless host's WebSocket and the renderer's client are all typed
 * from these maps; no raw channel string exists anywhere else. Add an area by adding its file here.
 */
export const invokeContract = { ...appInvoke, ...camerasInvoke, ...healthInvoke, ...modelsInvoke, ...rulesInvoke, ...eventsInvoke, ...masksInvoke, ...retentionInvoke, ...reportsInvoke, ...alarmsInvoke, ...layoutsInvoke, ...exportInvoke, ...authInvoke, ...auditInvoke, ...integrationsInvoke, ...evidenceInvoke, ...downloadsInvoke, ...recordingsInvoke, ...facesInvoke } as const;
export const pushContract = { ...camerasPush, ...healthPush, ...modelsPush, ...rulesPush, ...eventsPush, ...masksPush, ...retentionPush, ...reportsPush, ...alarmsPush, ...evidencePush } as const;

export type InvokeContract = typeof invokeContract;
export type PushContract = typeof pushContract;
export type InvokeChannel = keyof InvokeContract;
export type PushChannel = keyof PushContract;
export type InvokeInput<C extends InvokeChannel> = z.input<InvokeContract[C]['input']>;
export type InvokeParsedInput<C extends InvokeChannel> = z.output<InvokeContract[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = z.output<InvokeContract[C]['output']>;
export type PushPayload<E extends PushChannel> = z.output<PushContract[E]['payload']>;

export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && Object.prototype.hasOwnProperty.call(invokeContract, c);

/** Server-side handler map: every invoke channel implemented, with parsed input. */
export type InvokeHandlers = { [C in InvokeChannel]: (input: InvokeParsedInput<C>, ctx: CallContext) => Promise<InvokeOutput<C>> | InvokeOutput<C> };

/**
 * One area's handler map: exactly the channels of that area's contract (`AreaHandlers<typeof camerasInvoke>`),
 * so a channel without a handler, or a handler for another area's channel, does not compile. The engine spreads
 * every area's map into one `InvokeHandlers`.
 */
export type AreaHandlers<Area> = Pick<InvokeHandlers, keyof Area & InvokeChannel>;

/** Who is calling: the host fills the transport identity and, once signed in, the user. */
export interface CallContext {
  /** Transport-level identity: `electron:<webContentsId>` or `ws:<connectionId>`. */
  peer: string;
  /** The signed-in user of this peer's session (absent before sign-in and in tests without accounts). */
  user?: Actor;
  /** Filled by the engine for a sensitive call confirmed with `auth:elevate`: the second user who approved it (four-eyes). */
  approver?: Actor;
}
