import { FireFilled } from '@ant-design/icons';
import { Avatar, Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/LanguageSwitch';

/** The frame of the signed-out pages: product mark, a card, the language switch. */
export function AuthFrame({ title, subtitle, children, width = 420 }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <div className="fd-auth-page">
      <div style={{ position: 'fixed', top: 16, right: 20 }}>
        <LanguageSwitch />
      </div>
      <Flex vertical align="center" gap={8} style={{ marginBottom: 24 }}>
        <Avatar shape="square" size={48} style={{ background: 'linear-gradient(135deg, #ff7a45, #f5222d)' }} icon={<FireFilled />} />
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
      </Flex>
      <Card style={{ width: '100%', maxWidth: width, boxShadow: '0 6px 24px rgba(0,0,0,0.06)' }} variant="borderless">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            {subtitle}
          </Typography.Paragraph>
        )}
        {children}
      </Card>
    </div>
  );
}
