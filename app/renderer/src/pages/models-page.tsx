import { t } from '../i18n/en';
import { selectDetection, selectModels, selectModelsBusy, selectModelsError } from '../store/app/app.selectors';
import { useActions, useRoot } from '../store/store';
import { FaceDetectorSection } from './face-detector-section';
import { ModelFetchSection } from './model-fetch-section';
import { ModelImportSection } from './model-import-section';

/** Installed and known detectors with licence, provenance and status; choose the site default; the watchlist's face detector. */
export function ModelsPage() {
  const models = useRoot(selectModels);
  const error = useRoot(selectModelsError);
  const busy = useRoot(selectModelsBusy);
  const detection = useRoot(selectDetection);
  const { setDefaultModel } = useActions();
  return (
    <section className="page" aria-labelledby="models-title" data-testid="models-page">
      <div className="toolbar">
        <h1 id="models-title" className="page__title">{t.models.title}</h1>
        {detection?.state === 'on' && <p className="toolbar__meta muted">{t.detection.on(detection.modelId ?? '?', detection.executionProvider)}</p>}
      </div>
      {detection && (
        <p className={`banner ${detection.state === 'on' && !detection.fallback ? 'banner--ok' : 'banner--warn'}`} role="status" data-testid="models-detection-status">
          {detection.message}
        </p>
      )}
      {error && <p className="banner banner--bad" role="alert">{error}</p>}
      {models && models.length === 0 && <p className="empty">{t.models.empty}</p>}
      {models && models.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="models-table">
            <thead>
              <tr>
                <th scope="col">{t.models.colName}</th>
                <th scope="col">{t.models.colLicence}</th>
                <th scope="col">{t.models.colProvenance}</th>
                <th scope="col">{t.models.colStatus}</th>
                <th scope="col">{t.models.colDefault}</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-testid="model-row" data-model-id={m.id}>
                  <th scope="row">
                    {m.name}
                    <span className="muted small mono"> {m.id} · {m.inputSize.join('×')}</span>
                  </th>
                  <td>{m.licence}</td>
                  <td className="wrap">{m.provenance ?? '—'}</td>
                  <td>
                    {detection?.state === 'on' && detection.modelId === m.id && (
                      <span className="badge badge--ok" data-testid="model-running">
                        {t.detection.running}
                      </span>
                    )}{' '}
                    <span className={`badge badge--${m.status === 'installed' ? 'ok' : m.status === 'missing' ? 'warn' : 'bad'}`}>{t.models.status[m.status] ?? m.status}</span>
                    {m.error && <p className="field__error">{m.error}</p>}
                  </td>
                  <td>
                    {m.isDefault ? (
                      <span className="badge badge--ok">{t.models.isDefault}</span>
                    ) : (
                      <button className="btn" disabled={busy || m.status !== 'installed'} onClick={() => void setDefaultModel(m.id)}>
                        {t.models.setDefault}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button className="btn" disabled={busy} onClick={() => void setDefaultModel(null)}>
              {t.models.useBestRank}
            </button>
          </p>
        </div>
      )}
      <FaceDetectorSection />
      <ModelImportSection />
      <ModelFetchSection />
    </section>
  );
}
