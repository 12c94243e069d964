import { randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(n) {
  const bytes = nodeRandomBytes(n);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n);
}
