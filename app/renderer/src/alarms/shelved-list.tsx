import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectShelves, selectTimeZone } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { cameraName } from './alarm-text';
import { ruleNameLookup, selectRulesByCamera } from './rule-names';

/** Rules shelved now: camera, rule name, until when, who and why, firings held back; Unshelve ends one at once. */
export function ShelvedList() {
  const shelves = useRoot(selectShelves);
  const cameras = useRoot(selectCameras);
  const tz = useRoot(selectTimeZone);
  const rulesByCamera = useRoot(selectRulesByCamera);
  const { unshelveRule } = useActions();
  return (
    <section className="side-card" aria-labelledby="shelved-title" data-testid="shelved-list" data-count={shelves.length}>
      <h2 id="shelved-title">{t.alarms.shelvedTitle}</h2>
      {shelves.length === 0 ? (
        <p className="muted">{t.alarms.shelvedEmpty}</p>
      ) : (
        <ul className="shelf-list">
          {shelves.map((s) => (
            <li key={s.id} className="shelf" data-testid="shelf" data-rule-id={s.ruleId} data-camera-id={s.cameraId} data-held-back={s.heldBack}>
              <span className="shelf__main">
                <strong>{s.ruleName || ruleNameLookup(rulesByCamera, s.cameraId)(s.ruleId) || s.ruleId}</strong> · {cameraName(cameras, s.cameraId)} · {t.alarms.shelvedUntil(formatTime(s.untilMs, tz, 'time'))}
                <span className="muted small">
                  {' '}
                  {t.alarms.shelvedBy(s.shelvedBy, s.reason)}
                  {s.heldBack ? ` · ${t.alarms.heldBack(s.heldBack)}` : ''}
                </span>
              </span>
              <button type="button" className="btn btn--small" onClick={() => void unshelveRule(s.cameraId, s.ruleId)} data-testid="unshelve">
                {t.alarms.unshelve}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
