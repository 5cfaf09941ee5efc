import { t } from '../i18n/en';
import { useNow } from '../live/tile-hooks';
import { selectConnection, selectConnectionLost, selectDetection } from '../store/app/app.selectors';
import { useActions, useRoot } from '../store/store';

/** "Connection lost — reconnecting" while the link to the host is down. */
export function ConnectionBanner() {
  const lost = useRoot(selectConnectionLost);
  const conn = useRoot(selectConnection);
  const now = useNow(lost);
  if (conn.state === 'failed') {
    return (
      <div className="banner banner--bad" role="alert" data-testid="connection-banner">
        {conn.reason}
      </div>
    );
  }
  if (!lost) return null;
  const s = conn.state === 'reconnecting' ? Math.max(0, Math.ceil((conn.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner--bad" role="alert" data-testid="connection-banner">
      {t.connection.lostBanner(s)}
    </div>
  );
}

/** Drops a leading "Detection is off:" from the host's message (the banner already says it). */
export function withoutLead(message: string): string {
  return message.replace(/^\s*detection is off\s*[:.,—-]?\s*/i, '').replace(/^./, (c) => c.toUpperCase());
}

/** Says plainly that detection is off and how to add a model (the host's own message); or that the fallback runs. */
export function DetectionBanner() {
  const detection = useRoot(selectDetection);
  const { navigate } = useActions();
  if (detection?.state === 'on' && detection.fallback) {
    return (
      <div className="banner banner--warn" role="status" data-testid="detection-fallback-banner">
        <strong>{t.detection.fallbackTitle}</strong> <span className="banner__detail">{t.detection.fallbackHint(detection.modelId ?? '?')}</span>{' '}
        <a href="#/models" onClick={() => navigate('models')} data-testid="detection-fallback-link">
          {t.detection.fallbackLink}
        </a>
      </div>
    );
  }
  if (detection?.state !== 'off') return null;
  return (
    <div className="banner banner--warn" role="status" data-testid="detection-banner">
      <strong>{t.detection.offTitle}</strong> {t.detection.offHelp} <span className="banner__detail">{withoutLead(detection.message)}</span>{' '}
      <a href="#/models" onClick={() => navigate('models')} data-testid="detection-off-link">
        {t.detection.fallbackLink}
      </a>
    </div>
  );
}
