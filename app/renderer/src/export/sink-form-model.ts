import type { ExportEventType, ExportSinkInput, ExportSinkKind, ExportSinkView } from '../../../shared/domain/export';

/** The sink form's editable state (strings where the admin types numbers). */
export interface SinkForm {
  id?: string;
  name: string;
  site: string;
  enabled: boolean;
  kind: ExportSinkKind;
  url: string;
  auth: 'none' | 'bearer' | 'hmac';
  username: string;
  topicPrefix: string;
  host: string;
  port: string;
  database: string;
  user: string;
  schema: string;
  ssl: boolean;
  caPem: string;
  /** Typed secret; empty on an existing sink keeps the saved one. */
  secret: string;
  secretSet: boolean;
  types: ExportEventType[];
  cameraIds: string[];
  ruleIds: string;
  batchSize: string;
  timeoutMs: string;
  backlogAlarmMinutes: string;
  /** Backlog size that raises the alarm too; '0' = off. */
  backlogAlarmEvents: string;
}

export function formFromView(v?: ExportSinkView): SinkForm {
  const t = v?.target;
  return {
    id: v?.id,
    name: v?.name ?? '',
    site: v?.site ?? '',
    enabled: v?.enabled ?? true,
    kind: t?.kind ?? 'https',
    url: t && t.kind !== 'postgres' ? t.url : '',
    auth: t?.kind === 'https' ? t.auth : 'bearer',
    username: t?.kind === 'mqtt' ? t.username : '',
    topicPrefix: t?.kind === 'mqtt' ? t.topicPrefix : 'watchroom',
    host: t?.kind === 'postgres' ? t.host : '',
    port: t?.kind === 'postgres' ? String(t.port) : '5432',
    database: t?.kind === 'postgres' ? t.database : '',
    user: t?.kind === 'postgres' ? t.user : '',
    schema: t?.kind === 'postgres' ? t.schema : 'watchroom',
    ssl: t?.kind === 'postgres' ? t.ssl : false,
    caPem: t?.caPem ?? '',
    secret: '',
    secretSet: v?.secretSet ?? false,
    types: v?.filters.types ?? [],
    cameraIds: v?.filters.cameraIds ?? [],
    ruleIds: v?.filters.ruleIds.join(', ') ?? '',
    batchSize: String(v?.tuning.batchSize ?? 500),
    timeoutMs: String(v?.tuning.timeoutMs ?? 10_000),
    backlogAlarmMinutes: String(v?.tuning.backlogAlarmMinutes ?? 15),
    backlogAlarmEvents: String(v?.tuning.backlogAlarmEvents ?? 0),
  };
}

const num = (s: string): number => (s.trim() === '' ? NaN : Number(s));

/** The save payload: the host validates it (zod) and answers with officer-readable messages. */
export function inputFromForm(f: SinkForm): ExportSinkInput {
  const target: ExportSinkInput['target'] =
    f.kind === 'https'
      ? { kind: 'https', url: f.url.trim(), auth: f.auth, caPem: f.caPem }
      : f.kind === 'mqtt'
        ? { kind: 'mqtt', url: f.url.trim(), username: f.username.trim(), topicPrefix: f.topicPrefix.trim() || 'watchroom', caPem: f.caPem }
        : { kind: 'postgres', host: f.host.trim(), port: num(f.port), database: f.database.trim(), user: f.user.trim(), schema: f.schema.trim() || 'watchroom', ssl: f.ssl, caPem: f.caPem };
  const keep = f.id !== undefined && f.secret === '' && f.secretSet;
  return {
    ...(f.id ? { id: f.id } : {}),
    name: f.name.trim(),
    site: f.site.trim(),
    enabled: f.enabled,
    target,
    filters: {
      types: f.types,
      cameraIds: f.cameraIds,
      ruleIds: f.ruleIds
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    tuning: { batchSize: num(f.batchSize), timeoutMs: num(f.timeoutMs), backlogAlarmMinutes: num(f.backlogAlarmMinutes), backlogAlarmEvents: num(f.backlogAlarmEvents) },
    ...(keep ? {} : { secret: f.secret }),
  };
}
