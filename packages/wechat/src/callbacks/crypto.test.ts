import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CallbackCryptoError, decryptMessage, encryptMessage } from './crypto.ts'
import { msgSignature, urlSignature, verifySignature } from './signature.ts'

// wechatpy tests/test_crypto.py (WeCom flavour of the same scheme: the trailing id is a corp id, not an appid).
const WECHATPY = {
  token: '123456',
  encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  receiveId: 'wx49f0ab532d5d035a',
  timestamp: '1411525903',
  nonce: '461056294',
  decryptEncrypt:
    'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=',
  decryptSignature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26d',
  reply:
    '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>',
  replyEncrypt:
    '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3',
  replySignature: '407518b7649e86ef23978113f92d27afa9296533',
}

describe('push signatures', () => {
  it('reproduces the official URL verification signature', () => {
    expect(urlSignature({ token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492' })).toBe(
      'f464b24fc39322e44b38aa78f5edd27bd1441696',
    )
  })

  it('reproduces the official plaintext push signature', () => {
    expect(urlSignature({ token: 'AAAAA', timestamp: '1714037059', nonce: '486452656' })).toBe(
      '899cf89e464efb63f54ddac96b0a0a235f53aa78',
    )
  })

  it("reproduces wechatpy's msg_signature of an encrypted message", () => {
    const { token, timestamp, nonce } = WECHATPY
    expect(msgSignature({ token, timestamp, nonce, encrypt: WECHATPY.decryptEncrypt })).toBe(
      WECHATPY.decryptSignature,
    )
    expect(msgSignature({ token, timestamp, nonce, encrypt: WECHATPY.replyEncrypt })).toBe(
      WECHATPY.replySignature,
    )
  })

  it('compares signatures exactly and answers false on a length mismatch', () => {
    const sig = urlSignature({ token: 'AAAAA', timestamp: '1', nonce: '2' })
    expect(verifySignature(sig, sig)).toBe(true)
    expect(verifySignature(sig, sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'))).toBe(false)
    expect(verifySignature(sig, sig.slice(1))).toBe(false)
    expect(verifySignature(sig, '')).toBe(false)
  })
})

describe('message crypto', () => {
  it("decrypts wechatpy's encrypted message and answers its trailing id", () => {
    const { message, appid } = decryptMessage({
      encodingAesKey: WECHATPY.encodingAesKey,
      encrypt: WECHATPY.decryptEncrypt,
    })
    expect(appid).toBe(WECHATPY.receiveId)
    expect(message).toContain('<Content><![CDATA[test]]></Content>')
    expect(message).toContain('<FromUserName><![CDATA[messense]]></FromUserName>')
  })

  it('encrypts byte for byte as wechatpy does with the same random prefix', () => {
    const encrypt = encryptMessage({
      encodingAesKey: WECHATPY.encodingAesKey,
      appid: WECHATPY.receiveId,
      message: WECHATPY.reply,
      random: Buffer.from('1234567890123456'),
    })
    expect(encrypt).toBe(WECHATPY.replyEncrypt)
  })

  it('reproduces the mini-program JSON vector of docs/wechat.md §6.4', () => {
    const message =
      '{"ToUserName":"gh_123456789abc","FromUserName":"o7esq5PHRGBQYmeNyfG064wEFVpQ","CreateTime":1620963428,"MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"BEwX0BO-T3MqK3Uc5oTU3CGBqzjpndk2jzUf7VfExd8","MsgID":"1864323726461255680","ErrorCode":"0","ErrorStatus":"success"}}'
    const encrypt = encryptMessage({
      encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      appid: 'wx1234567890abcdef',
      message,
      random: Buffer.from('0123456789abcdef'),
    })
    expect(encrypt.startsWith('Q3stYC6hdFzMh9T8HCvyDOIKds445z1yog609yX9kj6FKzWJU5l95yd5UoDnf2Ev')).toBe(true)
    expect(msgSignature({ token: 'AAAAA', timestamp: '1714037059', nonce: '486452656', encrypt })).toBe(
      '6b63e4f826aa949c722fba5ac32c99a504f8ed7f',
    )
  })

  it('round-trips any message and appid', () => {
    const key = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((b) => Buffer.from(b).toString('base64').slice(0, 43))
    fc.assert(
      fc.property(
        key,
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.stringMatching(/^wx[0-9a-f]{16}$/),
        (encodingAesKey, message, appid) => {
          const encrypt = encryptMessage({ encodingAesKey, appid, message })
          expect(decryptMessage({ encodingAesKey, encrypt })).toEqual({
            message: Buffer.from(message, 'utf8').toString('utf8'),
            appid,
          })
        },
      ),
    )
  }, 90_000) // ~22 s on a loaded machine

  it.each([
    ['bad_key', { encodingAesKey: 'short', encrypt: WECHATPY.decryptEncrypt }],
    ['bad_base64', { encodingAesKey: WECHATPY.encodingAesKey, encrypt: 'not base64!' }],
    ['bad_length', { encodingAesKey: WECHATPY.encodingAesKey, encrypt: Buffer.alloc(20).toString('base64') }],
    [
      'bad_padding',
      { encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', encrypt: WECHATPY.decryptEncrypt },
    ],
  ] as const)('refuses with %s', (code, input) => {
    let caught: unknown
    try {
      decryptMessage(input)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(CallbackCryptoError)
    expect((caught as CallbackCryptoError).code).toBe(code)
    expect((caught as Error).message).not.toContain(input.encodingAesKey)
  })
})
