import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CallbackParseError, parseCallbackBody } from './body.ts'
import { toCallbackEvent } from './events.ts'

const event = (body: string, contentType?: string) =>
  toCallbackEvent(parseCallbackBody(contentType === undefined ? { body } : { body, contentType }))

// The official samples (docs/wechat.md §6.6), XML and JSON.
const POPUP_XML = `<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8_4]]></FromUserName>
<CreateTime>1610969440</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_popup_event]]></Event>
<SubscribeMsgPopupEvent>
  <List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List>
  <List><TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>2</PopupScene></List>
</SubscribeMsgPopupEvent></xml>`
const POPUP_JSON =
  '{"ToUserName":"gh_123456789abc","FromUserName":"otFpruAK8D-E6EfStSYonYSBZ8_4","CreateTime":1610969440,"MsgType":"event","Event":"subscribe_msg_popup_event","List":{"TemplateId":"VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc","SubscribeStatusString":"accept","PopupScene":"0"}}'
const CHANGE_XML = `<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8_4]]></FromUserName>
<CreateTime>1610969440</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_change_event]]></Event>
<SubscribeMsgChangeEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
<SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List></SubscribeMsgChangeEvent></xml>`
const CHANGE_JSON =
  '{"ToUserName":"gh_123456789abc","FromUserName":"o7esq5OI1Uej6Xixw1lA2H7XDVbc","CreateTime":1610968440,"MsgType":"event","Event":"subscribe_msg_change_event","List":{"TemplateId":"BEwX0BOT3MqK3Uc5oTU3CGBqzjpndk2jzUf7VfExd8","SubscribeStatusString":"reject"}}'
const SENT_XML = `<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8_4]]></FromUserName>
<CreateTime>1610969468</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event>
<SubscribeMsgSentEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
<MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List></SubscribeMsgSentEvent></xml>`
const SENT_JSON =
  '{"ToUserName":"gh_123456789abc","FromUserName":"o7esq5PHRGBQYmeNyfG064wEFVpQ","CreateTime":"1620963428","MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"BEwX0BO-T3MqK3Uc5oTU3CGBqzjpndk2jzUf7VfExd8","MsgID":"1864323726461255680","ErrorCode":"0","ErrorStatus":"success"}}'

