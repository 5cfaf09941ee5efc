/**
 * Seam for encrypting secrets at rest (camera credentials). Implementations: `aesGcmSecretBox` with a key file
 * in the data directory (headless host, key-file-secret-box.ts) and Electron's `safeStorage` (app/main/safe-storage-box.ts).
 * Values written by the old plaintext placeholder (`plain:` prefix, or untagged) are still read, and re-sealed
 * when the engine starts (CameraRepository.resealAll).
 */
export interface SecretBox {
  /** Turns a plaintext value into its stored form. */
  seal(plain: string): string;
  /** Turns a stored value back into plaintext; accepts legacy plaintext too. */
  open(stored: string): string;
  /** Whether a stored value is sealed by this box (false: legacy plaintext to re-seal). */
  isSealed?(stored: string): boolean;
}

const PLAIN_PREFIX = 'plain:';

/** Legacy plaintext as the placeholder stored it. */
export const openLegacy = (stored: string): string => (stored.startsWith(PLAIN_PREFIX) ? stored.slice(PLAIN_PREFIX.length) : stored);

/** No encryption: only for unit tests of code that needs some box. */
export const plaintextSecretBox: SecretBox = {
  seal: (plain) => PLAIN_PREFIX + plain,
  open: openLegacy,
  isSealed: (stored) => stored.startsWith(PLAIN_PREFIX),
};
