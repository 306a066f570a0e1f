// Adding, re-passwording and removing console operators: used by `wxpush console users` and the
// dev seed. Passwords arrive in plain text only here and leave as argon2id hashes.
import type { ConsoleRole } from '../db/db.schema.ts'
import type { Db } from '../db/db.ts'
import { consoleOperatorExists, consoleOperatorNotFound } from './console.errors.ts'
import { checkPasswordStrength, hashPassword } from './console.passwords.ts'
import { createConsoleStore, type ConsoleStore } from './console.store.ts'

export const CONSOLE_ROLES: readonly ConsoleRole[] = ['admin', 'operator', 'viewer']

export function createOperators({ db, store = createConsoleStore() }: { db: Db; store?: ConsoleStore }) {
  return {
    async add(p: { username: string; password: string; role: ConsoleRole; appIds: string[] }) {
      checkPasswordStrength(p.password)
      const passwordHash = await hashPassword(p.password)
      if (!(await store.insertOperator(db, { ...p, passwordHash })))
        throw consoleOperatorExists({ username: p.username })
    },
    async passwd(username: string, password: string) {
      checkPasswordStrength(password)
      if (!(await store.updatePassword(db, username, await hashPassword(password))))
        throw consoleOperatorNotFound({ username })
    },
    async remove(username: string) {
      if (!(await store.removeOperator(db, username))) throw consoleOperatorNotFound({ username })
    },
    list: () => store.listOperators(db),
  }
}
