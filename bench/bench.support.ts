// Shared by the bench scripts: the simulator in its own process, fresh databases, machine facts.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const CLI = join(ROOT, 'packages/server/src/cli/wxpush.ts')
export const ADMIN_URL = process.env.WXPUSH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

export function machine() {
  const c = cpus()
  return {
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  }
}

export function writeResult(name: string, data: unknown): string {
  const file = join(ROOT, 'bench/results', name)
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n')
  return file
}

/** Starts `wxpush simulator` in its own process and answers its URL. */
export async function startSimulatorProcess(
  port: number,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'simulator', '--port', String(port), '--no-callbacks'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening at (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${out}`)))
  })
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export interface BenchDb {
  kind: 'postgres' | 'pglite'
  env: Record<string, string>
  drop(): Promise<void>
}

export async function freshDb(kind: 'postgres' | 'pglite'): Promise<BenchDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxpush-bench-'))
  if (kind === 'pglite')
    return {
      kind,
      env: { WXPUSH_DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    }
  const name = `wxpush_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    kind,
    env: { DATABASE_URL: url.toString(), WXPUSH_DATA_DIR: dataDir },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true })
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

export async function control<T>(
  base: string,
  path: string,
  body: unknown = {},
  method = 'POST',
): Promise<T> {
  const res = await fetch(base + path, {
    method,
    ...(method === 'GET'
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Runs `total` jobs with at most `concurrency` at a time. */
export async function pool(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++)
    }),
  )
}
