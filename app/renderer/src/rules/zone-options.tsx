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

/** One labelled whole-number field of a zone option: reports each valid value, ignores a half-typed one. */
function NumberField(props: { id: string; label: string; min: number; value: number; onValue: (n: number) => void }) {
  return (
    <div className="field field--inline">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        min={props.min}
        step={1}
        defaultValue={props.value}
        onChange={(e) => {
          const n = numberIn(e.target.value, props.min);
          if (n !== null) props.onValue(n);
        }}
        data-testid={props.id}
      />
    </div>
  );
}

/**
 * The alarm conditions of a zone, in words: anyone inside (intrusion), someone staying too long (loitering), too
 * many people for too long (maximum occupancy). Each is armed in Alarms like the zone itself; entries, exits and
 * how long each visit lasted (dwell) are always counted; with dwell reporting on, the daily report shows the dwell
 * times of this zone.
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
        <NumberField id="rule-loiter-seconds" label={w.loiterSeconds} min={1} value={rule.loiterSeconds} onValue={(n) => patch({ loiterSeconds: n })} />
      )}
      <label className="switch">
        <input type="checkbox" checked={oc !== undefined} onChange={(e) => patch({ overcrowd: e.target.checked ? DEFAULT_OVERCROWD : undefined })} data-testid="rule-overcrowd" />
        <span>{w.overcrowd}</span>
      </label>
      {oc !== undefined && (
        <div className="form__row">
          <NumberField id="rule-max-occupancy" label={w.maxOccupancy} min={0} value={oc.maxOccupancy} onValue={(n) => patch({ overcrowd: { ...oc, maxOccupancy: n } })} />
          <NumberField id="rule-overcrowd-seconds" label={w.forSeconds} min={0} value={oc.forSeconds} onValue={(n) => patch({ overcrowd: { ...oc, forSeconds: n } })} />
        </div>
      )}
      <label className="switch">
        <input type="checkbox" checked={rule.dwellReport === true} onChange={(e) => patch({ dwellReport: e.target.checked ? true : undefined })} data-testid="rule-dwell-report" />
        <span>{w.dwellReport}</span>
      </label>
      <p className="field__hint">{w.dwell}</p>
    </fieldset>
  );
}
