import { t } from '../i18n/en';
import { ReportFoldersSection } from './report-folders-section';
import { IntegrationsSection } from './integrations-section';
import { usePermission } from '../auth/permission';
import { RetentionSection } from './retention-section';
import { SiteSection } from './site-section';
import { RecordingStorageSection } from '../recording/recording-storage-section';

/** Site settings; each area is its own section component. */
export function SettingsPage() {
  const canIntegrate = usePermission('integrations:settings-get').allowed;
  const canSetSite = usePermission('site:settings-set').allowed;
  const canStore = usePermission('recordings:storage-set').allowed;
  return (
    <section className="page" aria-labelledby="settings-title" data-testid="settings-page">
      <div className="toolbar">
        <h1 id="settings-title" className="page__title">
          {t.privacy.settings.title}
        </h1>
      </div>
      {canSetSite && <SiteSection />}
      <RetentionSection />
      {canStore && <RecordingStorageSection />}
      <ReportFoldersSection />
      {canIntegrate && <IntegrationsSection />}
    </section>
  );
}
