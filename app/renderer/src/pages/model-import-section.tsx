import { useId, useState } from 'react';
import type { ImportDecoderChoice } from '../../../shared/ipc/models.contract';
import { t } from '../i18n/en';
import { selectCan } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';
import { ModelInstallProgressView } from './model-install-progress';

const DECODERS: ImportDecoderChoice[] = ['auto', 'yolox', 'ultralytics', 'face-yunet', 'face-ultraface'];

/**
 * Models → Import a model file (admin): pick an .onnx file on this computer, say what kind of detector it is and
 * under which licence; it goes to the host in pieces with a progress bar and is installed only once checked. A plain
 * file input: it works in the browser and in Electron's sandboxed window alike.
 */
export function ModelImportSection() {
  const can = useRoot(selectCan('models:upload-begin'));
  const progress = useRoot((s) => s.app.modelInstall);
  const error = useRoot((s) => s.app.modelInstallError);
  const source = useRoot((s) => s.app.modelInstallSource);
  const { importModelFile } = useActions();
  const [file, setFile] = useState<File | null>(null);
  const [decoder, setDecoder] = useState<ImportDecoderChoice>('auto');
  const [licence, setLicence] = useState('');
  const id = useId();
  if (!can) return null;
  const w = t.models.importFile;
  const busy = progress?.state === 'running' || progress?.state === 'checking';
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="model-import">
      <h2 id={`${id}-title`}>{w.title}</h2>
      <p className="muted small">{w.help}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) void importModelFile(file, decoder, licence);
        }}
      >
        <div className="form__row">
          <div className="field">
            <label htmlFor={`${id}-file`}>{w.file}</label>
            <input id={`${id}-file`} type="file" accept=".onnx" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="model-import-file" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-decoder`}>{w.decoder}</label>
            <select id={`${id}-decoder`} value={decoder} onChange={(e) => setDecoder(e.target.value as ImportDecoderChoice)} data-testid="model-import-decoder">
              {DECODERS.map((d) => (
                <option key={d} value={d}>
                  {w.decoders[d]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-licence`}>{w.licence}</label>
            <input id={`${id}-licence`} value={licence} maxLength={200} onChange={(e) => setLicence(e.target.value)} placeholder={w.licencePlaceholder} data-testid="model-import-licence" />
          </div>
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy || !file} data-testid="model-import-start">
            {w.start}
          </button>
        </div>
      </form>
      {progress && source === 'file' && <ModelInstallProgressView progress={progress} testId="model-import-progress" running={w.running} />}
      {error && source === 'file' && (
        <p className="form__error" role="alert" data-testid="model-import-error">
          {error}
        </p>
      )}
    </section>
  );
}
