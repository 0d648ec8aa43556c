import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Form, Input, Modal, Select, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client';
import { INJECT_CHANNELS, type Drill, type Inject, type InjectBody } from '../../api/types';
import { useDrillTime } from '../timeline/DrillClock';
import { formatClock, formatCountdown } from '../timeline/live';
import { channelIcon } from '../timeline/meta';
import { addInject } from './api';

interface Props {
  drill: Drill & { fetchedAt: number };
  canFire: boolean;
  onFire: (injectId: string) => Promise<void>;
  onAdded: () => void;
}

function InjectRow({ inject, drillNow, canFire, onFire }: { inject: Inject; drillNow: number; canFire: boolean; onFire: (id: string) => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const due = inject.offsetMs !== null ? inject.offsetMs - drillNow : null;
  return (
    <div className="fd-inject-row" data-testid="upcoming-inject" data-key={inject.key}>
      <Flex justify="space-between" align="flex-start" gap={8}>
        <div style={{ minWidth: 0, flex: 1 }}>
          <Flex gap={6} align="center" wrap>
            <Typography.Text strong className="fd-mono" style={{ fontSize: 13 }}>
              {inject.offsetMs !== null ? `T+${formatClock(inject.offsetMs)}` : t('inject.manual')}
            </Typography.Text>
            {due !== null && (
              <Tag color={due <= 60_000 ? 'red' : due <= 5 * 60_000 ? 'orange' : 'default'} className="fd-mono" data-testid="inject-countdown">
                {due > 0 ? t('inject.in', { time: formatCountdown(due) }) : t('inject.dueNow')}
              </Tag>
            )}
            {inject.marksDetection && <Tag color="red">{t('inject.marksDetection')}</Tag>}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {channelIcon(inject.channel)} {t(`injectChannels.${inject.channel}`, { defaultValue: inject.channel })} · {inject.sender} →{' '}
            {inject.recipients.map((r) => t(`drillRoles.${r}`, { defaultValue: r })).join('、')}
          </Typography.Text>
          <Typography.Paragraph ellipsis={{ rows: 2, tooltip: inject.content }} style={{ marginBottom: 0 }}>
            {inject.content}
          </Typography.Paragraph>
        </div>
        {canFire && (
          <Button
            type="primary"
            danger
            size="small"
            icon={<SendOutlined />}
            loading={busy}
            data-testid="inject-fire"
            onClick={async () => {
              setBusy(true);
              try {
                await onFire(inject.id);
                message.success(t('inject.fired', { key: inject.key }));
              } catch (error) {
                message.error(errorText(error));
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('inject.fireNow')}
          </Button>
        )}
      </Flex>
    </div>
  );
}

type AddValues = { content: string; sender: string; channel: InjectBody['channel']; recipients: InjectBody['recipients']; marksDetection: boolean; offsetMinutes?: number };

/** A manual inject, delivered now (or at a drill-time offset). */
function AddInjectModal({ drillId, open, onClose, onAdded }: { drillId: string; open: boolean; onClose: () => void; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={t('inject.addTitle')}
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText={t('inject.addOk')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'inject-add-ok' } as never}
    >
      <Form<AddValues>
        form={form}
        layout="vertical"
        name="inject"
        initialValues={{ channel: 'phone', recipients: ['responder'], marksDetection: false, sender: t('inject.defaultSender') }}
        onFinish={async (values) => {
          setBusy(true);
          try {
            await addInject(drillId, {
              key: `manual-${Date.now().toString(36)}`,
              offsetMinutes: values.offsetMinutes ?? null,
              channel: values.channel,
              sender: values.sender.trim(),
              recipients: values.recipients,
              content: values.content.trim(),
              expectedActions: [],
              marksDetection: values.marksDetection,
            });
            message.success(t('common.created'));
            onAdded();
            onClose();
          } catch (error) {
            message.error(errorText(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="content" label={t('inject.content')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('inject.content') }) }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} autoFocus />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="channel" label={t('inject.channel')} style={{ flex: 1 }}>
            <Select options={INJECT_CHANNELS.map((c) => ({ value: c, label: t(`injectChannels.${c}`) }))} />
          </Form.Item>
          <Form.Item name="sender" label={t('inject.sender')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="recipients" label={t('inject.recipients')} rules={[{ required: true }]}>
          <Select mode="multiple" options={(['responder', 'observer', 'coordinator', 'all'] as const).map((r) => ({ value: r, label: t(`drillRoles.${r}`) }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="offsetMinutes" label={t('inject.offsetOptional')} style={{ flex: 1 }} extra={t('inject.offsetHelp')}>
            <Input type="number" min={0} />
          </Form.Item>
          <Form.Item name="marksDetection" label={t('inject.marksDetection')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** The injects still to come, soonest first, each with its countdown and "fire now". */
export function InjectQueue({ drill, canFire, onFire, onAdded }: Props) {
  const { t } = useTranslation();
  const drillNow = useDrillTime(drill.drillTimeMs, drill.fetchedAt, drill.status);
  const [adding, setAdding] = useState(false);
  const pending = drill.injects
    .filter((i) => i.status === 'pending')
    .sort((a, b) => (a.offsetMs ?? Number.MAX_SAFE_INTEGER) - (b.offsetMs ?? Number.MAX_SAFE_INTEGER));
  const delivered = drill.injects.filter((i) => i.status === 'delivered').length;
  return (
    <div data-testid="inject-queue">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('inject.progress', { delivered, total: drill.injects.length })}</Typography.Text>
        {canFire && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="inject-add">
            {t('inject.add')}
          </Button>
        )}
      </Flex>
      {pending.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inject.noneLeft')} />
      ) : (
        pending.map((inject) => <InjectRow key={inject.id} inject={inject} drillNow={drillNow} canFire={canFire} onFire={onFire} />)
      )}
      <AddInjectModal drillId={drill.id} open={adding} onClose={() => setAdding(false)} onAdded={onAdded} />
    </div>
  );
}
