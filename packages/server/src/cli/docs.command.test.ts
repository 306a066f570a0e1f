import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { definedErrors } from '../errors.ts'
import { DOCS_DIR, renderConfigDoc, renderErrorsDoc } from './docs.command.ts'

describe('generated docs', () => {
  it('docs/errors.md matches the error catalogue (run npm run docs after changing an error)', () => {
    expect(readFileSync(`${DOCS_DIR}errors.md`, 'utf8')).toBe(renderErrorsDoc())
  })

  it('docs/config.md matches the config schema (run npm run docs after changing a setting)', () => {
    expect(readFileSync(`${DOCS_DIR}config.md`, 'utf8')).toBe(renderConfigDoc())
  })

  it('every error code is domain.snake_case, unique, with a 4xx/5xx status and both languages', () => {
    const errors = definedErrors()
    expect(errors.length).toBeGreaterThan(15)
    expect(new Set(errors.map((e) => e.code)).size).toBe(errors.length)
    for (const e of errors) {
      expect(e.code).toMatch(/^[a-z]+\.[a-z0-9_]+$/)
      expect(e.status).toBeGreaterThanOrEqual(400)
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/)
      expect(e.en).toMatch(/[A-Za-z]/)
    }
  })
})
