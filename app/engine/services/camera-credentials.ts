import { AppErrorException } from '../../shared/ipc/envelope';

/** scheme://[user][:password]@rest */
const CREDS_RE = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(?::([^/@\s]*))?@(.*)$/is;
const MASK = '***';

const authority = (rest: string): string => rest.split(/[/?#]/, 1)[0]!.toLowerCase();

/** true when the source carries the `***` placeholder in the password position. */
export function hasMaskedPassword(source: string): boolean {
  return CREDS_RE.exec(source.trim())?.[3] === MASK;
}

/**
 * An edited source whose password is `***` keeps the saved password. Only allowed when scheme, user and
 * host:port are unchanged, so an edit can never send the saved password to another address.
 */
export function keepSavedPassword(edited: string, saved: string): string {
  const e = CREDS_RE.exec(edited.trim());
  if (!e || e[3] !== MASK) return edited;
  const s = CREDS_RE.exec(saved.trim());
  if (!s || s[3] === undefined) throw new AppErrorException('invalid-input', 'There is no saved password to keep: type the password.');
  const same = e[1]!.toLowerCase() === s[1]!.toLowerCase() && e[2] === s[2] && authority(e[4]!) === authority(s[4]!);
  if (!same) throw new AppErrorException('invalid-input', 'The address or user name changed: type the password again.');
  return `${e[1]}${e[2]}:${s[3]}@${e[4]}`;
}
