import { useId, useState } from 'react';
import { MqttInboundSchema, type MqttInbound } from '../../../shared/ipc/integrations.contract';
import { t } from '../i18n/en';
import { useActions } from '../store/store';

const EMPTY: MqttInbound = { enabled: true, url: 'mqtt://127.0.0.1:1883', topic: 'site/panels/+/alarm', source: 'panel', eventIdPath: 'id', textPath: 'text', priorityPath: 'priority', defaultPriority: 2 };

/** The MQTT alarm subscription: broker, topic filter and where in the JSON payload each alarm field is. */
export function MqttInboundForm({ saved }: { saved: MqttInbound | null }) {
  const { saveMqttInbound } = useActions();
  const [draft, setDraft] = useState<MqttInbound>(saved ?? EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const m = t.integrations.mqtt;
  const text = (key: 'url' | 'topic' | 'source' | 'eventIdPath' | 'textPath' | 'priorityPath' | 'sourcePath' | 'cameraIdPath', label: string) => (
    <div className="field" key={key}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value || undefined })} />
    </div>
  );
  return (
    <form
      className="form"
      data-testid="mqtt-inbound"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = MqttInboundSchema.safeParse(draft);
        if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? m.invalid);
        setProblem(null);
        void saveMqttInbound(parsed.data);
      }}
    >
      <h3>{m.title}</h3>
      <p className="muted small">{m.help}</p>
      <div className="field">
        <label>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> {m.enabled}
        </label>
      </div>
      {text('url', m.url)}
      {text('topic', m.topic)}
      {text('source', m.source)}
      {text('eventIdPath', m.eventIdPath)}
      {text('textPath', m.textPath)}
      {text('priorityPath', m.priorityPath)}
      {text('sourcePath', m.sourcePath)}
      {text('cameraIdPath', m.cameraIdPath)}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary">
          {m.save}
        </button>
        {saved && (
          <button type="button" className="btn btn--danger-outline" onClick={() => void saveMqttInbound(null).then((ok) => ok && setDraft(EMPTY))}>
            {m.remove}
          </button>
        )}
      </div>
      {problem && (
        <p className="form__error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
