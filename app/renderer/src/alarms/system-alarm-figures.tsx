import type { SystemAlarmDetail } from '../../../shared/domain/alarms';
import { t } from '../i18n/en';
import { FaceMatchPanel } from './face-match-panel';

/**
 * The numbers a site-level system alarm was (last) raised with, in place of a camera's snapshot: the sink's
 * backlog against its thresholds, or the outbox fill against its cap. The live figures are on Health and Export.
 */
export function SystemAlarmFigures({ detail, testId = 'system-alarm-figures' }: { detail: SystemAlarmDetail; testId?: string }) {
  if (detail.condition === 'face-match') return <FaceMatchPanel detail={detail} />;
  const a = t.alarms;
  const rows: Array<[string, string, string]> =
    detail.condition === 'analysis-starved'
      ? [[a.starvedCameras, detail.cameras.map((c) => c.name).join(', '), 'cameras']]
      : detail.condition === 'external-alarm'
      ? [
          [a.externalText, detail.text, 'text'],
          [a.externalSource, `${detail.source} (${detail.eventId})`, 'source'],
        ]
      : detail.condition === 'recording-stopped'
      ? [
          [a.recordingUsed, a.recordingBytes(detail.bytes, detail.quotaBytes), 'used'],
          [a.recordingFree, detail.freeBytes === null ? a.none : a.recordingFreeText(detail.freeBytes, detail.minFreeBytes), 'free'],
        ]
      : detail.condition === 'export-backlog'
      ? [
          [a.backlogEvents, detail.backlog.toLocaleString('en'), 'backlog'],
          [a.backlogOldest, detail.oldestAgeMs === null ? a.none : a.age(detail.oldestAgeMs), 'oldest'],
          [a.backlogThreshold, a.backlogThresholdText(a.age(detail.ageThresholdMs), detail.countThreshold), 'threshold'],
        ]
      : [
          [a.outboxFill, a.outboxFillText(detail.undelivered, detail.cap), 'fill'],
          [a.outboxHeld, detail.rows.toLocaleString('en'), 'held'],
          [a.outboxWarnAt, a.outboxWarnAtText(detail.warnRatio), 'warn-at'],
          [a.outboxDropped, detail.droppedTotal.toLocaleString('en'), 'dropped'],
        ];
  return (
    <div className="system-figures" data-testid={testId} data-condition={detail.condition}>
      <h3>{a.systemFigures}</h3>
      <dl className="system-figures__list">
        {rows.map(([label, value, key]) => (
          <div key={key} className="system-figures__row">
            <dt>{label}</dt>
            <dd data-testid={`${testId}-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{detail.condition === 'analysis-starved' ? a.systemHintStarved : detail.condition === 'external-alarm' ? a.systemHintExternal : detail.condition === 'recording-stopped' ? a.systemHintRecording : detail.condition === 'export-backlog' ? a.systemHintBacklog : a.systemHintOutbox}</p>
    </div>
  );
}
