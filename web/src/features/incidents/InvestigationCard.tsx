import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../lib/format';

/** The written findings of an investigation, as GET/PUT /api/incidents/:id/investigation hold them. */
export const INVESTIGATION_FIELDS = ['investigators', 'consequences', 'rootCause', 'leakSource', 'actors', 'measuresEffectiveness', 'lessons', 'preventiveMeasures', 'reportedTo', 'conclusion'] as const;
type Field = (typeof INVESTIGATION_FIELDS)[number];
export type Investigation = Record<Field, string> & { updatedAt: string | null };

const investigationKey = (incidentId: string) => ['incidents', incidentId, 'investigation'] as const;

/**
 * 事件调查: the investigation report's own fields (consequences, root cause, leak source and who acted, measures and
 * their effectiveness, lessons, preventive measures, to whom it was reported …). Scope, times and handling come from
 * the incident and its timeline. Editable with incident.write, read-only otherwise.
 */
export function InvestigationCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const canWrite = can('incident.write');
  const [form] = Form.useForm<Record<Field, string>>();
  const query = useQuery({ queryKey: investigationKey(incidentId), queryFn: () => api<Investigation>(`/incidents/${incidentId}/investigation`) });
  const save = useMutation({
    mutationFn: (values: Record<Field, string>) =>
      api<Investigation>(`/incidents/${incidentId}/investigation`, { method: 'PUT', body: Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, (values[f] ?? '').trim()])) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(investigationKey(incidentId), saved);
      message.success(t('investigation.saved'));
    },
  });

  useEffect(() => {
    if (query.data) form.setFieldsValue(query.data);
  }, [query.data, form]);

  return (
    <Card
      variant="borderless"
      size="small"
      title={t('investigation.title')}
      style={{ marginTop: 16 }}
      loading={!query.data && !query.isError}
      data-testid="investigation-card"
      extra={
        query.data?.updatedAt && (
          <Typography.Text type="secondary" data-testid="investigation-updated">
            {t('investigation.updatedAt', { time: formatDateTime(query.data.updatedAt) })}
          </Typography.Text>
        )
      }
    >
      {query.isError && <Alert type="error" showIcon title={errorText(query.error)} />}
      {query.data && (
        <>
          <Typography.Paragraph type="secondary">{t('investigation.hint')}</Typography.Paragraph>
          {canWrite ? (
            <Form<Record<Field, string>> form={form} name="investigation" layout="vertical" initialValues={query.data} onFinish={(v) => save.mutate(v)}>
              {save.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(save.error)} data-testid="investigation-error" />}
              <Row gutter={16}>
                {INVESTIGATION_FIELDS.map((f) => (
                  <Col xs={24} xl={12} key={f}>
                    <Form.Item name={f} label={t(`investigation.fields.${f}`)} extra={t(`investigation.hints.${f}`)}>
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 12 }} maxLength={20000} data-testid={`investigation-${f}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="investigation-save">
                {t('common.save')}
              </Button>
            </Form>
          ) : (
            <Descriptions
              column={1}
              size="small"
              bordered
              data-testid="investigation-readonly"
              items={INVESTIGATION_FIELDS.map((f) => ({
                key: f,
                label: t(`investigation.fields.${f}`),
                children: (
                  <span className="fd-multiline" data-testid={`investigation-value-${f}`}>
                    {query.data[f] || '—'}
                  </span>
                ),
              }))}
            />
          )}
        </>
      )}
    </Card>
  );
}
