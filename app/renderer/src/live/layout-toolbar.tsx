import { useEffect, useState } from 'react';
import { t } from '../i18n/en';
import { selectLayoutBody, selectLayoutError, selectLayoutName, selectSavedLayouts } from '../store/layouts/layouts.selectors';
import { useActions, useRoot } from '../store/store';
import { PRESETS } from './layout-grid';

/** Grid presets, the saved layouts of this user, and saving the layout on screen under a name. */
export function LayoutToolbar() {
  const body = useRoot(selectLayoutBody);
  const name = useRoot(selectLayoutName);
  const saved = useRoot(selectSavedLayouts);
  const error = useRoot(selectLayoutError);
  const { applyPreset, saveLayout, switchLayout } = useActions();
  const [draft, setDraft] = useState(name ?? '');
  useEffect(() => setDraft(name ?? ''), [name]);
  const current = saved.find((l) => l.name === name);
  return (
    <div className="toolbar__group layout-toolbar" role="group" aria-label={t.layouts.grid}>
      <div className="seg" role="group" aria-label={t.layouts.grid}>
        {PRESETS.map((p, i) => (
          <button key={p} type="button" className="btn btn--small" aria-pressed={body?.grid === p} onClick={() => applyPreset(p)} data-testid={`layout-preset-${p}`} title={`${t.layouts.preset[p]} (${i + 1})`}>
            {t.layouts.preset[p]}
          </button>
        ))}
      </div>
      {saved.length > 0 && (
        <select aria-label={t.layouts.saved} value={current?.id ?? ''} onChange={(e) => e.target.value && void switchLayout(e.target.value)} data-testid="layout-select">
          <option value="">{t.layouts.saved}</option>
          {saved.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      )}
      <form
        className="layout-save"
        onSubmit={(e) => {
          e.preventDefault();
          void saveLayout(draft);
        }}
      >
        <input aria-label={t.layouts.name} placeholder={t.layouts.name} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={80} data-testid="layout-name" />
        <button type="submit" className="btn btn--small" data-testid="layout-save">
          {t.layouts.save}
        </button>
      </form>
      {error && (
        <span className="field__error" role="alert" data-testid="layout-error">
          {error}
        </span>
      )}
    </div>
  );
}
