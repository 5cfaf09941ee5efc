import { useEffect, useRef, useState } from 'react';
import { useActions } from '../store/store';

/**
 * A snapshot (alarm or event) fetched through the API; retries briefly while the file is still being written.
 * `keepPrevious`: when the reference changes (a repeat folded into an alarm brings a newer snapshot) the previous
 * picture stays until a newer one has arrived, and a load still under way is not abandoned, so an alarm that keeps
 * firing shows its latest picture that exists instead of flickering or staying blank (give it a `key` per alarm).
 */
export function SnapshotImage({ refPath, alt, empty, testId, keepPrevious = false }: { refPath: string | null; alt: string; empty: string; testId: string; keepPrevious?: boolean }) {
  const { loadSnapshot } = useActions();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  /** Order of the references asked for, and of the one shown (an older answer never replaces a newer picture). */
  const asked = useRef(0);
  const shown = useRef(0);
  useEffect(() => {
    if (!keepPrevious) setSrc(null);
    setFailed(false);
    if (!refPath) return;
    const seq = ++asked.current;
    let stop = false;
    let tries = 0;
    const attempt = () => {
      loadSnapshot(refPath)
        .then((url) => {
          if (stop || seq < shown.current) return;
          if (url) {
            shown.current = seq;
            setSrc(url);
          } else if (++tries < 10) setTimeout(attempt, 500);
          else if (seq === asked.current) setFailed(true);
        })
        .catch(() => !stop && seq === asked.current && setFailed(true));
    };
    attempt();
    return () => {
      // Without keepPrevious a newer reference abandons this one; with it, this load may still show its picture.
      if (!keepPrevious) stop = true;
    };
  }, [refPath, loadSnapshot, keepPrevious]);
  if (!refPath || (failed && !(keepPrevious && src))) return <p className="muted" data-testid={`${testId}-none`}>{empty}</p>;
  if (!src) return <div className="snapshot snapshot--loading" data-testid={`${testId}-loading`} />;
  return <img className="snapshot" src={src} alt={alt} data-testid={testId} />;
}
