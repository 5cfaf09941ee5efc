import type { SessionKeeper } from '../store/auth/auth.actions';

const KEY = 'watchroom.session';

/** Keeps the session handle in this tab's sessionStorage (a reload re-attaches; closing the tab forgets it). */
export function sessionStorageKeeper(): SessionKeeper {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {}
  let mem: string | null = null;
  return {
    get: () => {
      try {
        return storage?.getItem(KEY) ?? mem;
      } catch {
        return mem;
      }
    },
    set: (v) => {
      mem = v;
      try {
        if (v === null) storage?.removeItem(KEY);
        else storage?.setItem(KEY, v);
      } catch {}
    },
  };
}
