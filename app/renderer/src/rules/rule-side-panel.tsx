import type { Dispatch } from 'react';
import type { Rule } from '../../../shared/domain/rules';
import type { RuleCounter } from '../../../shared/ipc/rules.contract';
import { t } from '../i18n/en';
import { ruleColour } from './paint-rules';
import { RULE_CLASSES } from './rule-draft';
import type { EditorEvent } from './rule-editor.reducer';
import { ZoneOptions } from './zone-options';

/** `#rgb` -> `#rrggbb` (the colour input only takes the long form). */
const longHex = (c: string): string => (c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c);

function counterText(rule: Rule, c: RuleCounter | undefined): string {
  if (!c) return t.rules.noCounters;
  return rule.type === 'line' ? t.rules.lineCounters(c.in ?? 0, c.out ?? 0) : t.rules.zoneCounters(c.occupancy ?? 0, c.enter ?? 0, c.exit ?? 0, c.maxOccupancy ?? 0);
}

/** The rule list with live counters; clicking an entry selects the rule. */
export function RuleList({ rules, counters, selectedId, dispatch }: { rules: readonly Rule[]; counters: Record<string, RuleCounter>; selectedId: string | null; dispatch: Dispatch<EditorEvent> }) {
  return (
    <section className="side-card" aria-labelledby="rule-list-title">
      <h2 id="rule-list-title">
        {t.rules.list} · {t.rules.counters}
      </h2>
      {rules.length === 0 ? (
        <p className="muted small">{t.rules.none}</p>
      ) : (
        <ul className="rule-list" data-testid="rule-list">
          {rules.map((r) => (
            <li key={r.id}>
              <button type="button" className={`rule-list__item${r.id === selectedId ? ' rule-list__item--selected' : ''}`} data-testid="rule-item" data-rule-id={r.id} aria-pressed={r.id === selectedId} onClick={() => dispatch({ type: 'select', ruleId: r.id })}>
                <span className="rule-list__swatch" style={{ background: ruleColour(r) }} aria-hidden="true" />
                <span>
                  {r.name || r.id} <span className="muted small">({r.type === 'line' ? t.rules.kindLine : t.rules.kindZone})</span>
                </span>
                <span className="rule-list__count" data-testid="rule-counter">
                  {counterText(r, counters[r.id])}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Properties of the selected rule: name, colour, classes, anchor, enabled, flip, delete. */
export function RuleProperties({ rule, dispatch }: { rule: Rule; dispatch: Dispatch<EditorEvent> }) {
  const patch = (p: Extract<EditorEvent, { type: 'update-rule' }>['patch']) => dispatch({ type: 'update-rule', ruleId: rule.id, patch: p });
  const classes = new Set(rule.classes);
  const extra = rule.classes.filter((c) => !(RULE_CLASSES as readonly string[]).includes(c));
  return (
    <section className="side-card" aria-labelledby="rule-props-title" data-testid="rule-properties">
      <h2 id="rule-props-title">
        {rule.type === 'line' ? t.rules.line : t.rules.zone} <span className="mono muted">{rule.id}</span>
      </h2>
      <div className="field">
        <label htmlFor="rule-name">{t.rules.name}</label>
        <input id="rule-name" data-testid="rule-name" value={rule.name ?? ''} maxLength={120} onChange={(e) => patch({ name: e.target.value })} />
      </div>
      <div className="form__row">
        <div className="field">
          <label htmlFor="rule-colour">{t.rules.colour}</label>
          <input id="rule-colour" type="color" value={longHex(ruleColour(rule))} onChange={(e) => patch({ colour: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="rule-anchor">{t.rules.anchor}</label>
          <select id="rule-anchor" value={rule.anchor} onChange={(e) => patch({ anchor: e.target.value === 'center' ? 'center' : 'bottom-center' })}>
            <option value="bottom-center">{t.rules.anchorBottom}</option>
            <option value="center">{t.rules.anchorCenter}</option>
          </select>
        </div>
      </div>
      <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, marginBottom: 4 }}>{t.rules.classes}</legend>
        <div className="chips">
          {[...RULE_CLASSES, ...extra].map((c) => (
            <label key={c} className="switch small">
              <input
                type="checkbox"
                checked={classes.has(c)}
                onChange={() => {
                  const next = classes.has(c) ? rule.classes.filter((x) => x !== c) : [...rule.classes, c];
                  patch({ classes: next });
                }}
              />
              <span>{c}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="switch">
        <input type="checkbox" checked={rule.enabled} onChange={(e) => patch({ enabled: e.target.checked })} data-testid="rule-enabled" />
        <span>{t.rules.enabled}</span>
      </label>
      {rule.type === 'zone' && <ZoneOptions key={rule.id} rule={rule} patch={patch} />}
      <div className="row-actions">
        {rule.type === 'line' && (
          <button type="button" className="btn" data-testid="rule-flip" onClick={() => dispatch({ type: 'flip', ruleId: rule.id })}>
            {t.rules.flip}
          </button>
        )}
        <button type="button" className="btn btn--danger-outline" data-testid="rule-delete" onClick={() => dispatch({ type: 'delete-rule', ruleId: rule.id })}>
          {t.rules.delete}
        </button>
      </div>
    </section>
  );
}
