import { InboxOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client';

interface Props {
  /** e.g. /people/ID — the button posts to `${path}/archive` or `${path}/restore`. */
  path: string;
  name: string;
  archived: boolean;
  /** Query key prefix to refresh afterwards. */
  invalidate: readonly unknown[];
  testId?: string;
}

/** Archive (with confirmation) or restore one record. */
export function ArchiveButton({ path, name, archived, invalidate, testId }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => api(`${path}/${archived ? 'restore' : 'archive'}`, { method: 'POST' }),
    onSuccess: async () => {
      message.success(archived ? t('common.restoredDone') : t('common.archivedDone'));
      await queryClient.invalidateQueries({ queryKey: invalidate });
    },
    onError: (error) => message.error(errorText(error)),
  });
  return (
    <Popconfirm
      title={archived ? t('common.restoreConfirm', { name }) : t('common.archiveConfirm', { name })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: !archived, 'data-testid': 'confirm-ok' } as never}
      onConfirm={() => mutation.mutateAsync().catch(() => undefined)}
      styles={{ root: { maxWidth: 320 } }}
    >
      <Button type="link" size="small" danger={!archived} icon={archived ? <UndoOutlined /> : <InboxOutlined />} loading={mutation.isPending} data-testid={testId}>
        {archived ? t('common.restore') : t('common.archive')}
      </Button>
    </Popconfirm>
  );
}
