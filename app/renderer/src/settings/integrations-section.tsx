import { useEffect, useId, useState } from 'react';
import { RoleSchema, type Role } from '../../../shared/domain/user';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { MqttInboundForm } from './mqtt-inbound-form';


/** Settings → Integrations (admin): the HTTP API switch and one token per integrated system (shown once). */
export function IntegrationsSection() {
  const { settings, tokens, created, error } = useRoot((s) => s.integrations);
  const { loadIntegrations, setApiEnabled, createApiToken, revokeApiToken, dismissCreatedToken } = useActions();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('officer');
  const [days, setDays] = useState('');
  const id = useId();
  const tz = useRoot(selectTimeZone);
  const when = (ms: number) => formatTime(ms, tz);
  useEffect(() => void loadIntegrations(), [loadIntegrations]);
  const a = t.integrations;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="integrations">
      <h2 id={`${id}-title`}>{a.title}</h2>
      <p className="muted small">{a.help}</p>
      {settings && (
        <p>
          {settings.apiEnabled ? a.apiOn : a.apiOff}{' '}
          <button type="button" className="btn" data-testid="api-switch" onClick={() => void setApiEnabled(!settings.apiEnabled)}>
            {settings.apiEnabled ? a.turnOff : a.turnOn}
          </button>
        </p>
      )}
      <h3>{a.tokens}</h3>
      {created && (
        <div className="banner" role="status" data-testid="token-created">
          <p>{a.createdOnce(created.name)}</p>
          <p className="mono small wrap">{created.secret}</p>
          <button type="button" className="btn" onClick={dismissCreatedToken}>
            {a.done}
          </button>
        </div>
      )}
      {tokens && tokens.length === 0 && <p className="empty">{a.noTokens}</p>}
      {tokens && tokens.length > 0 && (
        <table className="table">
          <tbody>
            {tokens.map((k) => (
              <tr key={k.id} data-testid="token-row">
                <td>{k.name}</td>
                <td>{t.auth.roles[k.role] ?? k.role}</td>
                <td className="small">{k.revokedMs !== null ? a.revoked : k.expiresMs !== null ? a.expires(when(k.expiresMs)) : a.noExpiry}</td>
                <td className="small muted">{a.lastUsed(k.lastUsedMs === null ? null : when(k.lastUsedMs))}</td>
                <td>
                  {k.revokedMs === null && (
                    <button type="button" className="btn btn--danger-outline" onClick={() => void revokeApiToken(k.id)}>
                      {a.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void createApiToken(name.trim(), role, days.trim() ? Number(days) : undefined).then((ok) => ok && (setName(''), setDays('')));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>{a.name}</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="access-control" maxLength={64} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{a.role}</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(RoleSchema.parse(e.target.value))}>
            {RoleSchema.options.map((r) => (
              <option key={r} value={r}>
                {t.auth.roles[r] ?? r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>{a.days}</label>
          <input id={`${id}-days`} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))} />
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={!name.trim()}>
            {a.create}
          </button>
        </div>
      </form>
      {settings && <MqttInboundForm key={JSON.stringify(settings.mqttInbound)} saved={settings.mqttInbound} />}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
