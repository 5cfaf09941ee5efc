import type { SafeStorage } from 'electron';
import type { Logger } from '../engine/logging/logger';
import type { SecretBox } from '../engine/storage/secret-box';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & { getSelectedStorageBackend?: () => string };

const PREFIX = 'safestorage1:';

/**
 * Camera credentials at rest in the desktop app: Electron's safeStorage (DPAPI on Windows, the Keychain on macOS,
 * libsecret/kwallet on Linux). Where the OS offers no keyring (safeStorage unavailable, or Linux's `basic_text`
 * backend, which uses a hard-coded key) the data directory's key file box is used instead. Values sealed by
 * either box, and legacy plaintext, are still opened.
 */
export function safeStorageSecretBox(ss: SafeStorageLike, fallback: () => SecretBox, logger: Logger): SecretBox {
  const usable = ss.isEncryptionAvailable() && ss.getSelectedStorageBackend?.() !== 'basic_text';
  let fb: SecretBox | null = null;
  const other = () => (fb ??= fallback());
  if (!usable) logger.warn('OS keyring unavailable: camera credentials are encrypted with the key file in the data directory');
  return {
    seal: (plain) => (usable ? PREFIX + ss.encryptString(plain).toString('base64') : other().seal(plain)),
    open: (stored) => (stored.startsWith(PREFIX) ? ss.decryptString(Buffer.from(stored.slice(PREFIX.length), 'base64')) : other().open(stored)),
    isSealed: (stored) => (usable ? stored.startsWith(PREFIX) : (other().isSealed?.(stored) ?? false)),
  };
}
