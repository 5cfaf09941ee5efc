import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { CameraTile } from '../live/camera-tile';
import { selectMonitorAlarm, selectTimeZone } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { usePermission } from '../auth/permission';
import { alarmTitle } from './alarm-text';
import { ruleNameLookup, selectRulesByCamera } from './rule-names';
import { SnapshotImage } from './snapshot-image';
import { SystemAlarmFigures } from './system-alarm-figures';

/**
 * The alarm monitor (a second window, `#/monitor`): the camera of the most urgent new alarm, live with its
 * rules drawn, beside the alarm's snapshot; for a site-level system alarm (no camera) the figures it was raised with.
 * Idle text when nothing is open.
 */
export function MonitorPage() {
  const alarm = useRoot(selectMonitorAlarm);
  const cameras = useRoot(selectCameras);
  const tz = useRoot(selectTimeZone);
  const rulesByCamera = useRoot(selectRulesByCamera);
  const { openPlayback, acknowledgeAlarm } = useActions();
  const canPlayBack = usePermission('evidence:play').allowed;
  const acknowledge = usePermission('alarms:acknowledge');
  const camera = alarm && alarm.cameraId !== null ? cameras.find((c) => c.id === alarm.cameraId) : undefined;
  return (
    <section className="page page--monitor" aria-labelledby="monitor-title" data-testid="monitor-page" data-alarm-id={alarm?.id ?? ''}>
      <div className="toolbar">
        <h1 id="monitor-title" className="page__title">
          {t.monitor.title}
          {alarm && (
            <span className={`badge alarm-status alarm-status--${alarm.status} monitor__badge`} data-testid="monitor-alarm">
              {t.alarms.priority(alarm.priority)} · {alarmTitle(alarm, cameras, ruleNameLookup(rulesByCamera, alarm.cameraId))} · {formatTime(alarm.openedMs, tz, 'time')}
            </span>
          )}
        </h1>
        {alarm && alarm.status === 'new' && acknowledge.allowed && (
          <button type="button" className="btn btn--primary monitor__acknowledge" onClick={() => void acknowledgeAlarm(alarm.id)} data-testid="monitor-acknowledge">
            {t.alarms.acknowledge}
          </button>
        )}
      </div>
      {!alarm ? (
        <p className="empty" data-testid="monitor-idle">{t.monitor.idle}</p>
      ) : alarm.kind === 'system' ? (
        <div className="monitor">
          <SystemAlarmFigures detail={alarm.detail} testId="monitor-system-figures" />
        </div>
      ) : (
        <div className="monitor">
          <div className="monitor__live">{camera && <CameraTile key={camera.id} camera={camera} focused onToggleFocus={() => undefined} highlightRuleId={alarm.ruleId} rulesButton="editors" />}</div>
          <div className="monitor__snapshot">
            <h2 className="section-title">{t.monitor.snapshot}</h2>
            <SnapshotImage key={alarm.id} keepPrevious refPath={alarm.snapshot} alt={t.monitor.snapshot} empty={t.alarms.noSnapshot} testId="monitor-snapshot" />
            {canPlayBack && (
              <button type="button" className="btn" onClick={() => alarm.cameraId !== null && openPlayback([alarm.cameraId], alarm.openedMs)} data-testid="monitor-play-back">
                {t.playback.playBack}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
