import { useEffect, useState } from 'react';
import type { RetentionReport } from '../../../shared/domain/retention';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectRetention, selectRetentionError } from '../store/privacy/privacy.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { DAY_FIELDS, formFromPolicy, policyFromForm, type RetentionForm } from './retention-form';

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
const LABELS: Record<(typeof DAY_FIELDS)[number], string> = {
  eventsDays: t.privacy.retention.events,
  snapshotsDays: t.privacy.retention.snapshots,
  tracksDays: t.privacy.retention.tracks,
  reportsDays: t.privacy.retention.reports,
};

function LastRun({ report }: { report: RetentionReport }) {
  const r = report.removed;
  const tz = useRoot(selectTimeZone);
  return (
    <div className="retention__last" data-testid="retention-last-run" data-events={r.events} data-snapshots={r.snapshots}>
      <h3 className="small">{t.privacy.retention.lastRun}</h3>
      <p className="muted small">{t.privacy.retention.runBy(formatTime(report.at, tz), report.trigger, report.by)}</p>
      <p data-testid="retention-summary">{t.privacy.retention.summary(r.events, r.snapshots, mb(r.snapshotBytes), r.tracks, r.reports)}</p>
      {report.keptAmendedEvents > 0 && <p className="muted small">{t.privacy.retention.kept(report.keptAmendedEvents)}</p>}
      {report.diskPressure && report.diskPressure.snapshotsRemoved > 0 && <p className="small">{t.privacy.retention.pressure(report.diskPressure.snapshotsRemoved, mb(report.diskPressure.freeBytesAfter))}</p>}
      {report.errors.length > 0 && (
        <div className="banner banner--warn small" role="alert">
          {t.privacy.retention.errors}
          <ul>
            {report.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Settings → Retention: days per data type, the disk-pressure floor, the schedule, and the last run. */
export function RetentionSection() {
  const status = useRoot(selectRetention);
  const loadError = useRoot(selectRetentionError);
  const tz = useRoot(selectTimeZone);
  const { loadRetention, saveRetention, runRetention } = useActions();
  const [form, setForm] = useState<RetentionForm | null>(null);
  const [busy, setBusy] = useState<'save' | 'run' | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  useEffect(() => void loadRetention(), [loadRetention]);
  useEffect(() => {
    if (status && !form) setForm(formFromPolicy(status.policy));
  }, [status, form]);
  const policy = form ? policyFromForm(form) : null;
  const act = async (kind: 'save' | 'run', fn: () => Promise<unknown>, ok: string) => {
    setBusy(kind);
    setMessage(null);
    try {
      await fn();
      setMessage({ tone: 'ok', text: ok });
    } catch (e) {
      setMessage({ tone: 'bad', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };
  const set = (k: keyof RetentionForm, v: string) => setForm((f) => (f ? { ...f, [k]: v } : f));
  return (
    <section className="card" aria-labelledby="retention-title" data-testid="retention-section">
      <h2 id="retention-title">{t.privacy.retention.title}</h2>
      <p className="muted small">{t.privacy.retention.intro}</p>
      {loadError && <p className="banner banner--bad">{t.privacy.retention.loadFailed(loadError)}</p>}
      {form && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (policy) void act('save', () => saveRetention(policy), t.privacy.retention.saved);
          }}
        >
          <div className="retention__grid">
            {DAY_FIELDS.map((k) => (
              <div className="field" key={k}>
                <label htmlFor={`ret-${k}`}>{LABELS[k]}</label>
                <input id={`ret-${k}`} data-testid={`retention-${k}`} type="number" min={1} max={3650} step={1} value={form[k]} placeholder="∞" disabled={form[k] === ''} onChange={(e) => set(k, e.target.value)} />
                <label className="retention__forever">
                  <input type="checkbox" data-testid={`retention-${k}-forever`} checked={form[k] === ''} onChange={(e) => set(k, e.target.checked ? '' : String(status?.policy[k] ?? 30))} />
                  {t.privacy.retention.forever}
                </label>
              </div>
            ))}
            <div className="field">
              <label htmlFor="ret-minFreeMb">{t.privacy.retention.minFree}</label>
              <input id="ret-minFreeMb" data-testid="retention-minFreeMb" type="number" min={0} step={1} value={form.minFreeMb} onChange={(e) => set('minFreeMb', e.target.value)} aria-describedby="ret-minFreeMb-hint" />
              <p id="ret-minFreeMb-hint" className="field__hint">
                {t.privacy.retention.minFreeHint}
              </p>
            </div>
            <div className="field">
              <label htmlFor="ret-interval">{t.privacy.retention.interval}</label>
              <input id="ret-interval" data-testid="retention-intervalMinutes" type="number" min={5} max={1440} step={1} value={form.intervalMinutes} onChange={(e) => set('intervalMinutes', e.target.value)} />
            </div>
          </div>
          {!policy && <p className="field__error">{t.privacy.retention.invalid}</p>}
          <div className="row-actions" style={{ marginTop: 12 }}>
            <button type="submit" className="btn btn--primary" data-testid="retention-save" disabled={!policy || busy !== null}>
              {t.privacy.retention.save}
            </button>
            <button type="button" className="btn" data-testid="retention-run" disabled={busy !== null} onClick={() => void act('run', runRetention, t.privacy.retention.lastRun)}>
              {busy === 'run' ? t.privacy.retention.running : t.privacy.retention.runNow}
            </button>
            {status?.nextRunAt && <span className="muted small">{t.privacy.retention.nextRun(formatTime(status.nextRunAt, tz, 'time'))}</span>}
          </div>
          {message && (
            <p className={message.tone === 'ok' ? 'muted small' : 'field__error'} role="status" data-testid="retention-message">
              {message.text}
            </p>
          )}
        </form>
      )}
      {status && (status.lastRun ? <LastRun report={status.lastRun} /> : <p className="muted small">{t.privacy.retention.never}</p>)}
    </section>
  );
}
