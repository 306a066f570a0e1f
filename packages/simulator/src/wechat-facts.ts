// The one import from the wechat package: shared facts (paths), never its logic.
export { WECHAT_PATHS } from '@wxpush/wechat/facts'
