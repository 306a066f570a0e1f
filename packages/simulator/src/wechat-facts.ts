// The one import from the wechat package: shared facts (paths), never its logic.
export { RETIRED_CHANNELS, WECHAT_PATHS } from '@wxpush/wechat/facts'
