#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step) through tsx's loader.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/wxpush.ts')
await main(process.argv.slice(2), process.env).catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
