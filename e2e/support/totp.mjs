// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) from a base32 secret, as an
// authenticator app computes it: lets a test enrol and sign in with two-step login.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// RFC 4648 base32; case, spaces and '=' padding are ignored (apps accept them too).
export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

// RFC 4226 HOTP of a key (Buffer) and counter.
export function hotp(key, counter, digits = 6) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

export function totpStep(timeMs = Date.now(), stepSeconds = 30) {
  return Math.floor(timeMs / 1000 / stepSeconds);
}

export function totp(secretBase32, { time = Date.now(), digits = 6, step = 30 } = {}) {
  return hotp(base32Decode(secretBase32), totpStep(time, step), digits);
}

// The server refuses a code of a step it has already accepted (replay). When a test needs a
// second code, wait for the next step instead of failing at random.
export async function nextTotp(secretBase32, afterStep) {
  while (totpStep() <= afterStep) {
    const msLeft = 30_000 - (Date.now() % 30_000);
    await new Promise((resolve) => setTimeout(resolve, msLeft + 50));
  }
  return { code: totp(secretBase32), step: totpStep() };
}
