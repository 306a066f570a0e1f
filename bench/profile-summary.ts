// npx tsx bench/profile-summary.ts <file.cpuprofile> [top]
// Self time by function and by package from a V8 CPU profile (node --cpu-prof).
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}
const top = Number(process.argv[3] ?? 25)
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const total = [...self.values()].reduce((a, b) => a + b, 0)

const group = (key: (n: Node) => string) => {
  const m = new Map<string, number>()
  for (const [id, us] of self) {
    const n = byId.get(id)!
    m.set(key(n), (m.get(key(n)) ?? 0) + us)
  }
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
}
const pkg = (n: Node) => {
  const u = n.callFrame.url
  if (!u) return `(${n.callFrame.functionName || 'native'})`
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)
  if (m) return m[1]!
  if (u.startsWith('node:')) return u
  const w = /packages\/(\w+)\/src\/(.+)$/.exec(u)
  return w ? `@wxpush/${w[1]}/${w[2]}` : u
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`.padStart(6)
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`)
console.log('\nby package / file:')
for (const [k, us] of group(pkg)) console.log(`${pct(us)}  ${k}`)
console.log('\nby function:')
for (const [k, us] of group(
  (n) => `${n.callFrame.functionName || '(anonymous)'}  ${pkg(n)}:${n.callFrame.lineNumber + 1}`,
))
  console.log(`${pct(us)}  ${k}`)
