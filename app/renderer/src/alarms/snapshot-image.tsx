import { useEffect, useState } from 'react';
import { useActions } from '../store/store';

/**
 * A snapshot (alarm or event) fetched through the API; retries briefly while the file is still being written.
 * `keepPrevious`: when the reference changes (a repeat folded into an alarm brings a newer snapshot) the previous
 * picture stays until the new one has arrived, so a busy alarm does not flicker (give it a `key` per alarm).
 */
export function SnapshotImage({ refPath, alt, empty, testId, keepPrevious = false }: { refPath: string | null; alt: string; empty: string; testId: string; keepPrevious?: boolean }) {
  const { loadSnapshot } = useActions();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!keepPrevious) setSrc(null);
    setFailed(false);
    if (!refPath) return;
    let stop = false;
    let tries = 0;
    const attempt = () => {
      loadSnapshot(refPath)
        .then((url) => {
          if (stop) return;
          if (url) setSrc(url);
          else if (++tries < 10) setTimeout(attempt, 500);
          else setFailed(true);
        })
        .catch(() => !stop && setFailed(true));
    };
    attempt();
    return () => {
      stop = true;
    };
  }, [refPath, loadSnapshot, keepPrevious]);
  if (!refPath || (failed && !(keepPrevious && src))) return <p className="muted" data-testid={`${testId}-none`}>{empty}</p>;
  if (!src) return <div className="snapshot snapshot--loading" data-testid={`${testId}-loading`} />;
  return <img className="snapshot" src={src} alt={alt} data-testid={testId} />;
}
