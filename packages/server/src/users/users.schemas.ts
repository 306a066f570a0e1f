// The answers of the users routes. Only the fields listed here can reach a client.
import { Type } from 'typebox'

const Time = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([Time, Type.Null()])

export const SessionView = Type.Object({
  token: Type.String({
    description: '会话令牌，用于小程序的请求 / session token for the mini program’s calls',
  }),
  userId: Type.String(),
  openid: Type.String(),
  expiresAt: Time,
})

export const UserView = Type.Object({
  id: Type.String(),
  openid: Type.String(),
  unionid: Type.Optional(Type.String()),
  createdAt: Time,
  lastLoginAt: NullableTime,
})

export const UserWithSettingsView = Type.Object({
  ...UserView.properties,
  subscriptions: Type.Union(
    [
      Type.Object({
        mainSwitch: Type.Boolean(),
        itemSettings: Type.Record(Type.String(), Type.String()),
        updatedAt: Time,
      }),
      Type.Null(),
    ],
    {
      description:
        '小程序最近一次上报的 wx.getSetting 结果；null：从未上报 / what wx.getSetting last showed; null: never reported',
    },
  ),
})

export const TaggedUsersView = Type.Object({
  items: Type.Array(Type.Object({ ...UserView.properties, tags: Type.Array(Type.String()) })),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})

export const FindUsersView = Type.Union([UserView, TaggedUsersView], {
  description:
    '?openid= 答复一个用户；?tag= 答复一页带该标签的用户 / ?openid= answers one user; ?tag= a page of the users with that tag',
})

export const UserTagsView = Type.Object({ id: Type.String(), tags: Type.Array(Type.String()) })

export const UserConsentsView = Type.Array(
  Type.Object({
    template: Type.String(),
    alias: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    kind: Type.Union([Type.Literal('one_time'), Type.Literal('long_term')]),
    credits: Type.Integer({ description: '剩余可发次数 / sends left' }),
    reported: Type.Integer(),
    confirmed: Type.Integer(),
    used: Type.Integer(),
    status: Type.String(),
    source: Type.String(),
    updatedAt: Time,
    unconfirmedUntil: NullableTime,
    always: Type.Union([Type.String(), Type.Null()]),
    switchedOff: Type.Union([Type.String(), Type.Null()]),
  }),
)
