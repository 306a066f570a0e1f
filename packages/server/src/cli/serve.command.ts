// `wxpush serve`: production. Real Postgres (DATABASE_URL), real WeChat, API and workers.
import { ConfigError, startWxpush } from '../main.ts'

export async function serveCommand(env: Record<string, string | undefined>): Promise<void> {
  try {
    const running = await startWxpush({ env })
    const roles = running.config.WXPUSH_ROLE
    console.log(`wxpush 已启动 / started (${roles})${running.apiUrl ? `: ${running.apiUrl}` : ''}`)
    stopOnSignals(running.stop)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

export function stopOnSignals(stop: () => Promise<void>): void {
  const onSignal = (signal: string) => {
    console.log(`\n${signal}: 正在停止，等待发送中的消息完成 / stopping, finishing sends in flight…`)
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
}
