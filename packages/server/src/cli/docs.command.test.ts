import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_MODULES, errorCatalogue } from '../errors.catalogue.ts'
import { DOCS_DIR, renderConfigDoc, renderErrorsDoc } from './docs.command.ts'

const SRC = fileURLToPath(new URL('../', import.meta.url))

describe('generated docs', () => {
  it('docs/errors.md matches the error catalogue (run npm run docs after changing an error)', () => {
    expect(readFileSync(`${DOCS_DIR}errors.md`, 'utf8')).toBe(renderErrorsDoc())
  })

  it('docs/config.md matches the config schema (run npm run docs after changing a setting)', () => {
    expect(readFileSync(`${DOCS_DIR}config.md`, 'utf8')).toBe(renderConfigDoc())
  })

  it('the catalogue lists every *.errors.ts under src/', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.errors.ts'))
      .map((f) => f.replaceAll('\\', '/'))
      .sort()
    expect(Object.keys(ERROR_MODULES).sort()).toEqual(files)
  })

  it('every error code is defined once, with a 4xx/5xx status and both languages', () => {
    const errors = errorCatalogue()
    const seen = new Map<string, number>()
    for (const e of errors) seen.set(e.code, (seen.get(e.code) ?? 0) + 1)
    expect([...seen].filter(([, n]) => n > 1)).toEqual([])
    for (const e of errors) {
      expect(e.status).toBeGreaterThanOrEqual(400)
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/)
      expect(e.en).toMatch(/[A-Za-z]/)
    }
  })
})
