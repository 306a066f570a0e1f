// wxpush as a separate OS process (`wxpush serve`), for crash and multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../cli/wxpush.ts', import.meta.url))

export interface WxpushProcess {
  child: ChildProcess
  /** The API URL when the process serves the API, else ''. */
  apiUrl: string
  output(): string
  /** Waits for the process to exit after `signal`. */
  kill(signal: NodeJS.Signals): Promise<number | null>
}

export async function spawnWxpush(
  env: Record<string, string>,
  opts: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<WxpushProcess> {
  const timeoutMs = opts.timeoutMs ?? 90_000 // a start under load on 2 cores
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', CLI, 'serve'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wxpush did not start:\n${out}`)), timeoutMs)
    const check = () => {
      const m = /started \((\w+)\)(?::\s*(\S+))?/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[2] ?? '')
      }
    }
    child.stdout?.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`wxpush exited (${code}) before starting:\n${out}`))
    })
  })
  return {
    child,
    apiUrl,
    output: () => out,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
