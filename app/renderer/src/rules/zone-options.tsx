import type { ZoneRule } from '../../../shared/domain/rules';
import { t } from '../i18n/en';
import type { RulePatch } from './rule-draft';

/** Defaults when an admin switches an option on. */
const DEFAULT_LOITER_S = 60;
const DEFAULT_OVERCROWD = { maxOccupancy: 10, forSeconds: 30 };

/** A whole number typed into a field, or null while the field is empty or not a number at or above `min`. */
function numberIn(value: string, min: number): number | null {
  if (value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= min ? Math.round(n) : null;
}

/**
 * The alarm conditions of a zone, in words: anyone inside (intrusion), someone staying too long (loitering), too
 * many people for too long (maximum occupancy). Each is armed in Alarms like the zone itself; entries, exits and
 * how long each visit lasted (dwell) are always counted for reports.
 */
export function ZoneOptions({ rule, patch }: { rule: ZoneRule; patch: (p: RulePatch) => void }) {
  const w = t.rules.zoneOptions;
  const oc = rule.overcrowd;
  return (
    <fieldset className="field" data-testid="zone-options">
      <legend>{w.title}</legend>
      <label className="switch">
        <input type="checkbox" checked={rule.intrusion !== undefined} onChange={(e) => patch({ intrusion: e.target.checked ? {} : undefined })} data-testid="rule-intrusion" />
        <span>{w.intrusion}</span>
      </label>
      <label className="switch">
        <input type="checkbox" checked={rule.loiterSeconds !== undefined} onChange={(e) => patch({ loiterSeconds: e.target.checked ? DEFAULT_LOITER_S : undefined })} data-testid="rule-loiter" />
        <span>{w.loiter}</span>
      </label>
      {rule.loiterSeconds !== undefined && (
        <div className="field field--inline">
          <label htmlFor="rule-loiter-s">{w.loiterSeconds}</label>
          <input
            id="rule-loiter-s"
            type="number"
            min={1}
            step={1}
            defaultValue={rule.loiterSeconds}
            onChange={(e) => {
              const n = numberIn(e.target.value, 1);
              if (n !== null) patch({ loiterSeconds: n });
            }}
            data-testid="rule-loiter-seconds"
          />
        </div>
      )}
      <label className="switch">
        <input type="checkbox" checked={oc !== undefined} onChange={(e) => patch({ overcrowd: e.target.checked ? DEFAULT_OVERCROWD : undefined })} data-testid="rule-overcrowd" />
        <span>{w.overcrowd}</span>
      </label>
      {oc !== undefined && (
        <div className="form__row">
          <div className="field field--inline">
            <label htmlFor="rule-max-occupancy">{w.maxOccupancy}</label>
            <input
              id="rule-max-occupancy"
              type="number"
              min={0}
              step={1}
              defaultValue={oc.maxOccupancy}
              onChange={(e) => {
                const n = numberIn(e.target.value, 0);
                if (n !== null) patch({ overcrowd: { ...oc, maxOccupancy: n } });
              }}
              data-testid="rule-max-occupancy"
            />
          </div>
          <div className="field field--inline">
            <label htmlFor="rule-overcrowd-s">{w.forSeconds}</label>
            <input
              id="rule-overcrowd-s"
              type="number"
              min={0}
              step={1}
              defaultValue={oc.forSeconds}
              onChange={(e) => {
                const n = numberIn(e.target.value, 0);
                if (n !== null) patch({ overcrowd: { ...oc, forSeconds: n } });
              }}
              data-testid="rule-overcrowd-seconds"
            />
          </div>
        </div>
      )}
      <p className="field__hint">{w.dwell}</p>
    </fieldset>
  );
}
