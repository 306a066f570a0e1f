// @wxpush/simulator: an offline stand-in for WeChat's Mini Program server API, with a control API.
export { createSimulator } from './simulator.ts'
export type { Simulator, SimulatorOptions } from './simulator.ts'
export { runSimulatorCli } from './cli.ts'
export { World } from './world.ts'
export type {
  App,
  User,
  Template,
  Keyword,
  InboxItem,
  CallbackConfig,
  CallbackMode,
  CallbackFormat,
} from './world.ts'
export type { Limits } from './context.ts'
export { DEFAULT_LIMITS } from './context.ts'
export type { FaultInput, FaultRule } from './faults.ts'
export { DEMO_TEMPLATES, PUBLIC_TITLES } from './wechat-api/public-library.ts'
// The simulator's own keyword rule check: exported so that a test can hold it against the client's.
export { checkValue as checkKeywordValue } from './content-rules.ts'
