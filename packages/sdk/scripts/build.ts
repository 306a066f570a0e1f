// `npm run build -w packages/sdk`: dist/esm (ES modules) and dist/cjs (CommonJS) with their type
// declarations, both from src/ by tsc. Nothing bundled: the SDK has no dependencies.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url))

export function buildSdk(outDir = `${ROOT}dist`): void {
  rmSync(outDir, { recursive: true, force: true })
  const build = (format: 'esm' | 'cjs', module: string) =>
    execFileSync(
      process.execPath,
      [
        tsc,
        '-p',
        `${ROOT}tsconfig.build.json`,
        '--outDir',
        `${outDir}/${format}`,
        '--module',
        module,
        ...(module === 'commonjs' ? ['--moduleResolution', 'node10', '--verbatimModuleSyntax', 'false'] : []),
      ],
      { stdio: 'inherit' },
    )
  build('esm', 'nodenext')
  writeFileSync(`${outDir}/esm/package.json`, '{ "type": "module" }\n')
  build('cjs', 'commonjs')
  writeFileSync(`${outDir}/cjs/package.json`, '{ "type": "commonjs" }\n')
}

if (import.meta.url === `file://${process.argv[1]}`) buildSdk()
