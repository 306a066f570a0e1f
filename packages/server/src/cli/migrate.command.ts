// `wxpush migrate`: apply pending migrations and say which.
import { loadConfig } from '../config.ts'
import { openDb } from '../db/db.ts'
import { migrate } from '../db/migrate.ts'

export async function migrateCommand(env: Record<string, string | undefined>): Promise<void> {
  const loaded = loadConfig(env)
  if (!loaded.ok) {
    console.error(loaded.errors.join('\n'))
    process.exit(1)
  }
  const c = loaded.config
  const h = await openDb({ databaseUrl: c.DATABASE_URL, dataDir: `${c.WXPUSH_DATA_DIR}/pglite` })
  try {
    const { applied } = await migrate(h.db)
    console.log(applied.length ? `已执行 / applied: ${applied.join(', ')}` : '已是最新 / up to date')
  } finally {
    await h.close()
  }
}
