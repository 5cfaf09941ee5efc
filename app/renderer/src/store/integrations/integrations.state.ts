import type { ApiTokenView, IntegrationSettings } from '../../../../shared/ipc/integrations.contract';

/** Settings → Integrations (admin): the HTTP API switch and its tokens. */
export interface IntegrationsState {
  /** null until the first load. */
  settings: IntegrationSettings | null;
  tokens: ApiTokenView[] | null;
  /** A token just created: shown once, until the admin closes it. */
  created: { name: string; secret: string } | null;
  error: string | null;
}

export const initialIntegrationsState: IntegrationsState = { settings: null, tokens: null, created: null, error: null };
