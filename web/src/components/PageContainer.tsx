import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
  /** Wrap the content in a white card (tables); false for pages laying out their own cards. */
  card?: boolean;
  children: ReactNode;
  testId?: string;
}

/** A page's title row (title, one-line description, main actions) above its content. */
export function PageContainer({ title, description, extra, card = true, children, testId }: Props) {
  return (
    <div data-testid={testId}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {description && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {description}
            </Typography.Text>
          )}
        </div>
        {extra && <Flex gap={8}>{extra}</Flex>}
      </Flex>
      {card ? <Card variant="borderless">{children}</Card> : children}
    </div>
  );
}
