"use strict";
// One error type for everything the SDK refuses or the server answers: a stable code, the HTTP
// status when the server answered, and zh-CN / English text.
Object.defineProperty(exports, "__esModule", { value: true });
exports.WxpushError = void 0;
exports.notInTap = notInTap;
exports.unknownTemplate = unknownTemplate;
exports.wxCallFailed = wxCallFailed;
class WxpushError extends Error {
    constructor(p) {
        super(`${p.code}: ${p.zh} / ${p.en}`);
        this.name = 'WxpushError';
        this.code = p.code;
        this.status = p.status;
        this.details = p.details;
        this.zh = p.zh;
        this.en = p.en;
    }
}
exports.WxpushError = WxpushError;
/** wx.requestSubscribeMessage was not called from a tap: WeChat shows no popup outside one. */
function notInTap(errMsg) {
    return new WxpushError({
        code: 'miniprogram.not_in_tap',
        zh: 'wx.requestSubscribeMessage 只能在用户点击（bindtap）的处理函数中同步调用：请在按钮的点击回调里直接调用 wxpush.subscribe()，调用前不要 await',
        en: 'wx.requestSubscribeMessage only works when called from a tap handler: call wxpush.subscribe() directly in the button’s bindtap handler, with no await before it',
        details: { errMsg },
    });
}
function unknownTemplate(template) {
    return new WxpushError({
        code: 'miniprogram.unknown_template',
        zh: '未知的模板别名或 ID：请先 await wxpush.login()（它会加载本小程序的模板列表），并确认模板已同步到 wxpush',
        en: 'Unknown template alias or id: await wxpush.login() first (it loads the app’s templates) and check the template is synced to wxpush',
        details: { template },
    });
}
function wxCallFailed(api, errMsg, errCode) {
    return new WxpushError({
        code: 'miniprogram.wx_failed',
        zh: `${api} 调用失败`,
        en: `${api} failed`,
        details: Object.assign({ errMsg }, (errCode === undefined ? {} : { errCode })),
    });
}
