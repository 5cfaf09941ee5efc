import { useEffect, useRef, useState } from 'react';
import { RuleSchema, type Rule } from '../../../shared/domain/rules';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { dryRunSummary, LatestOnly, type DryRunResult } from './dry-run-text';

type View =
  | { type: 'idle' }
  | { type: 'running' }
  | { type: 'invalid'; message: string }
  | { type: 'done'; result: DryRunResult }
  | { type: 'failed'; message: string };

const DEBOUNCE_MS = 500;

/**
 * Beside the selected rule: what it would have counted over the camera's stored tracks of the last 24 hours
 * (the rule as edited, before it is saved) and the count-quality warnings for it. Re-run after each edit
 * (debounced); answers to older edits are dropped.
 */
export function RuleDryRun({ cameraId, rule }: { cameraId: string; rule: Rule }) {
  const tz = useRoot(selectTimeZone);
  const { dryRunRule } = useActions();
  const [view, setView] = useState<View>({ type: 'idle' });
  const latest = useRef(new LatestOnly());
  const key = JSON.stringify(rule);

  useEffect(() => {
    const ticket = latest.current.next();
    const parsed = RuleSchema.safeParse(rule);
    if (!parsed.success) {
      setView({ type: 'invalid', message: parsed.error.issues.map((i) => i.message).join('; ') });
      return;
    }
    setView({ type: 'running' });
    const timer = setTimeout(() => {
      dryRunRule(cameraId, parsed.data).then(
        (result) => latest.current.isCurrent(ticket) && setView({ type: 'done', result }),
        (e: unknown) => latest.current.isCurrent(ticket) && setView({ type: 'failed', message: errorMessage(e) }),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `key` stands for the rule's content: re-run when the rule changes, not when its object identity does.
  }, [cameraId, key, dryRunRule]);

  return (
    <section className="side-card" aria-labelledby="dry-run-title" data-testid="rule-dry-run">
      <h2 id="dry-run-title">{t.rules.dryRunTitle}</h2>
      {view.type === 'running' && <p className="muted small">{t.rules.dryRunRunning}</p>}
      {view.type === 'invalid' && (
        <p className="small" role="alert">
          {t.rules.dryRunInvalid} {view.message}
        </p>
      )}
      {view.type === 'failed' && (
        <p className="small" role="alert">
          {t.rules.dryRunFailed(view.message)}
        </p>
      )}
      {view.type === 'done' && (
        <>
          <p data-testid="dry-run-result">{dryRunSummary(rule, view.result, (ms) => formatTime(ms, tz, 'weekday'))}</p>
          <h3 className="small">{t.rules.qualityTitle}</h3>
          {view.result.warnings.length === 0 ? (
            <p className="muted small" data-testid="quality-ok">
              {t.rules.qualityOk}
            </p>
          ) : (
            <ul className="quality-warnings" data-testid="quality-warnings">
              {view.result.warnings.map((w) => (
                <li key={w.code} className={`quality-warning quality-warning--${w.severity}`} data-code={w.code}>
                  {w.severity === 'warning' ? '⚠ ' : 'ℹ '}
                  {w.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
