// What the simulator must not expose: its control API hands out AppSecrets without auth (so it listens
// on loopback unless told otherwise), and no answer quotes a request URL, which for /cgi-bin/token
// holds the AppSecret.
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulator, isLoopbackHost } from './simulator.ts'
import { startTestSim, type TestSim } from './testing/sim-client.ts'

describe('listening address', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com'])(
    'refuses %s without allowRemote, binding nothing',
    async (host) => {
      const sim = createSimulator()
      await expect(sim.listen({ port: 0, host })).rejects.toThrow(/allow-remote/)
      expect(sim.app.server.listening).toBe(false)
      await sim.close()
    },
  )

  it('listens on loopback addresses', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const sim = createSimulator()
      const url = await sim.listen({ port: 0, host })
      expect((await fetch(`${url}/control/apps`, { method: 'POST', body: '{}' })).status).toBe(200)
      await sim.close()
    }
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('127.8.9.10')).toBe(true)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
  })
})

describe('answers that could quote the URL', () => {
  let t: TestSim | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('a 404 and a bad URL name nothing of the request, so the AppSecret in the query stays out', async () => {
    t = await startTestSim()
    const { appid, secret } = await t.setup()
    const paths = [
      `/cgi-bin/tokenx?grant_type=client_credential&appid=${appid}&secret=${secret}`,
      `/cgi-bin/token/${secret}`,
      `/%E0%A4%A?secret=${secret}`,
      `/cgi-bin/token?appid=${appid}&secret=${secret}%E0%A4%A`,
    ]
    for (const path of paths) {
      const r = await t.get(path)
      expect(r.text, path).not.toContain(secret)
      if (r.status >= 400) expect(r.json, path).toHaveProperty('error.code')
    }
    const missing = await t.get(`/cgi-bin/tokenx?secret=${secret}`)
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({ error: { code: 'simulator.not_found' } })
  })
})
