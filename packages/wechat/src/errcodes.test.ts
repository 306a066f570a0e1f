import { describe, expect, it } from 'vitest'
import { ERRCODES, TOKEN_ERRCODES, describeErrcode } from './errcodes.ts'

describe('errcode catalogue', () => {
  it('lists each errcode once', () => {
    const codes = ERRCODES.map((e) => e.errcode)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('gives every entry a snake_case reason, zh and en text and at least one endpoint', () => {
    for (const info of ERRCODES) {
      expect(info.reason, String(info.errcode)).toMatch(/^[a-z]+(?:_[a-z]+)*$/)
      expect(info.zh.length, String(info.errcode)).toBeGreaterThan(1)
      expect(info.en.length, String(info.errcode)).toBeGreaterThan(1)
      expect(info.apis.length, String(info.errcode)).toBeGreaterThan(0)
    }
  })

  it.each([
    [0, 'ok', 'ok'],
    [-1, 'retry', 'system_busy'],
    [40001, 'token', 'token_invalid'],
    [40014, 'token', 'token_invalid'],
    [42001, 'token', 'token_expired'],
    [40003, 'permanent', 'openid_invalid'],
    [40037, 'permanent', 'template_invalid'],
    [41030, 'permanent', 'page_invalid'],
    [43101, 'user_refused', 'user_refused'],
    [47003, 'permanent', 'content_invalid'],
    [45009, 'quota', 'quota_exceeded'],
    [45011, 'retry', 'rate_limited'],
    [45109, 'permanent', 'api_retired'],
    [200012, 'permanent', 'template_limit_reached'],
  ] as const)('classifies %i as %s with the reason %s', (code, kind, reason) => {
    const info = describeErrcode(code)
    expect(info.kind).toBe(kind)
    expect(info.reason).toBe(reason)
  })

  it('covers the template management codes 200011 to 200021 that WeChat documents', () => {
    for (const code of [200011, 200012, 200013, 200014, 200016, 200017, 200018, 200019, 200020, 200021]) {
      expect(describeErrcode(code).reason).not.toBe('wechat_error')
    }
  })

  it('describes an unknown code as a permanent wechat_error naming the code', () => {
    const info = describeErrcode(123456)
    expect(info).toMatchObject({ errcode: 123456, kind: 'permanent', reason: 'wechat_error', apis: [] })
    expect(info.zh).toContain('123456')
    expect(info.en).toContain('123456')
  })

  it('marks exactly the token codes as kind token', () => {
    expect([...TOKEN_ERRCODES].sort()).toEqual([40001, 40014, 42001])
    const tokenKinds = ERRCODES.filter((e) => e.kind === 'token').map((e) => e.errcode)
    expect(new Set(tokenKinds)).toEqual(TOKEN_ERRCODES)
  })

  it('hands out copies, so a caller cannot change the catalogue', () => {
    describeErrcode(43101).apis.push('/mutated')
    expect(describeErrcode(43101).apis).not.toContain('/mutated')
  })
})
