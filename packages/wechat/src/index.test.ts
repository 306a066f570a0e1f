import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as wechat from './index.ts'

describe('package entry', () => {
  it('exports the public API the server is written against', () => {
    const functions = [
      'createWechatClient',
      'describeErrcode',
      'keywordTypeOf',
      'parseTemplateContent',
      'validateKeywordValue',
      'validateTemplateData',
      'fitKeywordValue',
      'fitTemplateData',
      'urlSignature',
      'msgSignature',
      'verifySignature',
      'encryptMessage',
      'decryptMessage',
      'parseCallbackBody',
      'toCallbackEvent',
      'WechatTransportError',
      'CallbackCryptoError',
      'CallbackParseError',
    ] as const
    for (const name of functions) expect(typeof wechat[name], name).toBe('function')
    expect(wechat.ERRCODES.length).toBeGreaterThan(50)
    expect(wechat.TOKEN_ERRCODES.has(42001)).toBe(true)
  })

  it('keeps facts.ts free of imports, so the simulator shares facts and never our logic', () => {
    const source = readFileSync(new URL('./facts.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/^\s*import\s/m)
  })
})
