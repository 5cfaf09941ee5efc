import { t } from '../i18n/en';
import { selectAlarmSettings, selectArming } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { selectCameraRules } from '../store/rules/rules.selectors';
import { useActions, useRoot } from '../store/store';
import type { CameraView } from '../../../shared/domain/camera';
import { useEffect } from 'react';
import type { ScheduleWindow } from '../../../shared/domain/rules';

/** "22:00-06:00, 12:00-13:00" <-> weekly windows (every day); '' = always; null = not understood. */
export function parseSchedule(text: string): ScheduleWindow[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const out: ScheduleWindow[] = [];
  for (const p of parts) {
    const m = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]):([0-5]\d)$/.exec(p);
    if (!m) return null;
    out.push({ from: `${m[1]}:${m[2]}`, to: `${m[3]}:${m[4]}` });
  }
  return out;
}
export const formatSchedule = (s: readonly ScheduleWindow[] | undefined): string => (s ?? []).map((w) => `${w.from}-${w.to}`).join(', ');

function CameraArming({ camera }: { camera: CameraView }) {
  const arming = useRoot(selectArming);
  const rules = useRoot(selectCameraRules(camera.id));
  const { ensureRules, armRule, disarmRule, setAlarmSwitch } = useActions();
  useEffect(() => ensureRules(camera.id), [camera.id, ensureRules]);
  const cameraArmed = !arming?.disarmedCameras.includes(camera.id);
  return (
    <li className="arming-camera" data-testid="arming-camera" data-camera-id={camera.id}>
      <label className="switch">
        <input type="checkbox" checked={cameraArmed} onChange={(e) => void setAlarmSwitch(camera.id, e.target.checked)} data-testid="camera-armed" />
        <strong>{camera.name}</strong> <span className="muted small">{t.alarms.cameraArmed}</span>
      </label>
      {rules.length === 0 ? (
        <p className="muted small">{t.alarms.noRules}</p>
      ) : (
        <ul className="arming-rules">
          {rules.map((r) => {
            const armed = arming?.rules.find((a) => a.cameraId === camera.id && a.ruleId === r.id);
            return (
              <li key={r.id} data-testid="arming-rule" data-rule-id={r.id} data-armed={armed ? 'true' : 'false'}>
                <span>{r.name ?? r.id}</span>
                {armed && (
                  <input
                    aria-label={t.alarms.schedule}
                    title={t.alarms.scheduleHint}
                    placeholder={t.alarms.scheduleAlways}
                    defaultValue={formatSchedule(armed.schedule)}
                    key={formatSchedule(armed.schedule)}
                    size={11}
                    data-testid="arming-schedule"
                    onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                    onBlur={(e) => {
                      const s = parseSchedule(e.target.value);
                      if (s && formatSchedule(s) !== formatSchedule(armed.schedule)) void armRule(camera.id, r.id, armed.priority, s, armed.maxPerHour);
                    }}
                  />
                )}
                {armed && (
                  <input
                    type="number"
                    min={1}
                    max={600}
                    aria-label={t.alarms.maxPerHour}
                    title={`${t.alarms.maxPerHour}. ${t.alarms.maxPerHourHint}`}
                    placeholder="∞/h"
                    defaultValue={armed.maxPerHour ?? ''}
                    key={`max-${armed.maxPerHour ?? ''}`}
                    style={{ width: 64 }}
                    data-testid="arming-max-per-hour"
                    onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                    onBlur={(e) => {
                      const v = e.target.value.trim();
                      const n = v === '' ? undefined : Math.round(Number(v));
                      if ((n === undefined || (n >= 1 && n <= 600)) && n !== armed.maxPerHour) void armRule(camera.id, r.id, armed.priority, armed.schedule, n);
                    }}
                  />
                )}
                <select
                  aria-label={t.alarms.priorityHint}
                  title={t.alarms.priorityHint}
                  value={armed?.priority ?? 3}
                  onChange={(e) => void armRule(camera.id, r.id, Number(e.target.value), armed?.schedule, armed?.maxPerHour)}
                  data-testid="arming-priority"
                >
                  {[1, 2, 3, 4, 5].map((p) => (
                    <option key={p} value={p}>
                      {t.alarms.priority(p)}
                    </option>
                  ))}
                </select>
                {armed ? (
                  <button type="button" className="btn btn--small" onClick={() => void disarmRule(camera.id, r.id)} data-testid="disarm-rule">
                    {t.alarms.disarmRule}
                  </button>
                ) : (
                  <button type="button" className="btn btn--small btn--primary" onClick={(e) => void armRule(camera.id, r.id, Number((e.currentTarget.previousSibling as HTMLSelectElement).value))} data-testid="arm-rule">
                    {t.alarms.armRule}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/** Arm/disarm switches (site and per camera) and the rules armed as alarms with their priority. */
export function ArmingPanel() {
  const arming = useRoot(selectArming);
  const cameras = useRoot(selectCameras);
  const { setAlarmSwitch, setEscalateAfter } = useActions();
  const settings = useRoot(selectAlarmSettings);
  return (
    <section className="side-card" aria-labelledby="arming-title" data-testid="arming-panel">
      <h2 id="arming-title">{t.alarms.armingTitle}</h2>
      <label className="switch">
        <input type="checkbox" checked={arming?.siteArmed ?? true} onChange={(e) => void setAlarmSwitch(null, e.target.checked)} data-testid="site-armed" />
        <span>{t.alarms.siteArmed}</span>
      </label>
      <label className="switch">
        <span>{t.alarms.escalateAfter}</span>
        <input
          type="number"
          min={1}
          max={3600}
          defaultValue={settings?.escalateAfterS ?? 60}
          key={settings?.escalateAfterS ?? 'x'}
          onBlur={(e) => Number(e.target.value) >= 1 && void setEscalateAfter(Number(e.target.value))}
          onKeyDown={(e) => e.key === 'Enter' && Number(e.currentTarget.value) >= 1 && void setEscalateAfter(Number(e.currentTarget.value))}
          style={{ width: 90 }}
          data-testid="escalate-after"
        />
      </label>
      <ul className="arming-cameras">
        {cameras.map((c) => (
          <CameraArming key={c.id} camera={c} />
        ))}
      </ul>
    </section>
  );
}
