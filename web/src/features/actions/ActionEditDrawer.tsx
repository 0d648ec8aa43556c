import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDrawer } from '../../components/FormDrawer';
import { personLabel, useActivePeople } from '../org/api';
import { ACTION_PRIORITIES, actionKeys, updateAction, type ActionPriority, type CorrectiveAction } from './api';

interface EditValues {
  title: string;
  description?: string;
  ownerPersonId: string;
  dueDate: Dayjs;
  priority: ActionPriority;
}

/** Edits what a corrective action is, who owns it, when it is due and how urgent it is (PATCH). */
export function ActionEditDrawer({ action, onClose }: { action: CorrectiveAction | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditValues>();
  const people = useActivePeople();

  useEffect(() => {
    if (action) {
      form.setFieldsValue({ title: action.title, description: action.description, ownerPersonId: action.owner.personId, dueDate: dayjs(action.dueDate), priority: action.priority });
    }
  }, [action, form]);

  const save = useMutation({
    mutationFn: (v: EditValues) =>
      updateAction(action!.id, { title: v.title.trim(), description: (v.description ?? '').trim(), ownerPersonId: v.ownerPersonId, dueDate: v.dueDate.format('YYYY-MM-DD'), priority: v.priority }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: actionKeys.all });
      onClose();
    },
  });

  const options = (people.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }));
  // An owner since archived stays selectable (by name) so the form does not show a bare id.
  if (action && !options.some((o) => o.value === action.owner.personId)) options.unshift({ value: action.owner.personId, label: action.owner.name });

  return (
    <FormDrawer
      title={t('actions.edit')}
      open={action !== null}
      onClose={onClose}
      size={480}
      onSave={() => form.submit()}
      saving={save.isPending}
      saveTestId="action-edit-ok"
      error={save.error}
      onHidden={() => save.reset()}
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="action-edit-form">
        <Form.Item name="title" label={t('actions.fields.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={300} data-testid="action-edit-title" />
        </Form.Item>
        <Form.Item name="description" label={t('actions.fields.description')}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="action-edit-description" />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={t('actions.fields.owner')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={people.isPending} data-testid="action-edit-owner" options={options} />
        </Form.Item>
        <Form.Item name="dueDate" label={t('actions.fields.dueDate')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} data-testid="action-edit-due" />
        </Form.Item>
        <Form.Item name="priority" label={t('actions.fields.priority')}>
          <Select data-testid="action-edit-priority" options={ACTION_PRIORITIES.map((p) => ({ value: p, label: t(`actions.priorities.${p}`) }))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
