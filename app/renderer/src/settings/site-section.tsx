import { useEffect, useId, useMemo, useState } from 'react';
import type { SiteSettings } from '../../../shared/ipc/alarms.contract';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectSite } from '../store/site/site.selectors';
import { useActions, useRoot } from '../store/store';
import { knownTimeZones, matchTimeZones, siteFormProblem } from './site-form';

const MAX_SHIFTS = 6;

/** Settings → Site (admin): the site's name, its time zone (searchable list of IANA zones) and shift starts. */
export function SiteSection() {
  const { settings, error } = useRoot(selectSite);
  const { loadSiteSettings, saveSiteSettings } = useActions();
  const [form, setForm] = useState<SiteSettings | null>(null);
  const [search, setSearch] = useState('');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const zones = useMemo(knownTimeZones, []);
  useEffect(() => void loadSiteSettings(), [loadSiteSettings]);
  useEffect(() => {
    if (settings && !form) setForm(settings);
  }, [settings, form]);
  if (!form) {
    return (
      <section className="card" aria-labelledby={`${id}-title`} data-testid="site-settings">
        <h2 id={`${id}-title`}>{t.site.title}</h2>
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
      </section>
    );
  }
  const edit = (p: Partial<SiteSettings>) => {
    setSaved(false);
    setForm({ ...form, ...p });
  };
  const matches = matchTimeZones(zones, search, 200);
  const options = matches.includes(form.timeZone) ? matches : [form.timeZone, ...matches];
  const problem = siteFormProblem(form, zones, t.site);
  const setStart = (i: number, v: string) => edit({ shiftStarts: form.shiftStarts.map((x, j) => (j === i ? v : x)) });
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="site-settings">
      <h2 id={`${id}-title`}>{t.site.title}</h2>
      <p className="muted small">{t.site.help}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          setBusy(true);
          void saveSiteSettings({ ...form, shiftStarts: [...form.shiftStarts].sort() }).then((ok) => {
            setBusy(false);
            setSaved(ok);
            if (ok) setForm(null);
          });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>{t.site.name}</label>
          <input id={`${id}-name`} value={form.siteName} maxLength={100} required onChange={(e) => edit({ siteName: e.target.value })} data-testid="site-name" />
        </div>
        <div className="form__row">
          <div className="field">
            <label htmlFor={`${id}-zone-search`}>{t.site.zone}</label>
            <input id={`${id}-zone-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={form.timeZone} aria-describedby={`${id}-zone-help`} data-testid="site-zone-search" />
            <p id={`${id}-zone-help`} className="field__hint">
              {t.site.zoneHelp}
            </p>
            <select aria-label={t.site.zone} size={6} value={form.timeZone} onChange={(e) => edit({ timeZone: e.target.value })} data-testid="site-zone">
              {options.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            <p className="field__hint" data-testid="site-zone-now">
              {t.site.now(formatTime(Date.now(), form.timeZone, 'dayHour'))}
            </p>
          </div>
          <fieldset className="field">
            <legend>{t.site.shifts}</legend>
            <p className="field__hint">{t.site.shiftsHelp}</p>
            {form.shiftStarts.map((s, i) => (
              <div className="row-actions" key={i}>
                <input type="time" aria-label={t.site.shiftLabel(i + 1)} value={s} required onChange={(e) => setStart(i, e.target.value)} data-testid="site-shift" />
                {form.shiftStarts.length > 1 && (
                  <button type="button" className="btn" onClick={() => edit({ shiftStarts: form.shiftStarts.filter((_, j) => j !== i) })}>
                    {t.site.removeShift(i + 1)}
                  </button>
                )}
              </div>
            ))}
            {form.shiftStarts.length < MAX_SHIFTS && (
              <button type="button" className="btn" onClick={() => edit({ shiftStarts: [...form.shiftStarts, '12:00'] })} data-testid="site-shift-add">
                {t.site.addShift}
              </button>
            )}
          </fieldset>
        </div>
        {problem && (
          <p className="field__error" role="alert">
            {problem}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy || problem !== null || !form.siteName.trim()} data-testid="site-save">
            {t.site.save}
          </button>
        </div>
      </form>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      {saved && !error && (
        <p className="muted small" role="status" data-testid="site-saved">
          {t.site.saved}
        </p>
      )}
    </section>
  );
}
