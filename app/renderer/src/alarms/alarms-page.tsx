import { useState } from 'react';
import type { AlarmOutcome, AlarmView } from '../../../shared/domain/alarms';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import {
  selectAlarmActionError,
  selectAlarmHistory,
  selectBulkClosing,
  selectChecked,
  selectClosedAlarms,
  selectClosing,
  selectFlood,
  selectOpenAlarms,
  selectRuleStats,
  selectSelectedAlarm,
  selectShowLower,
  selectTimeZone,
} from '../store/alarms/alarms.selectors';
import { visibleQueue } from '../store/alarms/alarms.reducers';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { alarmKind, alarmPlace, alarmRuleLabel, alarmTitle, cameraName, historyLines } from './alarm-text';
import { ArmingPanel } from './arming-panel';
import { BulkBar } from './bulk-bar';
import { ruleNameLookup, selectRulesByCamera } from './rule-names';
import { ShelvedList } from './shelved-list';
import { ShelveForm } from './shelve-form';
import { SnapshotImage } from './snapshot-image';
import { AlarmClip } from '../playback/playback-page';
import { selectCan } from '../store/auth/auth.selectors';
import { SystemAlarmFigures } from './system-alarm-figures';

const OUTCOMES: AlarmOutcome[] = ['true-alarm', 'false-alarm', 'test'];

function AlarmItem({ a, selected, onSelect, checkable }: { a: AlarmView; selected: boolean; onSelect(): void; checkable?: boolean }) {
  const cameras = useRoot(selectCameras);
  const tz = useRoot(selectTimeZone);
  const rulesByCamera = useRoot(selectRulesByCamera);
  const checked = useRoot((s) => s.alarms.checked.includes(a.id));
  const { checkAlarm } = useActions();
  const ruleNames = ruleNameLookup(rulesByCamera, a.cameraId);
  const title = alarmTitle(a, cameras, ruleNames);
  const ruleLabel = alarmRuleLabel(a, ruleNames);
  const extra = [
    t.alarms.triggers(a.triggerCount),
    a.triggerCount > 1 ? t.alarms.lastFired(formatTime(a.lastTriggerMs, tz, 'time')) : '',
    t.alarms.escalated(a.escalations),
    a.recoveredMs !== null ? t.alarms.recovered(formatTime(a.recoveredMs, tz, 'time')) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className={checkable ? 'alarm-row alarm-row--checkable' : 'alarm-row'}>
      {checkable && (
        <input type="checkbox" className="alarm-row__check" checked={checked} onChange={(e) => checkAlarm(a.id, e.target.checked)} aria-label={t.alarms.select(title)} data-testid="alarm-check" data-alarm-id={a.id} />
      )}
      <button
        type="button"
        className={`alarm-item alarm-item--p${a.priority} alarm-item--${a.status}${selected ? ' alarm-item--selected' : ''}`}
        aria-pressed={selected}
        onClick={onSelect}
        data-testid="alarm-item"
        data-alarm-id={a.id}
        data-status={a.status}
        data-priority={a.priority}
        data-type={a.type}
        data-kind={a.kind}
        data-camera-id={a.cameraId ?? ''}
        data-subject={a.subject ?? ''}
        data-recovered={a.recoveredMs !== null ? 'true' : 'false'}
        data-triggers={a.triggerCount}
        data-rule-id={a.ruleId ?? ''}
      >
        <span className="alarm-item__prio">{t.alarms.priority(a.priority)}</span>
        <span className="alarm-item__main">
          <strong data-testid="alarm-item-title">
            {alarmKind(a)} · <span data-testid="alarm-item-place">{alarmPlace(a, cameras)}</span>
            {ruleLabel ? ` · ${ruleLabel}` : ''}
          </strong>
          <span className="alarm-item__meta">
            {formatTime(a.openedMs, tz)} {extra && `· ${extra}`}
          </span>
        </span>
        <span className={`badge alarm-status alarm-status--${a.status}`}>{t.alarms.status[a.status]}</span>
      </button>
    </li>
  );
}

