import { useEffect, useState } from 'react';
import type { ExportSinkView } from '../../../shared/domain/export';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectExport } from '../store/export/export.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { DeadLetterPanel } from './dead-letter-panel';
import { SinkFormCard } from './sink-form';

/** Status poll while the page is open, ms. */
const POLL_MS = 2000;

/** Admin page: export sinks (HTTPS, MQTT, PostgreSQL) with their backlog, breaker, errors, dead letters and replay. */
export function ExportPage() {
  const ex = useRoot(selectExport);
  const { loadExport, editSink } = useActions();
  useEffect(() => {
    void loadExport();
    const timer = setInterval(() => void loadExport(), POLL_MS);
    return () => clearInterval(timer);
  }, [loadExport]);
  const editing = ex.editing === 'new' ? undefined : ex.sinks?.find((s) => s.id === ex.editing);
  return (
    <section className="page" aria-labelledby="export-title" data-testid="export-page">
      <div className="toolbar">
        <h1 id="export-title" className="page__title">{t.exportPage.title}</h1>
        {ex.outbox && (
          <p className="toolbar__meta muted" data-testid="export-outbox">
            {t.exportPage.outbox(ex.outbox.rows, ex.outbox.cap)}
            {t.exportPage.outboxUndelivered(ex.outbox.undelivered)}
            {ex.outbox.droppedTotal > 0 && t.exportPage.outboxDropped(ex.outbox.droppedTotal)}
          </p>
        )}
        <button className="btn btn--primary" data-testid="export-add" onClick={() => editSink('new')} disabled={ex.editing !== null}>
          {t.exportPage.add}
        </button>
      </div>
      <p className="muted">{t.exportPage.intro}</p>
      {ex.loadError && <p className="banner banner--bad" role="alert">{ex.loadError}</p>}
      {ex.editing !== null && <SinkFormCard key={ex.editing} view={editing} />}
      {ex.sinks && ex.sinks.length === 0 && ex.editing === null && <p className="empty">{t.exportPage.empty}</p>}
      {ex.sinks && ex.sinks.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="export-table">
            <thead>
              <tr>
                <th scope="col">{t.exportPage.colSink}</th>
                <th scope="col">{t.exportPage.colTarget}</th>
                <th scope="col">{t.exportPage.colState}</th>
                <th scope="col" className="num">{t.exportPage.colBacklog}</th>
                <th scope="col" className="num">{t.exportPage.colRate}</th>
                <th scope="col">{t.exportPage.colDead}</th>
                <th scope="col">{t.exportPage.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {ex.sinks.map((s) => (
                <SinkRow key={s.id} sink={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ex.deadLetters && <DeadLetterPanel />}
    </section>
  );
}

function targetText(s: ExportSinkView): string {
  const tg = s.target;
  if (tg.kind === 'postgres') return `${tg.user}@${tg.host}:${tg.port}/${tg.database} (${tg.schema})`;
  return tg.url;
}

function SinkRow({ sink: s }: { sink: ExportSinkView }) {
  const ex = useRoot(selectExport);
  const tz = useRoot(selectTimeZone);
  const { editSink, testSink, setSinkEnabled, removeSink, showDeadLetters, replaySink } = useActions();
  const [confirming, setConfirming] = useState(false);
  const [replayFrom, setReplayFrom] = useState('');
  const st = s.status;
  const test = ex.tests[s.id];
  const tone = !s.enabled ? 'idle' : st.lastErrorKind === 'config' || st.dropped > 0 ? 'bad' : st.lastError || st.alarm ? 'warn' : 'ok';
  const label = !s.enabled ? t.exportPage.paused : st.lastErrorKind === 'config' ? t.exportPage.configProblem : st.lastError ? t.exportPage.failing : st.breaker === 'closed' && st.backlog === 0 ? t.exportPage.upToDate : (t.exportPage.breaker[st.breaker] ?? st.breaker);
  return (
    <tr data-testid="export-row" data-sink-id={s.id} data-breaker={st.breaker}>
      <th scope="row">
        {s.name}
        <span className="muted small"> {t.exportPage.kind[s.target.kind]} · {s.site}</span>
      </th>
      <td className="wrap mono small">{targetText(s)}</td>
      <td>
        <span className="state-cell">
          <span className={`badge badge--${tone}`} data-testid="export-state">{label}</span>
          {st.lastError && <span className="state-cell__detail" data-testid="export-error">{st.lastError}</span>}
          {st.nextAttemptAt && s.enabled && <span className="state-cell__detail">{t.exportPage.nextAttempt(formatTime(st.nextAttemptAt, tz, 'time'))}</span>}
          {test && <span className={`state-cell__detail ${test !== 'running' && !test.ok ? 'field__error' : ''}`} data-testid="export-test-result">{test === 'running' ? t.exportPage.testing : test.message}</span>}
          {ex.notices[s.id] && <span className="state-cell__detail">{ex.notices[s.id]}</span>}
        </span>
      </td>
      <td className="num" data-testid="export-backlog">
        {t.exportPage.backlog(st.backlog, st.oldestAgeMs !== null ? t.exportPage.age(st.oldestAgeMs) : null)}
        {st.alarm && (
          <>
            <br />
            <span className="badge badge--warn">{t.exportPage.alarm}</span>
          </>
        )}
      </td>
      <td className="num">{t.exportPage.rate(st.delivered, st.ratePerSec)}</td>
      <td>
        {st.deadLetters > 0 ? (
          <button className="btn" data-testid="export-dead" onClick={() => void showDeadLetters(s.id)}>
            {t.exportPage.showDead(st.deadLetters)}
          </button>
        ) : (
          <span className="muted">0</span>
        )}
      </td>
      <td>
        <div className="row-actions">
          <button className="btn" onClick={() => editSink(s.id)}>{t.exportPage.edit}</button>
          <button className="btn" data-testid="export-test" disabled={test === 'running'} onClick={() => void testSink(s.id)}>{t.exportPage.test}</button>
          <button className="btn" onClick={() => void setSinkEnabled(s.id, !s.enabled)}>{s.enabled ? t.exportPage.pause : t.exportPage.resume}</button>
          {confirming ? (
            <span className="confirm">
              {t.exportPage.confirmRemove}
              <button className="btn btn--danger" onClick={() => void removeSink(s.id)}>{t.exportPage.remove}</button>
              <button className="btn" onClick={() => setConfirming(false)}>{t.exportPage.cancel}</button>
            </span>
          ) : (
            <button className="btn btn--danger-outline" onClick={() => setConfirming(true)}>{t.exportPage.remove}</button>
          )}
        </div>
        <div className="row-actions" style={{ marginTop: 6 }}>
          <label className="small muted" htmlFor={`replay-${s.id}`}>{t.exportPage.replay}</label>
          <input id={`replay-${s.id}`} type="datetime-local" value={replayFrom} onChange={(e) => setReplayFrom(e.target.value)} />
          <button className="btn" disabled={!replayFrom} onClick={() => void replaySink(s.id, new Date(replayFrom).getTime())}>{t.exportPage.replayGo}</button>
        </div>
      </td>
    </tr>
  );
}
