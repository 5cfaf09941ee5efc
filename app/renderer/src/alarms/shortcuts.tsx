import { useEffect, useRef, useState } from 'react';
import { t } from '../i18n/en';
import { PRESETS } from '../live/layout-grid';
import type { RendererStore } from '../store/store';
import { StoreContext } from '../store/store';
import { useContext } from 'react';

const typing = (el: EventTarget | null): boolean => {
  const e = el as HTMLElement | null;
  return !!e && (e.tagName === 'INPUT' || e.tagName === 'TEXTAREA' || e.tagName === 'SELECT' || e.isContentEditable);
};

/**
 * Keyboard operation of the common actions, anywhere in the app (not while typing in a field):
 * N next alarm, A acknowledge, H hold/resume, C close (opens the outcome dialog), 1–4 layout presets, Esc back to
 * the grid, G then L/A/E to go to Live/Alarms/Events, ? the shortcuts sheet.
 */
export function handleShortcut(store: RendererStore, key: string, pendingG: boolean): { handled: boolean; g: boolean } {
  const s = store.getState();
  const a = s.actions;
  const sel = s.alarms.open.find((x) => x.id === s.alarms.selectedId);
  if (pendingG) {
    const to = ({ l: 'live', a: 'alarms', e: 'events' } as const)[key.toLowerCase() as 'l' | 'a' | 'e'];
    if (to) a.navigate(to);
    return { handled: !!to, g: false };
  }
  switch (key) {
    case 'g':
    case 'G':
      return { handled: true, g: true };
    case 'n':
    case 'N':
      if (s.ui.page !== 'alarms') a.navigate('alarms');
      void a.nextAlarm();
      return { handled: true, g: false };
    case 'a':
    case 'A':
      if (sel?.status === 'new') void a.acknowledgeAlarm(sel.id);
      return { handled: !!sel, g: false };
    case 'h':
    case 'H':
      if (sel?.status === 'acknowledged') void a.holdAlarm(sel.id);
      else if (sel?.status === 'on-hold') void a.resumeAlarm(sel.id);
      return { handled: !!sel, g: false };
    case 'c':
    case 'C':
      if (sel && sel.status !== 'new') a.setClosing(true);
      return { handled: !!sel, g: false };
    case 'Escape':
      a.setClosing(false);
      a.setFullIndex(null);
      a.selectCamera(null);
      return { handled: true, g: false };
    default: {
      const n = Number(key);
      if (s.ui.page === 'live' && n >= 1 && n <= PRESETS.length) {
        a.applyPreset(PRESETS[n - 1]!);
        return { handled: true, g: false };
      }
      return { handled: false, g: false };
    }
  }
}

/** Global key handler plus the shortcuts sheet (opened with ? or the top bar button). */
export function Shortcuts() {
  const store = useContext(StoreContext);
  const [open, setOpen] = useState(false);
  const g = useRef(false);
  useEffect(() => {
    if (!store) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') {
        setOpen((o) => !o);
        e.preventDefault();
        return;
      }
      if (e.key === 'Escape') setOpen(false);
      if (typing(e.target) && e.key !== 'Escape') return;
      const r = handleShortcut(store, e.key, g.current);
      g.current = r.g;
      if (r.handled) e.preventDefault();
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener('watchroom:shortcuts', onOpen);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('watchroom:shortcuts', onOpen);
    };
  }, [store]);
  if (!open) return null;
  return (
    <div className="sheet" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-sheet">
      <div className="sheet__body">
        <h2 id="shortcuts-title">{t.shortcuts.title}</h2>
        <table className="table">
          <tbody>
            {t.shortcuts.list.map(([k, what]) => (
              <tr key={k}>
                <th scope="row">
                  <kbd>{k}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn" onClick={() => setOpen(false)} autoFocus>
          {t.shortcuts.close}
        </button>
      </div>
    </div>
  );
}

/** Top bar buttons: the shortcuts sheet and the dark/light theme switch (remembered in localStorage). */
export function ShellTools() {
  const [theme, setTheme] = useState<'dark' | 'light'>(() => {
    try {
      return window.localStorage.getItem('watchroom.theme') === 'light' ? 'light' : 'dark';
    } catch {
      return 'dark';
    }
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      window.localStorage.setItem('watchroom.theme', theme);
    } catch {
      // Private mode: the theme is not remembered.
    }
  }, [theme]);
  return (
    <>
      <button type="button" className="btn btn--small" onClick={() => window.dispatchEvent(new Event('watchroom:shortcuts'))} data-testid="open-shortcuts">
        {t.shortcuts.open}
      </button>
      <button type="button" className="btn btn--small" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} data-testid="theme-toggle" aria-pressed={theme === 'light'}>
        {theme === 'dark' ? t.theme.toLight : t.theme.toDark}
      </button>
    </>
  );
}