/** Outcome and comment for closing the selected alarm, or (`count`) every ticked one. */
function CloseDialog({ alarm, count }: { alarm?: AlarmView; count?: number }) {
  const { closeAlarm, setClosing, closeChecked, setBulkClosing } = useActions();
  const cancel = () => (count ? setBulkClosing(false) : setClosing(false));
  const [outcome, setOutcome] = useState<AlarmOutcome | ''>('');
  const [comment, setComment] = useState('');
  return (
    <form
      className="close-dialog"
      role="dialog"
      aria-labelledby="close-title"
      data-testid="close-dialog"
      onSubmit={(e) => {
        e.preventDefault();
        if (count) void closeChecked(outcome || null, comment.trim() || undefined);
        else if (alarm) void closeAlarm(alarm.id, outcome || null, comment.trim() || undefined);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <h3 id="close-title">{count ? t.alarms.closeSelectedTitle(count) : t.alarms.closeTitle}</h3>
      <fieldset className="outcomes">
        <legend>{t.alarms.outcome}</legend>
        {OUTCOMES.map((o, i) => (
          <label key={o} className="switch">
            <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} data-testid={`outcome-${o}`} autoFocus={i === 0} />
            <span>{t.alarms.outcomes[o]}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t.alarms.comment}</span>
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={1000} data-testid="close-comment" />
      </label>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" data-testid="confirm-close">
          {t.alarms.confirmClose}
        </button>
        <button type="button" className="btn" onClick={cancel}>
          {t.alarms.cancel}
        </button>
      </div>
    </form>
  );
}

function AlarmDetail({ alarm }: { alarm: AlarmView }) {
  // An alarm from another system may name a camera to show.
  const liveCamera = alarm.cameraId ?? (alarm.detail?.condition === 'external-alarm' ? alarm.detail.cameraId : null);
  const { acknowledgeAlarm, holdAlarm, resumeAlarm, setClosing, selectCamera, navigate } = useActions();
  const cameras = useRoot(selectCameras);
  const history = useRoot(selectAlarmHistory);
  const closing = useRoot(selectClosing);
  const tz = useRoot(selectTimeZone);
  const rulesByCamera = useRoot(selectRulesByCamera);
  const shelved = useRoot((s) => s.alarms.shelves.some((x) => x.cameraId === alarm.cameraId && x.ruleId === alarm.ruleId));
  const [shelving, setShelving] = useState(false);
  const ruleNames = ruleNameLookup(rulesByCamera, alarm.cameraId);
  const canPlayBack = useRoot(selectCan('evidence:play'));
  return (
    <section className="side-card alarm-detail" aria-labelledby="alarm-detail-title" data-testid="alarm-detail" data-alarm-id={alarm.id} data-status={alarm.status} data-kind={alarm.kind}>
      <h2 id="alarm-detail-title" data-testid="alarm-detail-title">
        {t.alarms.priority(alarm.priority)} · {alarmTitle(alarm, cameras, ruleNames)}
      </h2>
      <p className="muted small">
        <span className={`badge alarm-status alarm-status--${alarm.status}`} data-testid="alarm-detail-status">
          {t.alarms.status[alarm.status]}
        </span>{' '}
        {formatTime(alarm.openedMs, tz)}
        {alarm.triggerCount > 1 && ` · ${t.alarms.triggers(alarm.triggerCount)} · ${t.alarms.lastFired(formatTime(alarm.lastTriggerMs, tz, 'time'))}`}
        {alarm.status === 'closed' && <> · {t.alarms.outcomes[alarm.outcome]}{alarm.comment ? ` — ${alarm.comment}` : ''}</>}
      </p>
      {alarm.kind === 'system' ? (
        <SystemAlarmFigures detail={alarm.detail} />
      ) : (
        <>
          {canPlayBack && <AlarmClip key={alarm.id} cameraId={alarm.cameraId} openedMs={alarm.openedMs} />}
          <SnapshotImage key={alarm.id} keepPrevious refPath={alarm.snapshot} alt={t.alarms.snapshot} empty={t.alarms.noSnapshot} testId="alarm-snapshot" />
        </>
      )}
      <div className="row-actions">
        {alarm.status === 'new' && (
          <button type="button" className="btn btn--primary" onClick={() => void acknowledgeAlarm(alarm.id)} data-testid="alarm-acknowledge">
            {t.alarms.acknowledge}
          </button>
        )}
        {alarm.status === 'acknowledged' && (
          <button type="button" className="btn" onClick={() => void holdAlarm(alarm.id)} data-testid="alarm-hold">
            {t.alarms.hold}
          </button>
        )}
        {alarm.status === 'on-hold' && (
          <button type="button" className="btn" onClick={() => void resumeAlarm(alarm.id)} data-testid="alarm-resume">
            {t.alarms.resume}
          </button>
        )}
        {(alarm.status === 'acknowledged' || alarm.status === 'on-hold') && (
          <button type="button" className="btn btn--danger-outline" onClick={() => setClosing(true)} data-testid="alarm-close">
            {t.alarms.close}
          </button>
        )}
        {alarm.kind === 'rule' && alarm.status !== 'closed' && !shelved && (
          <button type="button" className="btn" onClick={() => setShelving(true)} data-testid="alarm-shelve">
            {t.alarms.shelve}
          </button>
        )}
        {liveCamera !== null && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              selectCamera(liveCamera);
              navigate('live');
            }}
            data-testid="alarm-show-live"
          >
            {t.alarms.showLive}
          </button>
        )}
      </div>
      {closing && alarm.status !== 'closed' && <CloseDialog alarm={alarm} />}
      {shelving && alarm.kind === 'rule' && (
        <ShelveForm cameraId={alarm.cameraId} ruleId={alarm.ruleId} ruleLabel={alarmRuleLabel({ ...alarm, direction: null }, ruleNames) ?? alarm.ruleId} onDone={() => setShelving(false)} />
      )}
      <h3>{t.alarms.history}</h3>
      <ol className="history" data-testid="alarm-history">
        {historyLines(history).map(({ entry: h, count, lastAtMs }) => (
          <li key={h.seq} data-testid="alarm-history-entry" data-action={h.action} data-by={h.by} data-at={h.at} data-count={count}>
            <strong>
              {t.alarms.actions[h.action]}
              {count > 1 ? ` ×${count}` : ''}
            </strong>{' '}
            — {h.by} · {formatTime(h.atMs, tz)}
            {count > 1 ? ` – ${formatTime(lastAtMs, tz, 'time')}` : ''}
            {h.outcome ? ` · ${t.alarms.outcomes[h.outcome]}` : ''}
            {h.comment ? ` · “${h.comment}”` : ''}
            <span className="muted small"> {t.alarms.priority(h.priority)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function RuleStats() {
  const stats = useRoot(selectRuleStats);
  const cameras = useRoot(selectCameras);
  const rulesByCamera = useRoot(selectRulesByCamera);
  return (
    <section className="side-card" aria-labelledby="stats-title">
      <h2 id="stats-title">{t.alarms.statsTitle}</h2>
      {stats.length === 0 ? (
        <p className="muted">{t.alarms.statsEmpty}</p>
      ) : (
        <table className="table" data-testid="rule-stats">
          <thead>
            <tr>
              <th scope="col">{t.alarms.colCamera}</th>
              <th scope="col">{t.alarms.colRule}</th>
              <th scope="col" className="num">{t.alarms.colClosed}</th>
              <th scope="col" className="num">{t.alarms.colFalse}</th>
              <th scope="col" className="num">{t.alarms.colRate}</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr key={`${s.cameraId}/${s.ruleId}`} data-testid="rule-stat" data-rule-id={s.ruleId} data-camera-id={s.cameraId}>
                <td>{cameraName(cameras, s.cameraId)}</td>
                <td>{ruleNameLookup(rulesByCamera, s.cameraId)(s.ruleId) ?? s.ruleId}</td>
                <td className="num">{s.closed}</td>
                <td className="num">{s.falseAlarms}</td>
                <td className="num" data-testid="rule-stat-rate">
                  {t.alarms.rate(s.falseAlarmRate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The officer's alarm queue: open alarms by priority, the selected one's snapshot, actions and history. */
export function AlarmsPage() {
  const open = useRoot(selectOpenAlarms);
  const closed = useRoot(selectClosedAlarms);
  const selected = useRoot(selectSelectedAlarm);
  const error = useRoot(selectAlarmActionError);
  const flood = useRoot(selectFlood);
  const showLower = useRoot(selectShowLower);
  const bulkClosing = useRoot(selectBulkClosing);
  const checked = useRoot(selectChecked);
  const { selectAlarm, openAlarmMonitor, setShowLower } = useActions();
  const { shown, folded } = visibleQueue(open, flood?.active ?? false, showLower);
  return (
    <section className="page page--alarms" aria-labelledby="alarms-title" data-testid="alarms-page">
      <div className="toolbar">
        <h1 id="alarms-title" className="page__title">{t.alarms.title}</h1>
        <div className="toolbar__group">
          <button type="button" className="btn" onClick={openAlarmMonitor} data-testid="open-monitor">
            {t.alarms.openMonitor}
          </button>
        </div>
      </div>
      {error && (
        <p className="banner banner--bad" role="alert" data-testid="alarm-error">
          {error}
        </p>
      )}
      {flood?.active && (
        <p className="banner banner--bad" role="status" data-testid="flood-banner">
          {t.alarms.floodBanner}
        </p>
      )}
      <div className="alarms-layout">
        <div className="alarms-layout__queue">
          <h2 className="section-title">{t.alarms.queue}</h2>
          {open.length === 0 ? (
            <p className="empty" data-testid="alarms-empty">{t.alarms.empty}</p>
          ) : (
            <>
              <BulkBar shown={shown} />
              {bulkClosing && checked.length > 0 && <CloseDialog count={checked.length} />}
              <ul className="alarm-list" data-testid="alarm-queue">
                {shown.map((a) => (
                  <AlarmItem key={a.id} a={a} selected={selected?.id === a.id} onSelect={() => void selectAlarm(a.id)} checkable />
                ))}
              </ul>
              {(folded > 0 || (flood?.active && showLower)) && (
                <button type="button" className="btn btn--small" onClick={() => setShowLower(!showLower)} data-testid="toggle-lower" data-folded={folded}>
                  {folded > 0 ? t.alarms.showLower(folded) : t.alarms.hideLower}
                </button>
              )}
            </>
          )}
          <h2 className="section-title">{t.alarms.closedTitle}</h2>
          {closed.length === 0 ? (
            <p className="muted">{t.alarms.noneClosed}</p>
          ) : (
            <ul className="alarm-list" data-testid="alarm-closed">
              {closed.map((a) => (
                <AlarmItem key={a.id} a={a} selected={selected?.id === a.id} onSelect={() => void selectAlarm(a.id)} />
              ))}
            </ul>
          )}
        </div>
        <div className="alarms-layout__side">
          {selected ? <AlarmDetail alarm={selected} /> : <p className="empty">{t.alarms.selectHint}</p>}
          <ShelvedList />
          <RuleStats />
          <ArmingPanel />
        </div>
      </div>
    </section>
  );
}
