// Signs an offline update feed (see README, "Updates"): every latest*.yml in FOLDER gets latest*.yml.sig, an
// Ed25519 signature (base64) made with the vendor's private key. The app serves a feed folder only when each yml
// verifies against the public key it ships (resources/update-keys/update-signing-public.pem).
//   node scripts/sign-update-feed.mjs --new-key DIR          writes DIR/update-signing-{private,public}.pem
//   node scripts/sign-update-feed.mjs FOLDER --key PRIVATE.pem
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { key: { type: 'string' }, 'new-key': { type: 'string' } } });

if (values['new-key']) {
  const dir = values['new-key'];
  fs.mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  fs.writeFileSync(path.join(dir, 'update-signing-private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'update-signing-public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  console.log(`[sign-update-feed] new key pair in ${dir}: keep update-signing-private.pem offline; copy update-signing-public.pem to resources/update-keys/ before \`npm run dist\``);
  process.exit(0);
}

const folder = positionals[0];
if (!folder || !values.key) {
  console.error('usage: node scripts/sign-update-feed.mjs FOLDER --key PRIVATE.pem  |  --new-key DIR');
  process.exit(2);
}
const key = crypto.createPrivateKey(fs.readFileSync(values.key));
const ymls = fs.readdirSync(folder).filter((f) => /^latest(-[a-z0-9]+)?\.yml$/i.test(f));
if (ymls.length === 0) {
  console.error(`[sign-update-feed] no latest*.yml in ${folder} (run \`npm run dist\` first; it writes them to release/)`);
  process.exit(1);
}
for (const y of ymls) {
  const sig = crypto.sign(null, fs.readFileSync(path.join(folder, y)), key);
  fs.writeFileSync(path.join(folder, `${y}.sig`), `${sig.toString('base64')}\n`);
  console.log(`[sign-update-feed] signed ${y}`);
}
