import { useId, useState } from 'react';
import { EXPORT_EVENT_TYPES, type ExportSinkView } from '../../../shared/domain/export';
import { t } from '../i18n/en';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { selectExport } from '../store/export/export.selectors';
import { useActions, useRoot } from '../store/store';
import { formFromView, inputFromForm, type SinkForm } from './sink-form-model';

const f = t.sinkForm;

/** Add/edit one sink. The host validates (zod) and its message is shown as is; secrets are never sent back. */
export function SinkFormCard({ view }: { view: ExportSinkView | undefined }) {
  const [v, setV] = useState<SinkForm>(() => formFromView(view));
  const ex = useRoot(selectExport);
  const cameras = useRoot(selectCameras);
  const { saveSink, editSink } = useActions();
  const id = useId();
  const set = <K extends keyof SinkForm>(k: K, val: SinkForm[K]) => setV((o) => ({ ...o, [k]: val }));
  const text = (k: keyof SinkForm, label: string, opts: { hint?: string; type?: string; placeholder?: string } = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input id={`${id}-${k}`} name={k} type={opts.type ?? 'text'} value={String(v[k] ?? '')} placeholder={opts.placeholder} spellCheck={false} autoComplete="off" onChange={(e) => set(k, e.target.value as never)} />
      {opts.hint && <p className="field__hint">{opts.hint}</p>}
    </div>
  );
  const secretLabel = v.kind === 'https' ? (v.auth === 'hmac' ? f.hmacKey : f.token) : f.password;
  const secretPlaceholder = v.id && v.secretSet ? f.secretKeep : undefined;
  const toggle = <T,>(list: T[], x: T): T[] => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);
  return (
    <form
      className="card form"
      data-testid="sink-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void saveSink(inputFromForm(v));
      }}
    >
      <h2>{view ? f.editTitle(view.name) : f.newTitle}</h2>
      {ex.saveError && (
        <p className="form__error" role="alert" data-testid="sink-form-error">
          {ex.saveError}
        </p>
      )}
      <div className="form__row">
        {text('name', f.name)}
        {text('site', f.site, { hint: f.siteHint })}
        <div className="field">
          <label htmlFor={`${id}-kind`}>{f.kind}</label>
          <select id={`${id}-kind`} name="kind" value={v.kind} disabled={!!view} onChange={(e) => set('kind', e.target.value as SinkForm['kind'])}>
            <option value="https">HTTPS</option>
            <option value="mqtt">MQTT</option>
            <option value="postgres">PostgreSQL</option>
          </select>
        </div>
      </div>
      {v.kind === 'https' && (
        <>
          {text('url', f.url, { hint: f.urlHint, placeholder: 'https://hq.example.com/watchroom/events' })}
          <div className="form__row">
            <div className="field">
              <label htmlFor={`${id}-auth`}>{f.auth}</label>
              <select id={`${id}-auth`} name="auth" value={v.auth} onChange={(e) => set('auth', e.target.value as SinkForm['auth'])}>
                <option value="none">{f.authNone}</option>
                <option value="bearer">{f.authBearer}</option>
                <option value="hmac">{f.authHmac}</option>
              </select>
            </div>
            {v.auth !== 'none' && text('secret', secretLabel, { type: 'password', placeholder: secretPlaceholder })}
          </div>
        </>
      )}
      {v.kind === 'mqtt' && (
        <>
          {text('url', f.brokerUrl, { placeholder: 'mqtt://broker.local:1883' })}
          <div className="form__row">
            {text('username', f.username)}
            {text('secret', secretLabel, { type: 'password', placeholder: secretPlaceholder })}
          </div>
          {text('topicPrefix', f.topicPrefix, { hint: f.topicHint(v.topicPrefix || 'watchroom', v.site || '<site>') })}
        </>
      )}
      {v.kind === 'postgres' && (
        <>
          <div className="form__row">
            {text('host', f.host)}
            {text('port', f.port, { type: 'number' })}
            {text('database', f.database)}
          </div>
          <div className="form__row">
            {text('user', f.user)}
            {text('secret', secretLabel, { type: 'password', placeholder: secretPlaceholder })}
            {text('schema', f.schema)}
          </div>
          <label className="switch">
            <input type="checkbox" checked={v.ssl} onChange={(e) => set('ssl', e.target.checked)} /> {f.ssl}
          </label>
        </>
      )}
      {(v.kind !== 'postgres' || v.ssl) && (
        <div className="field">
          <label htmlFor={`${id}-ca`}>{f.caPem}</label>
          <textarea id={`${id}-ca`} name="caPem" rows={3} className="mono small" value={v.caPem} spellCheck={false} onChange={(e) => set('caPem', e.target.value)} />
          <p className="field__hint">{f.caHint}</p>
        </div>
      )}
      <fieldset className="field">
        <legend>{f.filters}</legend>
        <div className="row-actions">
          {EXPORT_EVENT_TYPES.map((ty) => (
            <label key={ty} className="switch small">
              <input type="checkbox" checked={v.types.includes(ty)} onChange={() => set('types', toggle(v.types, ty))} /> {f.types[ty] ?? ty}
            </label>
          ))}
        </div>
        <p className="field__hint">{f.filtersHint}</p>
        {cameras.length > 0 && (
          <>
            <span className="small">{f.cameras}</span>
            <div className="row-actions">
              {cameras.map((c) => (
                <label key={c.id} className="switch small">
                  <input type="checkbox" checked={v.cameraIds.includes(c.id)} onChange={() => set('cameraIds', toggle(v.cameraIds, c.id))} /> {c.name}
                </label>
              ))}
            </div>
            <p className="field__hint">{f.camerasHint}</p>
          </>
        )}
        {text('ruleIds', f.rules)}
      </fieldset>
      <div className="form__row">
        {text('batchSize', f.batchSize, { type: 'number' })}
        {text('timeoutMs', f.timeout, { type: 'number' })}
        {text('backlogAlarmMinutes', f.alarmMinutes, { type: 'number' })}
        {text('backlogAlarmEvents', f.alarmEvents, { type: 'number', hint: f.alarmEventsHint })}
      </div>
      <label className="switch">
        <input type="checkbox" checked={v.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {f.enabled}
      </label>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" data-testid="sink-save" disabled={ex.busy}>
          {ex.busy ? f.saving : f.save}
        </button>
        <button type="button" className="btn" onClick={() => editSink(null)}>
          {f.cancel}
        </button>
      </div>
    </form>
  );
}