describe('toCallbackEvent', () => {
  it('reads the XML popup event with two templates', () => {
    expect(event(POPUP_XML, 'text/xml')).toEqual({
      type: 'subscribe_msg_popup_event',
      toUserName: 'gh_123456789abc',
      openid: 'otFpruAK8D-E6EfStSYonYSBZ8_4',
      createTime: 1610969440,
      items: [
        { templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', status: 'accept', popupScene: '2' },
        { templateId: '9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI', status: 'reject', popupScene: '2' },
      ],
    })
  })

  it('reads the JSON popup event whose top-level List is one object', () => {
    const e = event(POPUP_JSON, 'application/json')
    expect(e.type === 'subscribe_msg_popup_event' && e.items).toEqual([
      { templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', status: 'accept', popupScene: '0' },
    ])
  })

  it('reads a JSON popup event whose List is an array, and the older SubscribeMsgPopupEvent array', () => {
    const items = [
      { TemplateId: 'a', SubscribeStatusString: 'accept', PopupScene: 0 },
      { TemplateId: 'b', SubscribeStatusString: 'acceptWithAudio' },
    ]
    const base = {
      ToUserName: 'gh_1',
      FromUserName: 'o1',
      CreateTime: '1',
      MsgType: 'event',
      Event: 'subscribe_msg_popup_event',
    }
    const expected = [
      { templateId: 'a', status: 'accept', popupScene: '0' },
      { templateId: 'b', status: 'acceptWithAudio' },
    ]
    const current = event(JSON.stringify({ ...base, List: items }))
    const older = event(JSON.stringify({ ...base, SubscribeMsgPopupEvent: items }))
    expect(current.type === 'subscribe_msg_popup_event' && current.items).toEqual(expected)
    expect(older.type === 'subscribe_msg_popup_event' && older.items).toEqual(expected)
  })

  it('reads the change event in XML and in JSON', () => {
    const xml = event(CHANGE_XML)
    const json = event(CHANGE_JSON)
    expect(xml.type === 'subscribe_msg_change_event' && xml.items).toEqual([
      { templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', status: 'reject' },
    ])
    expect(json).toMatchObject({
      type: 'subscribe_msg_change_event',
      openid: 'o7esq5OI1Uej6Xixw1lA2H7XDVbc',
      createTime: 1610968440,
    })
  })

  it('reads the sent event in XML and JSON with the MsgID kept as an exact string', () => {
    const xml = event(SENT_XML)
    const json = event(SENT_JSON)
    expect(xml.type === 'subscribe_msg_sent_event' && xml.items).toEqual([
      {
        templateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc',
        msgId: '1700827132819554304',
        errorCode: 0,
        errorStatus: 'success',
      },
    ])
    expect(json).toMatchObject({ type: 'subscribe_msg_sent_event', createTime: 1620963428 })
    expect(json.type === 'subscribe_msg_sent_event' && json.items[0]?.msgId).toBe('1864323726461255680')
    const bare = event(SENT_JSON.replace('"MsgID":"1864323726461255680"', '"MsgID":1864323726461255680'))
    expect(bare.type === 'subscribe_msg_sent_event' && bare.items[0]?.msgId).toBe('1864323726461255680')
  })

  it('reads a customer-service text message with a 64-bit MsgId', () => {
    const json =
      '{"ToUserName":"toUser","FromUserName":"fromUser","CreateTime":1482048670,"MsgType":"text","Content":"this is a test","MsgId":12345678901234567890}'
    expect(event(json)).toEqual({
      type: 'user_message',
      toUserName: 'toUser',
      openid: 'fromUser',
      createTime: 1482048670,
      msgType: 'text',
      msgId: '12345678901234567890',
      content: 'this is a test',
    })
    const xml =
      '<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1482048670</CreateTime><MsgType><![CDATA[miniprogrampage]]></MsgType><MsgId>1234567890123456</MsgId><Title><![CDATA[标题]]></Title><AppId><![CDATA[wx1]]></AppId><PagePath><![CDATA[pages/index]]></PagePath></xml>'
    expect(event(xml)).toMatchObject({
      type: 'user_message',
      msgType: 'miniprogrampage',
      msgId: '1234567890123456',
      title: '标题',
      pagePath: 'pages/index',
    })
  })

  it('reads user_enter_tempsession with its SessionFrom in XML and JSON', () => {
    const json =
      '{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":"1482048670","MsgType":"event","Event":"user_enter_tempsession","SessionFrom":"order-42"}'
    const xml =
      '<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1482048670</CreateTime><MsgType>event</MsgType><Event>user_enter_tempsession</Event><SessionFrom>order-42</SessionFrom></xml>'
    for (const e of [event(json), event(xml)]) {
      expect(e).toEqual({
        type: 'user_enter_tempsession',
        toUserName: 'gh_1',
        openid: 'o1',
        createTime: 1482048670,
        sessionFrom: 'order-42',
      })
    }
  })

  it('answers unknown for an event it does not know, keeping the raw object', () => {
    const raw = {
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'o9',
      CreateTime: 1714037059,
      MsgType: 'event',
      Event: 'debug_demo',
      debug_str: 'hello world',
    }
    expect(toCallbackEvent(raw)).toMatchObject({ type: 'unknown', raw })
  })

  it('never throws on any object', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('MsgType', 'Event', 'List', 'CreateTime', 'SubscribeMsgPopupEvent', 'x'),
          fc.anything(),
        ),
        (raw) => {
          expect(typeof toCallbackEvent(raw).type).toBe('string')
        },
      ),
    )
  })
})

describe('parseCallbackBody', () => {
  it('refuses XML with a DOCTYPE or an entity declaration', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'
    expect(() => parseCallbackBody({ body: xxe, contentType: 'text/xml' })).toThrow(CallbackParseError)
    expect(() => parseCallbackBody({ body: xxe.replace('<!DOCTYPE xml ', '<!doctype xml ') })).toThrow(
      /DOCTYPE/,
    )
  })

  it('leaves entity references inert instead of expanding them', () => {
    const raw = parseCallbackBody({ body: '<xml><Content>&lt;b&gt; &amp;</Content></xml>' })
    expect(raw['Content']).toBe('&lt;b&gt; &amp;')
  })

  it('refuses bodies over the size cap, malformed JSON and non-objects', () => {
    expect(() => parseCallbackBody({ body: `{"a":"${'x'.repeat(300 * 1024)}"}` })).toThrow(
      expect.objectContaining({ code: 'too_large' }),
    )
    expect(() => parseCallbackBody({ body: '{"a":', contentType: 'application/json' })).toThrow(
      expect.objectContaining({ code: 'bad_json' }),
    )
    expect(() => parseCallbackBody({ body: '[1,2]' })).toThrow(
      expect.objectContaining({ code: 'not_an_object' }),
    )
    expect(() => parseCallbackBody({ body: '<xml><a></xml>' })).toThrow(
      expect.objectContaining({ code: 'bad_xml' }),
    )
  })

  it('reads the secure-mode envelope in both formats', () => {
    expect(
      parseCallbackBody({
        body: '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>',
      }),
    ).toEqual({
      ToUserName: 'gh_1',
      Encrypt: 'abc+/=',
    })
    expect(parseCallbackBody({ body: '{"ToUserName":"gh_1","Encrypt":"abc+/="}' })).toEqual({
      ToUserName: 'gh_1',
      Encrypt: 'abc+/=',
    })
  })
})
