// The committed build is what WeChat DevTools' "构建 npm" takes (the `miniprogram` field): it must
// be exactly what the sources compile to, ES2015 that an ES2015 parser accepts, and free of runtime
// dependencies (only the package's own files are required).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'acorn'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'miniprogram_dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>

function compileTo(outDir: string): readonly ts.Diagnostic[] {
  const configPath = join(root, 'tsconfig.json')
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p))
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, { outDir })
  const program = ts.createProgram(parsed.fileNames, parsed.options)
  const emitted = program.emit()
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]
}

describe('the built SDK (miniprogram_dist)', () => {
  it('is exactly what the sources compile to (run `npm run build:miniprogram` after a change)', () => {
    const out = mkdtempSync(join(tmpdir(), 'wxpush-mp-build-'))
    try {
      expect(compileTo(out).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
      const fresh = readdirSync(out).sort()
      expect(readdirSync(dist).sort()).toEqual(fresh)
      for (const f of fresh)
        expect(readFileSync(join(dist, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'))
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 60_000)

  it('parses as ES2015 and requires nothing but its own files', () => {
    for (const f of readdirSync(dist).filter((n) => n.endsWith('.js'))) {
      const code = readFileSync(join(dist, f), 'utf8')
      expect(() => parse(code, { ecmaVersion: 2015, sourceType: 'script' }), f).not.toThrow()
      const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])
      for (const r of required) expect(r, `${f} requires ${r}`).toMatch(/^\.\//)
    }
  })

  it('declares no runtime dependencies and points WeChat DevTools at the build', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.miniprogram).toBe('miniprogram_dist')
    expect(pkg.main).toBe('miniprogram_dist/index.js')
  })
})
