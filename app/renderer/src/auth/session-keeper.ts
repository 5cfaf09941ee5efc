import type { SessionKeeper } from '../store/auth/auth.actions';

/** Keeps one handle in web storage (falling back to memory where storage is refused). */
function storageKeeper(key: string, pick: () => Storage): SessionKeeper {
  let storage: Storage | null = null;
  try {
    storage = pick();
  } catch {}
  let mem: string | null = null;
  return {
    get: () => {
      try {
        return storage?.getItem(key) ?? mem;
      } catch {
        return mem;
      }
    },
    set: (v) => {
      mem = v;
      try {
        if (v === null) storage?.removeItem(key);
        else storage?.setItem(key, v);
      } catch {}
    },
  };
}

/** Keeps the session handle in this tab's sessionStorage (a reload re-attaches; closing the tab forgets it). */
export const sessionStorageKeeper = (): SessionKeeper => storageKeeper('watchroom.session', () => window.sessionStorage);

/**
 * Keeps this browser's device handle in localStorage (it outlives the tab): presented at sign-in, it keeps the
 * user's own attempts apart from strangers' failures (see the README, "Sign-in throttle").
 */
export const deviceStorageKeeper = (): SessionKeeper => storageKeeper('watchroom.device', () => window.localStorage);
