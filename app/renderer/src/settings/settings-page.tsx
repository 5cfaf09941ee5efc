import { t } from '../i18n/en';
import { ReportFoldersSection } from './report-folders-section';
import { IntegrationsSection } from './integrations-section';
import { selectCan } from '../store/auth/auth.selectors';
import { useRoot } from '../store/store';
import { RetentionSection } from './retention-section';
import { RecordingStorageSection } from '../recording/recording-storage-section';

/** Site settings; each area is its own section component. */
export function SettingsPage() {
  const canIntegrate = useRoot(selectCan('integrations:settings-get'));
  const canStore = useRoot(selectCan('recordings:storage-set'));
  return (
    <section className="page" aria-labelledby="settings-title" data-testid="settings-page">
      <div className="toolbar">
        <h1 id="settings-title" className="page__title">
          {t.privacy.settings.title}
        </h1>
      </div>
      <RetentionSection />
      {canStore && <RecordingStorageSection />}
      <ReportFoldersSection />
      {canIntegrate && <IntegrationsSection />}
    </section>
  );
}
