import type { InvokeHandlers } from '../../shared/ipc/contracts';
import type { ModelInstaller } from './model-installer';

/** Models an admin installs from the app (fetch from an address; progress on models:install-progress). */
export function modelsInstallHandlers(installer: () => ModelInstaller): Pick<InvokeHandlers, 'models:fetch-url'> {
  return {
    'models:fetch-url': ({ url, sha256 }) => ({ jobId: installer().fetchFromUrl(url, sha256).jobId }),
  };
}
