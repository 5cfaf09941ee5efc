import { AppErrorException } from '../../shared/ipc/envelope';
import { hasMaskedCredentials, restoreMaskedCredentials } from '../../shared/url-masking';

/** true when the source carries the `***` placeholder where a secret goes (password or a credential query value). */
export function hasMaskedPassword(source: string): boolean {
  return hasMaskedCredentials(source);
}

/**
 * An edited source whose password (or credential query value) is `***` keeps the saved one. Only allowed when
 * scheme, user and host:port are unchanged, so an edit can never send the saved password to another address.
 */
export function keepSavedPassword(edited: string, saved: string): string {
  const r = restoreMaskedCredentials(edited, saved);
  if (r.ok) return r.url;
  if (r.why === 'no-saved') throw new AppErrorException('invalid-input', 'There is no saved password to keep: type the password.');
  throw new AppErrorException('invalid-input', 'The address or user name changed: type the password again.');
}
