// A throwaway Postgres cluster of the test's own (initdb in a temp folder, its own port), for tests
// that stop or restart the server: the shared one at 5432 serves the other suites meanwhile.
import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const PG_ROOT = '/usr/lib/postgresql'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface PrivatePostgres {
  url: string
  restart(): void
  stop(): void
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const version = readdirSync(PG_ROOT).sort().at(-1)
  if (!version) throw new Error(`no PostgreSQL under ${PG_ROOT}`)
  const bin = join(PG_ROOT, version, 'bin')
  const dir = mkdtempSync(join(tmpdir(), 'wxpush-pg-'))
  const data = join(dir, 'data')
  const port = await freePort()
  // initdb and postgres refuse to run as root: run them as the postgres user when we are root.
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, cmd),
      asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args,
      {
        stdio: 'pipe',
      },
    )
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const pgCtl = (...args: string[]) =>
    run('pg_ctl', ['-D', data, '-o', opts, '-w', '-l', join(dir, 'log'), ...args])
  pgCtl('start')
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => pgCtl('-m', 'fast', 'restart'),
    stop() {
      try {
        pgCtl('-m', 'immediate', 'stop')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
