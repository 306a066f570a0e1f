"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.WxpushError = void 0;
exports.createWxpush = createWxpush;
// @wxpush/miniprogram: the mini program half of wxpush. It logs in (wx.login → POST /v1/auth/login),
// asks for consent from a tap and reports every answer and failure (POST /v1/consents), reports the
// user's subscription settings (PUT /v1/me/settings), and reads credits (GET /v1/me/templates).
// ES2015, no runtime dependencies, the global `wx` only.
const errors_1 = require("./errors");
const subscribe_1 = require("./subscribe");
const wx_calls_1 = require("./wx-calls");
var errors_2 = require("./errors");
Object.defineProperty(exports, "WxpushError", { enumerable: true, get: function () { return errors_2.WxpushError; } });
function createWxpush(options) {
    var _a, _b;
    const base = options.baseUrl.replace(/\/+$/, '');
    const perCall = (_a = options.idsPerCall) !== null && _a !== void 0 ? _a : 3;
    const sessionKey = `wxpush:session:${options.appId}`;
    const templatesKey = `wxpush:templates:${options.appId}`;
    let templates = (_b = readStorage(templatesKey)) !== null && _b !== void 0 ? _b : [];
    function readStorage(key) {
        try {
            const v = wx.getStorageSync(key);
            return v === '' || v === undefined || v === null ? undefined : v;
        }
        catch (_e) {
            // ES2015 has no catch without a binding; storage that cannot be read holds nothing for us.
            return undefined;
        }
    }
    function serverError(statusCode, data) {
        var _a, _b;
        const e = data === null || data === void 0 ? void 0 : data.error;
        const message = (_a = e === null || e === void 0 ? void 0 : e.message) !== null && _a !== void 0 ? _a : `HTTP ${statusCode}`;
        return new errors_1.WxpushError(Object.assign({ code: (_b = e === null || e === void 0 ? void 0 : e.code) !== null && _b !== void 0 ? _b : 'miniprogram.http_error', zh: message, en: message, status: statusCode }, ((e === null || e === void 0 ? void 0 : e.details) ? { details: e.details } : {})));
    }
    function login() {
        return __awaiter(this, void 0, void 0, function* () {
            yield loginOnly(true);
            yield loadTemplates();
            const s = readStorage(sessionKey);
            return { userId: s.userId, expiresAt: s.expiresAt };
        });
    }
    /** A call with the session; on 401 logs in again once, and a second 401 surfaces. */
    function call(method, path, data) {
        return __awaiter(this, void 0, void 0, function* () {
            let session = readStorage(sessionKey);
            for (let attempt = 0;; attempt++) {
                if (!session) {
                    yield loginOnly();
                    session = readStorage(sessionKey);
                }
                const r = yield (0, wx_calls_1.wxRequest)(Object.assign({ url: base + path, method, token: session === null || session === void 0 ? void 0 : session.token }, (data ? { data } : {})));
                if (r.statusCode === 401 && attempt === 0) {
                    wx.removeStorageSync(sessionKey);
                    session = undefined;
                    continue;
                }
                if (r.statusCode < 200 || r.statusCode >= 300)
                    throw serverError(r.statusCode, r.data);
                return r.data;
            }
        });
    }
    // wx.login → POST /v1/auth/login → the session in storage. Concurrent callers share one login;
    // `fresh` starts a new one even when a session is stored.
    let loggingIn;
    function loginOnly(fresh = false) {
        if (fresh || !loggingIn)
            loggingIn = (() => __awaiter(this, void 0, void 0, function* () {
                var _a;
                let code;
                try {
                    code = yield (0, wx_calls_1.wxLogin)();
                }
                catch (e) {
                    throw (0, errors_1.wxCallFailed)('wx.login', (_a = e.errMsg) !== null && _a !== void 0 ? _a : String(e));
                }
                const r = yield (0, wx_calls_1.wxRequest)({
                    url: `${base}/v1/auth/login`,
                    method: 'POST',
                    data: { appId: options.appId, code },
                });
                if (r.statusCode !== 200)
                    throw serverError(r.statusCode, r.data);
                const s = r.data;
                wx.setStorageSync(sessionKey, { token: s.token, userId: s.userId, expiresAt: s.expiresAt });
            }))().then((v) => ((loggingIn = undefined), v), (e) => {
                loggingIn = undefined;
                throw e;
            });
        return loggingIn;
    }
    function loadTemplates() {
        return __awaiter(this, void 0, void 0, function* () {
            templates = (yield call('GET', '/v1/me/templates'));
            wx.setStorageSync(templatesKey, templates);
            return templates;
        });
    }
    function find(ref) {
        for (const t of templates)
            if (t.alias === ref || t.id === ref)
                return t;
        return undefined;
    }
    function creditsByName(list) {
        var _a;
        const out = {};
        for (const t of list)
            out[(_a = t.alias) !== null && _a !== void 0 ? _a : t.id] = t.credits;
        return out;
    }
    /** Every call's outcome to the server: answers as `results`, a failure as `fail`. */
    function report(o) {
        if (o.answers)
            return call('POST', '/v1/consents', { results: o.answers });
        if (o.fail && o.fail.errCode !== undefined)
            return call('POST', '/v1/consents', {
                fail: { errCode: o.fail.errCode, errMsg: o.fail.errMsg, templates: o.tmplIds },
            });
        return Promise.resolve();
    }
    return {
        login,
        subscribe(refs) {
            const list = typeof refs === 'string' ? [refs] : refs;
            const wanted = [];
            for (const ref of list) {
                const t = find(ref);
                if (!t)
                    return Promise.reject((0, errors_1.unknownTemplate)(ref));
                wanted.push(t);
            }
            const nameOf = {};
            for (let i = 0; i < list.length; i++)
                nameOf[wanted[i].id] = list[i];
            // Synchronous from here to the first wx.requestSubscribeMessage: the tap must still be on.
            const reports = [];
            let tapError;
            const done = (0, subscribe_1.requestInTap)((0, subscribe_1.splitCalls)(wanted, perCall), (o) => {
                if (o.fail && (0, subscribe_1.isTapError)(o.fail.errMsg))
                    tapError = o.fail.errMsg;
                else
                    reports.push(report(o));
            });
            return done.then((outcomes) => __awaiter(this, void 0, void 0, function* () {
                var _a, _b, _c, _d;
                yield Promise.all(reports);
                if (tapError !== undefined && outcomes.every((o) => o.fail && (0, subscribe_1.isTapError)(o.fail.errMsg)))
                    throw (0, errors_1.notInTap)(tapError);
                const results = [];
                for (const o of outcomes)
                    for (const id of o.tmplIds) {
                        const answer = (_a = o.answers) === null || _a === void 0 ? void 0 : _a[id];
                        results.push(answer
                            ? { template: (_b = nameOf[id]) !== null && _b !== void 0 ? _b : id, id, result: answer }
                            : Object.assign(Object.assign({ template: (_c = nameOf[id]) !== null && _c !== void 0 ? _c : id, id, result: 'fail' }, (((_d = o.fail) === null || _d === void 0 ? void 0 : _d.errCode) === undefined ? {} : { errCode: o.fail.errCode })), (o.fail ? { errMsg: o.fail.errMsg } : {})));
                    }
                return { results, credits: creditsByName(yield loadTemplates()) };
            }));
        },
        syncSettings() {
            return __awaiter(this, void 0, void 0, function* () {
                var _a, _b;
                let s;
                try {
                    s = yield (0, wx_calls_1.wxGetSubscriptionsSetting)();
                }
                catch (e) {
                    throw (0, errors_1.wxCallFailed)('wx.getSetting', (_a = e.errMsg) !== null && _a !== void 0 ? _a : String(e));
                }
                const answer = (yield call('PUT', '/v1/me/settings', {
                    mainSwitch: s.mainSwitch,
                    itemSettings: (_b = s.itemSettings) !== null && _b !== void 0 ? _b : {},
                }));
                yield loadTemplates();
                return { mainSwitch: answer.mainSwitch, itemSettings: answer.itemSettings };
            });
        },
        needsConsent(ref) {
            return __awaiter(this, void 0, void 0, function* () {
                yield loadTemplates();
                const t = find(ref);
                if (!t)
                    throw (0, errors_1.unknownTemplate)(ref);
                return t.credits <= 0;
            });
        },
        credits() {
            return __awaiter(this, void 0, void 0, function* () {
                return creditsByName(yield loadTemplates());
            });
        },
        templates: () => templates.slice(),
    };
}
