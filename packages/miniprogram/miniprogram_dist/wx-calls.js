"use strict";
// The few wx.* APIs the SDK uses, as promises. `wx` is the mini program's global.
Object.defineProperty(exports, "__esModule", { value: true });
exports.wxLogin = wxLogin;
exports.wxRequest = wxRequest;
exports.wxGetSubscriptionsSetting = wxGetSubscriptionsSetting;
function wxLogin() {
    return new Promise((resolve, reject) => {
        wx.login({
            success: (r) => resolve(r.code),
            fail: (e) => reject(e),
        });
    });
}
function wxRequest(p) {
    return new Promise((resolve, reject) => {
        const header = { 'content-type': 'application/json' };
        if (p.token)
            header.authorization = `Bearer ${p.token}`;
        wx.request(Object.assign(Object.assign({ url: p.url, method: p.method, header }, (p.data === undefined ? {} : { data: p.data })), { dataType: 'json', success: (r) => resolve({ statusCode: r.statusCode, data: r.data }), fail: (e) => reject(e) }));
    });
}
function wxGetSubscriptionsSetting() {
    return new Promise((resolve, reject) => {
        wx.getSetting({
            withSubscriptions: true,
            success: (r) => {
                const s = r.subscriptionsSetting;
                // Before base library 2.10.1 there is no subscriptionsSetting: nothing is known to be off.
                resolve(s
                    ? Object.assign({ mainSwitch: s.mainSwitch }, (s.itemSettings ? { itemSettings: s.itemSettings } : {})) : { mainSwitch: true });
            },
            fail: (e) => reject(e),
        });
    });
}
