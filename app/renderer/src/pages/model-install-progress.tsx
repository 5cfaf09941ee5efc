import type { ModelInstallProgress } from '../../../shared/ipc/models.contract';
import { t } from '../i18n/en';

const mb = (n: number) => (n / 1048576).toFixed(1);

/** A model install under way or ended (fetched or imported): a progress bar, then the outcome in words. */
export function ModelInstallProgressView(props: { progress: ModelInstallProgress; testId: string; running: (pct: number | null, mb: string) => string }) {
  const { progress } = props;
  const pct = progress.total ? Math.min(100, Math.round((progress.received / progress.total) * 100)) : null;
  return (
    <div data-testid={props.testId} data-state={progress.state}>
      {progress.state === 'running' && (
        <>
          <progress style={{ width: '100%' }} max={100} value={pct ?? undefined} aria-label={props.running(pct, mb(progress.received))} />
          <p className="muted small">{props.running(pct, mb(progress.received))}</p>
        </>
      )}
      {progress.state === 'checking' && (
        <>
          <progress style={{ width: '100%' }} max={100} value={100} aria-label={t.models.fetch.checking} />
          <p className="muted small">{t.models.fetch.checking}</p>
        </>
      )}
      {progress.state === 'done' && (
        <p className="banner banner--ok" role="status">
          {progress.modelId === 'face-detector' ? t.models.fetch.doneFace : t.models.fetch.done(progress.modelId ?? '')}
        </p>
      )}
      {progress.state === 'failed' && (
        <p className="banner banner--bad" role="alert">
          {t.models.fetch.failed(progress.message ?? '')}
        </p>
      )}
    </div>
  );
}
