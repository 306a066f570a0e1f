// One input per template keyword with its type and rule, checked as you type with @wxpush/wechat's
// own content rules (the server runs the same code on send), and a "fit" suggestion when one exists.
// Used by Compose (one user) and Campaigns (an audience): both answer to the same rules.
import { CheckCircleOutlined, WarningOutlined } from '@ant-design/icons'
import { Button, Form, Input, Select } from 'antd'
import {
  fitKeywordValue,
  typeText,
  validateKeywordValue,
  type ContentViolation,
} from '@wxpush/wechat/browser'
import { useMemo } from 'react'
import type { Template } from './api.ts'

interface Check {
  violation: ContentViolation | null
  fit: string | null
}

/** Per keyword: the rule it breaks (if any) and a fitted value; `valid` when all are filled and fit. */
export function useKeywordChecks(template: Template, values: Record<string, string>) {
  const checks = useMemo(
    () =>
      Object.fromEntries(
        template.keywords.map((k): [string, Check] => {
          const v = values[k.key] ?? ''
          if (v === '') return [k.key, { violation: null, fit: null }]
          const violation = validateKeywordValue(k, v)
          const fitted = violation ? fitKeywordValue(k, v) : null
          return [k.key, { violation, fit: fitted?.ok && fitted.value !== v ? fitted.value : null }]
        }),
      ),
    [template, values],
  )
  const complete = template.keywords.every((k) => (values[k.key] ?? '') !== '')
  const valid = complete && template.keywords.every((k) => !checks[k.key]?.violation)
  return { checks, valid }
}

export function KeywordFields(p: {
  template: Template
  values: Record<string, string>
  onChange: (values: Record<string, string>) => void
  checks: Record<string, Check>
  /** Element ids are `${idPrefix}-${key}`, so two forms on one page never share an id. */
  idPrefix: string
}) {
  const { values, onChange, checks } = p
  return (
    <>
      {p.template.keywords.map((k) => {
        const c = checks[k.key]
        const t = typeText(k.type)
        const id = `${p.idPrefix}-${k.key}`
        return (
          <Form.Item
            key={k.key}
            label={`${k.name} · ${k.key} · ${t.zh} ${t.en}`}
            htmlFor={id}
            required
            validateStatus={c?.violation ? 'error' : values[k.key] ? 'success' : ''}
            help={
              c?.violation ? (
                <span role="alert" data-rule={c.violation.rule}>
                  <WarningOutlined /> {c.violation.zh} / {c.violation.en}
                  {c.fit !== null && (
                    <Button type="link" size="small" onClick={() => onChange({ ...values, [k.key]: c.fit! })}>
                      采用建议 Use fit: “{c.fit}”
                    </Button>
                  )}
                </span>
              ) : values[k.key] ? (
                <span>
                  <CheckCircleOutlined /> 符合规则 / fits the rule
                </span>
              ) : undefined
            }
            extra={`${t.allows[0]} / ${t.allows[1]}`}
          >
            {k.enumValues?.length ? (
              <Select
                id={id}
                value={values[k.key]}
                onChange={(v: string) => onChange({ ...values, [k.key]: v })}
                options={k.enumValues.map((v) => ({ value: v, label: v }))}
              />
            ) : (
              <Input
                id={id}
                value={values[k.key] ?? ''}
                onChange={(e) => onChange({ ...values, [k.key]: e.target.value })}
                aria-invalid={c?.violation ? true : undefined}
              />
            )}
          </Form.Item>
        )
      })}
    </>
  )
}

/** The violations a refused send or campaign carries, one line each. */
export function ViolationList({ details }: { details: Record<string, unknown> }) {
  const list = (details.violations ?? []) as { key: string; zh: string; en: string }[]
  if (!list.length) return null
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {list.map((v) => (
        <li key={v.key}>
          {v.key}: {v.zh} / {v.en}
        </li>
      ))}
    </ul>
  )
}
