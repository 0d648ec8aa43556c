import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';

/** The company as every report names it (GET/PUT /api/company). */
export interface CompanyProfile {
  name: string;
  nameEn: string;
  department: string;
}

export const companyKeys = { profile: ['company'] as const };

export function useCompanyProfile() {
  return useQuery({ queryKey: companyKeys.profile, queryFn: () => api<CompanyProfile>('/company') });
}

const FIELDS = ['name', 'nameEn', 'department'] as const;

/** 单位信息: the company's name (Chinese and English) and department, heading every report. Administrators edit it. */
export function CompanyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const profile = useCompanyProfile();
  const [form] = Form.useForm<CompanyProfile>();
  const canWrite = can('settings.write');
  const values = Form.useWatch([], form) as CompanyProfile | undefined;
  const save = useMutation({
    mutationFn: (body: CompanyProfile) => api<CompanyProfile>('/company', { method: 'PUT', body: { name: body.name.trim(), nameEn: body.nameEn.trim(), department: body.department.trim() } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(companyKeys.profile, saved);
      form.setFieldsValue(saved);
      message.success(t('common.saved'));
    },
  });

  return (
    <PageContainer testId="company-page" title={t('company.title')} description={t('company.description')} card={false}>
      {profile.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(profile.error)} />}
      {!profile.data ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card variant="borderless" title={t('company.formTitle')}>
              {save.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(save.error)} data-testid="company-error" />}
              <Form<CompanyProfile> form={form} name="company" layout="vertical" initialValues={profile.data} disabled={!canWrite} onFinish={(v) => save.mutate(v)}>
                {FIELDS.map((f) => (
                  <Form.Item
                    key={f}
                    name={f}
                    label={t(`company.fields.${f}`)}
                    extra={t(`company.hints.${f}`)}
                    rules={f === 'name' ? [{ required: true, whitespace: true, message: t('validation.required', { field: t('company.fields.name') }) }] : []}
                  >
                    <Input maxLength={200} data-testid={`company-${f}`} />
                  </Form.Item>
                ))}
                {canWrite && (
                  <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="company-save">
                    {t('common.save')}
                  </Button>
                )}
              </Form>
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card variant="borderless" title={t('company.previewTitle')} data-testid="company-preview">
              <Descriptions
                column={1}
                size="small"
                items={FIELDS.map((f) => ({
                  key: f,
                  label: t(`company.fields.${f}`),
                  children: <span data-testid={`company-saved-${f}`}>{profile.data[f] || '—'}</span>,
                }))}
              />
              {values && (values.name ?? '') !== profile.data.name && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('company.unsaved')} />}
            </Card>
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}
