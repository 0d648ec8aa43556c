import { Alert, Button, Drawer, Flex } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client';

interface FormDrawerProps {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  size: number;
  /** Submits the drawer's form. */
  onSave: () => void;
  saving: boolean;
  saveTestId: string;
  /** The primary button's label; "保存 / Save" by default. */
  saveLabel?: ReactNode;
  /** The last save's error, shown above the form. */
  error?: unknown;
  /** Called once the drawer has closed (e.g. to reset a mutation). */
  onHidden?: () => void;
  children: ReactNode;
}

/** The create/edit drawer every list page uses: cancel and save in the footer, the save error on top. */
export function FormDrawer({ title, open, onClose, size, onSave, saving, saveTestId, saveLabel, error, onHidden, children }: FormDrawerProps) {
  const { t } = useTranslation();
  return (
    <Drawer
      title={title}
      open={open}
      onClose={onClose}
      size={size}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) onHidden?.();
      }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave} data-testid={saveTestId}>
            {saveLabel ?? t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="form-error" /> : null}
      {children}
    </Drawer>
  );
}
