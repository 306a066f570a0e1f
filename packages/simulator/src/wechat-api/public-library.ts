// A small public template library (getcategory / getpubtemplatetitles / getpubtemplatekeywords),
// including the three templates wxpush's demo uses. Ids are made up; shapes are WeChat's (§5).

export interface PubKeyword {
  kid: number
  name: string
  example: string
  rule: string
}
export interface PubTitle {
  tid: number
  title: string
  type: 2 | 3
  categoryId: number
  keywords: PubKeyword[]
}

export const CATEGORIES = [
  { id: 307, name: '快递、物流' },
  { id: 616, name: '生活服务' },
  { id: 768, name: '教育信息服务' },
]

export const PUBLIC_TITLES: PubTitle[] = [
  {
    tid: 1001,
    title: '订单发货通知',
    type: 2,
    categoryId: 307,
    keywords: [
      { kid: 1, name: '商品名称', example: '无线蓝牙耳机', rule: 'thing' },
      { kid: 2, name: '快递单号', example: 'SF1234567890', rule: 'character_string' },
      { kid: 3, name: '发货时间', example: '2019年10月1日 15:01', rule: 'time' },
      { kid: 4, name: '订单状态', example: '已发货', rule: 'phrase' },
      { kid: 5, name: '订单金额', example: '¥199.00', rule: 'amount' },
    ],
  },
  {
    tid: 1002,
    title: '预约成功通知',
    type: 2,
    categoryId: 616,
    keywords: [
      { kid: 1, name: '预约人', example: '王小二', rule: 'name' },
      { kid: 2, name: '预约时间', example: '2019年10月1日 15:01', rule: 'time' },
      { kid: 3, name: '预约项目', example: '体检套餐A', rule: 'thing' },
      { kid: 4, name: '联系电话', example: '+86-0766-66888866', rule: 'phone_number' },
      { kid: 5, name: '预约人数', example: '2', rule: 'number' },
    ],
  },
  {
    tid: 1003,
    title: '课程上课提醒',
    type: 3,
    categoryId: 768,
    keywords: [
      { kid: 1, name: '课程名称', example: '初中数学', rule: 'thing' },
      { kid: 2, name: '上课时间', example: '2019年10月1日 15:01', rule: 'time' },
      { kid: 3, name: '上课地点', example: '教学楼301', rule: 'thing' },
      { kid: 4, name: '授课老师', example: '李老师', rule: 'name' },
    ],
  },
  {
    tid: 1004,
    title: '车辆进场通知',
    type: 2,
    categoryId: 616,
    keywords: [
      { kid: 1, name: '车牌号', example: '粤A8Z888挂', rule: 'car_number' },
      { kid: 2, name: '进场日期', example: '2019年10月1日', rule: 'date' },
      { kid: 3, name: '停车场', example: '一号停车场', rule: 'thing' },
    ],
  },
]

/** The three demo templates as `POST /control/apps/:appid/templates` bodies. */
export const DEMO_TEMPLATES = PUBLIC_TITLES.slice(0, 3).map((t) => ({
  tid: t.tid,
  title: t.title,
  type: t.type,
  keywords: t.keywords.map((k) => ({ key: `${k.rule}${k.kid}`, name: k.name, example: k.example })),
}))
