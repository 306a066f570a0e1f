"use strict";
// Asking for consent. WeChat opens the popup only when wx.requestSubscribeMessage is called from a
// tap, so this module calls it synchronously: no await, no request before it. A list longer than
// one call allows is split into calls of the same kind (one-time and long-term ids cannot be mixed:
// 20002), each started from the previous call's callback, inside the same tap.
Object.defineProperty(exports, "__esModule", { value: true });
exports.splitCalls = splitCalls;
exports.requestInTap = requestInTap;
exports.isTapError = isTapError;
const ANSWERS = [
    'accept',
    'acceptWithAudio',
    'acceptWithAlert',
    'acceptWithForcePush',
    'reject',
    'ban',
    'filter',
];
/** Splits ids into calls of at most `perCall`, never mixing kinds. */
function splitCalls(ids, perCall) {
    const calls = [];
    for (const kind of ['one_time', 'long_term']) {
        const same = ids.filter((t) => t.kind === kind).map((t) => t.id);
        for (let i = 0; i < same.length; i += perCall)
            calls.push(same.slice(i, i + perCall));
    }
    return calls;
}
/**
 * Runs the calls one after another: the first right now (synchronously, inside the caller's tap),
 * each next one from the previous one's `complete` callback. `onCall` hears each outcome as it
 * comes; the promise resolves with all of them.
 */
function requestInTap(calls, onCall) {
    return new Promise((resolve) => {
        const outcomes = [];
        const next = (i) => {
            const tmplIds = calls[i];
            if (!tmplIds)
                return resolve(outcomes);
            let outcome = { tmplIds, fail: { errMsg: 'requestSubscribeMessage:fail no answer' } };
            wx.requestSubscribeMessage({
                tmplIds,
                success: (r) => {
                    const answers = {};
                    const raw = r;
                    for (const id of tmplIds) {
                        const a = raw[id];
                        if (a !== undefined && ANSWERS.indexOf(a) >= 0)
                            answers[id] = a;
                    }
                    outcome = { tmplIds, answers };
                },
                fail: (e) => {
                    var _a;
                    const f = e;
                    outcome = {
                        tmplIds,
                        fail: Object.assign({ errMsg: (_a = f.errMsg) !== null && _a !== void 0 ? _a : '' }, (typeof f.errCode === 'number' ? { errCode: f.errCode } : {})),
                    };
                },
                complete: () => {
                    outcomes.push(outcome);
                    onCall(outcome);
                    next(i + 1);
                },
            });
        };
        next(0);
    });
}
/** WeChat's text for a call made outside a tap (its errCode is not documented). */
function isTapError(errMsg) {
    return /TAP gesture/i.test(errMsg);
}
