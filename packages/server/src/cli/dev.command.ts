// `npm run dev` / `wxpush dev`: the embedded default. PGlite in WXPUSH_DATA_DIR, the simulator
// in-process as "WeChat", the demo app, and a curl to try.
import { resolve } from 'node:path'
import { createSimulator } from '@wxpush/simulator'
import { DEMO_TEMPLATES } from '../dev/dev.demo.ts'
import { seedDemo, takePreviousDevInfo } from '../dev/dev.seed.ts'
import { loadConfig } from '../config.ts'
import { ConfigError, startWxpush } from '../main.ts'
import { stopOnSignals } from './serve.command.ts'

export async function devCommand(env: Record<string, string | undefined>): Promise<void> {
  const base = loadConfig({ ...env, WXPUSH_MODE: 'dev' })
  if (!base.ok) {
    console.error(new ConfigError(base.errors).message)
    process.exit(1)
  }
  const previous = takePreviousDevInfo(resolve(base.config.WXPUSH_DATA_DIR))
  const simulator = createSimulator()
  const simulatorUrl = await simulator.listen({ port: base.config.WXPUSH_SIMULATOR_PORT, host: '127.0.0.1' })
  const running = await startWxpush({
    env: { ...env, WXPUSH_MODE: 'dev', WXPUSH_WECHAT_BASE_URL: simulatorUrl, DATABASE_URL: env.DATABASE_URL },
  })
  const dataDir = resolve(running.config.WXPUSH_DATA_DIR)
  const info = await seedDemo({ running, simulatorUrl, dataDir, previous })
  stopOnSignals(async () => {
    await running.stop()
    await simulator.close()
  })

  const demo = DEMO_TEMPLATES[0]
  const user = info.users[0]!
  const body = JSON.stringify({ to: { openid: user.openid }, template: demo.alias, data: demo.example })
  console.log(`
wxpush 开发模式已就绪 / dev mode is ready
  API:        ${info.apiUrl}
  模拟器 / simulator: ${simulatorUrl}   (微信接口的离线替身 / an offline stand-in for WeChat)
  控制台 / console:   ${info.consoleUrl}   (${info.console.username} / ${info.console.password})
  数据库 / database:  PGlite ${dataDir}/pglite
  dev.json:   ${dataDir}/dev.json   (API 密钥、模板、用户 / API key, templates, users)

发送一条订阅消息 / send a subscription message:
curl -s -X POST ${info.apiUrl}/v1/messages -H 'Authorization: Bearer ${info.apiKey}' -H 'Content-Type: application/json' -d '${body}'

然后在模拟手机里查看 / then look at the simulated phone: ${user.inboxUrl}
查询状态 / message status: curl -s ${info.apiUrl}/v1/messages/<id> -H 'Authorization: Bearer ${info.apiKey}'
(第一个用户每次启动获得每个模板 3 次订阅 / the first user gets 3 accepts per template on each start)
`)
}
