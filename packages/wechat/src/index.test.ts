import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('package entry', () => {
  it('keeps facts.ts free of imports, so the simulator shares facts and never our logic', () => {
    const source = readFileSync(new URL('./facts.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/^\s*import\s/m)
  })
})
