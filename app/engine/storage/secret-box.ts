/**
 * Seam for encrypting secrets at rest (camera credentials). The real implementation (OS keychain / DPAPI /
 * a key file) arrives with its own issue; until then `plaintextSecretBox` stores values as they are, tagged
 * so that a later box can tell legacy plaintext from sealed values and re-seal them.
 */
export interface SecretBox {
  /** Turns a plaintext value into its stored form. */
  seal(plain: string): string;
  /** Turns a stored value back into plaintext; accepts legacy plaintext too. */
  open(stored: string): string;
}

const PLAIN_PREFIX = 'plain:';

/** PLACEHOLDER: no encryption yet (see the issue on credentials at rest). */
export const plaintextSecretBox: SecretBox = {
  seal: (plain) => PLAIN_PREFIX + plain,
  open: (stored) => (stored.startsWith(PLAIN_PREFIX) ? stored.slice(PLAIN_PREFIX.length) : stored),
};
