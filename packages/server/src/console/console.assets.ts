// Serves the console's pages at /console. Dev mode (WXPUSH_MODE=dev): through Vite's middleware,
// created on the first /console request (so test stacks that never open it pay nothing), with
// modules compiled on demand: `npm ci && npm run dev` needs no build step. Otherwise: the files
// built by `npm run build -w @wxpush/console` (packages/console/dist), with index.html for any
// page path so the browser router works on reload.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join, normalize, sep } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ViteDevServer } from 'vite'
import { requestNotFound } from '../http/http.errors.ts'
import { consoleNotBuilt } from './console.errors.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** antd writes its styles inline (CSS-in-JS); everything else comes from this origin only. */
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"

export function consoleRoot(): string {
  return dirname(createRequire(import.meta.url).resolve('@wxpush/console/package.json'))
}

export function consoleAssets(p: { mode: 'dev' | 'built'; root?: string }) {
  const root = p.root ?? consoleRoot()
  return async function (app: FastifyInstance) {
    app.get('/console', (_request, reply) => reply.redirect('/console/'))
    if (p.mode === 'dev') {
      let vite: Promise<ViteDevServer> | undefined
      const start = async () => {
        const { createServer } = await import('vite')
        return createServer({
          root,
          configFile: join(root, 'vite.config.ts'),
          appType: 'spa',
          logLevel: 'warn',
          server: { middlewareMode: true, hmr: { server: app.server } },
        })
      }
      app.addHook('onClose', async () => {
        if (vite) await (await vite).close()
      })
      app.get('/console/*', async (request, reply) => {
        if (request.url.startsWith('/console/api/'))
          throw requestNotFound({ path: request.url.split('?')[0] })
        const server = await (vite ??= start())
        reply.hijack()
        reply.raw.setHeader('x-frame-options', 'DENY')
        server.middlewares(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404
          reply.raw.end()
        })
      })
      return
    }
    const dist = join(root, 'dist')
    app.get('/console/*', async (request, reply) => {
      const path = (request.params as { '*': string })['*'].split('?')[0] ?? ''
      if (path.startsWith('api/')) throw requestNotFound({ path: request.url.split('?')[0] })
      if (!existsSync(join(dist, 'index.html'))) throw consoleNotBuilt()
      const file = normalize(join(dist, path))
      const found = file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()
      return sendFile(reply, found ? file : join(dist, 'index.html'), path.startsWith('assets/'))
    })
  }
}

function sendFile(reply: FastifyReply, file: string, immutable: boolean) {
  return reply
    .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY')
    .send(readFileSync(file))
}
