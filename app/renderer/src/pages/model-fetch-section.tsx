import { useId, useState } from 'react';
import { t } from '../i18n/en';
import { selectCan } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';
import { ModelInstallProgressView } from './model-install-progress';

/** Models → Fetch a model from an address (admin): address, pinned SHA-256, a progress bar, the outcome in words. */
export function ModelFetchSection() {
  const can = useRoot(selectCan('models:fetch-url'));
  const progress = useRoot((s) => s.app.modelInstall);
  const startError = useRoot((s) => s.app.modelInstallError);
  const source = useRoot((s) => s.app.modelInstallSource);
  const { fetchModelFromUrl } = useActions();
  const [url, setUrl] = useState('');
  const [sha, setSha] = useState('');
  const id = useId();
  if (!can) return null;
  const busy = progress?.state === 'running' || progress?.state === 'checking';
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="model-fetch">
      <h2 id={`${id}-title`}>{t.models.fetch.title}</h2>
      <p className="muted small">{t.models.fetch.help}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void fetchModelFromUrl(url.trim(), sha.trim());
        }}
      >
        <div className="form__row">
          <div className="field">
            <label htmlFor={`${id}-url`}>{t.models.fetch.url}</label>
            <input id={`${id}-url`} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/model.onnx" data-testid="model-fetch-url" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-sha`}>{t.models.fetch.sha256}</label>
            <input id={`${id}-sha`} required pattern="[0-9a-fA-F]{64}" value={sha} onChange={(e) => setSha(e.target.value)} className="mono" data-testid="model-fetch-sha" />
          </div>
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy || !url.trim() || !/^[0-9a-fA-F]{64}$/.test(sha.trim())} data-testid="model-fetch-start">
            {t.models.fetch.start}
          </button>
        </div>
      </form>
      {progress && source !== 'file' && <ModelInstallProgressView progress={progress} testId="model-fetch-progress" running={t.models.fetch.running} />}
      {startError && source !== 'file' && (
        <p className="form__error" role="alert">
          {startError}
        </p>
      )}
    </section>
  );
}
