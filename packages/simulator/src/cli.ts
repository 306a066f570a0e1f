// `wxpush simulator --port 4000 --host 127.0.0.1 [--allow-remote] [--legacy2019] [--logger]`: starts
// the simulator, prints its URL, stops on SIGINT / SIGTERM. A non-loopback --host needs --allow-remote
// (the control API has no auth and hands out app secrets).
import { parseArgs } from 'node:util'
import { createSimulator } from './simulator.ts'

export async function runSimulatorCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      legacy2019: { type: 'boolean', default: false },
      logger: { type: 'boolean', default: false },
      'no-callbacks': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`端口无效 / Invalid port: ${values.port}`)
  }
  const sim = createSimulator({
    legacy2019: values.legacy2019,
    logger: values.logger,
    pushCallbacks: !values['no-callbacks'],
  })
  const url = await sim.listen({ port, host: values.host, allowRemote: values['allow-remote'] })
  process.stdout.write(`微信接口模拟器已启动 / WeChat API simulator listening at ${url}\n`)
  process.stdout.write(`控制接口 / Control API: ${url}/control/apps\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await sim.close()
  process.stdout.write('模拟器已停止 / Simulator stopped\n')
}
