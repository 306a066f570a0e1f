// Operator passwords: argon2id (RFC 9106) through hash-wasm, which runs as WebAssembly inside the
// package (nothing is compiled or downloaded at install). Parameters: OWASP's 19 MiB, t=2, p=1.
import { randomBytes } from 'node:crypto'
import { argon2Verify, argon2id } from 'hash-wasm'
import { consolePasswordWeak } from './console.errors.ts'

const MIN_LENGTH = 10

export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_LENGTH)
    throw consolePasswordWeak({ field: 'password', minLength: MIN_LENGTH })
}

export function hashPassword(password: string): Promise<string> {
  return argon2id({
    password,
    salt: randomBytes(16),
    parallelism: 1,
    iterations: 2,
    memorySize: 19 * 1024,
    hashLength: 32,
    outputType: 'encoded',
  })
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash })
  } catch {
    return false // a malformed stored hash never logs anyone in
  }
}

/** A hash to verify against when the username is unknown, so both cases take the same time. */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(randomBytes(16).toString('hex')))
}
