import { Checkbox, Empty, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChecklistItem } from '../../api/types';
import { formatClock } from '../timeline/live';

interface Props {
  items: ChecklistItem[];
  /** Only these roles' items (plus "all"); undefined: every item. */
  roles?: string[];
  canTick: boolean;
  onTick: (item: ChecklistItem, done: boolean) => void;
  size?: 'default' | 'large';
}

const ROLE_COLORS: Record<string, string> = { coordinator: 'blue', responder: 'green', observer: 'purple', all: 'default' };

/** The plan's procedure steps as checklists, grouped by procedure; ticking writes a timeline entry. */
export function Checklist({ items, roles, canTick, onTick, size = 'default' }: Props) {
  const { t } = useTranslation();
  const shown = roles ? items.filter((i) => i.role === 'all' || roles.includes(i.role)) : items;
  if (shown.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('checklist.empty')} />;
  const procedures = [...new Set(shown.map((i) => i.procedure))];
  return (
    <div data-testid="checklist">
      {procedures.map((procedure) => (
        <div key={procedure} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{procedure}</Typography.Text>
          {shown
            .filter((i) => i.procedure === procedure)
            .map((item) => (
              <div key={item.key} className={`fd-check${size === 'large' ? ' fd-check-large' : ''}`} data-testid="checklist-item" data-done={item.done}>
                <Checkbox checked={item.done} disabled={!canTick} onChange={(e) => onTick(item, e.target.checked)} data-testid="checklist-tick">
                  <span className={item.done ? 'fd-check-done' : undefined}>{item.text}</span>
                </Checkbox>
                <Flex gap={4} wrap style={{ marginInlineStart: 24 }}>
                  <Tag color={ROLE_COLORS[item.role]} style={{ fontSize: 11 }}>
                    {t(`drillRoles.${item.role}`)}
                  </Tag>
                  {item.done && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('checklist.doneBy', { name: item.doneBy ?? '', time: item.doneAtMs !== null ? formatClock(item.doneAtMs) : '' })}
                    </Typography.Text>
                  )}
                </Flex>
              </div>
            ))}
        </div>
      ))}
    </div>
  );
}
