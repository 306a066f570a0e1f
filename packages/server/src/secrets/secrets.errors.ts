import { defineError } from '../errors.ts'

export const secretUnreadable = defineError({
  code: 'secrets.unreadable',
  status: 500,
  zh: '无法解密已保存的机密：主密钥与加密时不同',
  en: 'A stored secret cannot be decrypted: the master key differs from the one that sealed it',
})
