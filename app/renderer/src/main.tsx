import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { selectApi } from './api/select-api';
import { AuthGate } from './auth/auth-gate';
import { deviceStorageKeeper, sessionStorageKeeper } from './auth/session-keeper';
import { AppShell } from './shell/app-shell';
import { createRendererStore, StoreContext } from './store/store';
import { pageFromHash } from './store/ui/ui.state';
import './styles/theme.css';

const api = selectApi();
const store = createRendererStore(api, { initialPage: pageFromHash(window.location.hash), sessionKeeper: sessionStorageKeeper(), deviceKeeper: deviceStorageKeeper() });
// Back/forward and typed hashes move between pages; navigate() links carry the hash themselves.
window.addEventListener('hashchange', () => store.getState().actions.navigate(pageFromHash(window.location.hash)));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <AuthGate>
        <AppShell />
      </AuthGate>
    </StoreContext.Provider>
  </StrictMode>,
);
