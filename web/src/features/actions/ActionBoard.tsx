import { CalendarOutlined, EditOutlined, UserOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Empty, Flex, Space, Tag, Typography } from 'antd';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ACTION_STATUS_COLORS, ACTION_STATUSES, MOVES, PRIORITY_COLORS, type ActionStatus, type ActionTransition, type CorrectiveAction } from './api';

const DRAG_TYPE = 'application/x-firedrill-action';

interface BoardProps {
  actions: CorrectiveAction[];
  canWrite: boolean;
  drillTitles: Map<string, string>;
  /** Runs a transition (asking for the note first where one is needed). */
  onMove: (action: CorrectiveAction, transition: ActionTransition) => void;
  onEdit: (action: CorrectiveAction) => void;
  /** The transition under way, to show on its card. */
  moving?: { id: string; transition: ActionTransition };
}

function ActionCard({ action, canWrite, drillTitle, onMove, onEdit, moving, onDragStart, onDragEnd }: {
  action: CorrectiveAction;
  canWrite: boolean;
  drillTitle?: string;
  onMove: BoardProps['onMove'];
  onEdit: BoardProps['onEdit'];
  moving?: BoardProps['moving'];
  onDragStart: (e: DragEvent<HTMLDivElement>) => void;
  onDragEnd: () => void;
}) {
  const { t } = useTranslation();
  const moves = Object.values(MOVES[action.status]);
  const draggable = canWrite && moves.length > 0;
  return (
    <Card
      size="small"
      draggable={draggable}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      className={action.overdue ? 'fd-card-overdue' : undefined}
      style={{ cursor: draggable ? 'grab' : 'default' }}
      data-testid="action-card"
      data-id={action.id}
      data-title={action.title}
      data-status={action.status}
      data-overdue={String(action.overdue)}
    >
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="flex-start" gap={8}>
          <Typography.Text strong style={{ wordBreak: 'break-word' }} data-testid="action-card-title">
            {action.title}
          </Typography.Text>
          {canWrite && action.status !== 'verified' && (
            <Button size="small" type="text" icon={<EditOutlined />} onClick={() => onEdit(action)} aria-label={t('common.edit')} data-testid="action-edit" />
          )}
        </Flex>
        {action.description && (
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
            {action.description}
          </Typography.Paragraph>
        )}
        <Space size={4} wrap>
          <Tag color={PRIORITY_COLORS[action.priority]} data-testid="action-card-priority">
            {t(`actions.priorities.${action.priority}`)}
          </Tag>
          <Typography.Text style={{ fontSize: 12 }} data-testid="action-card-owner">
            <UserOutlined /> {action.owner.name}
          </Typography.Text>
          <Typography.Text type={action.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="action-card-due">
            <CalendarOutlined /> {action.dueDate}
          </Typography.Text>
          {action.overdue && (
            <Tag color="red" data-testid="action-overdue">
              {t('actions.overdue')}
            </Tag>
          )}
        </Space>
        {action.drillId && (
          <Link to={`/drills/${action.drillId}/evaluation`} style={{ fontSize: 12 }}>
            {drillTitle ?? t('actions.fields.drill')}
          </Link>
        )}
        {canWrite && moves.length > 0 && (
          // The same moves as dragging, for the keyboard and for touch screens.
          <Space size={4} wrap>
            {moves.map((tr) => (
              <Button
                key={tr}
                size="small"
                type={tr === 'reopen' ? 'default' : 'link'}
                style={{ paddingInline: tr === 'reopen' ? undefined : 0 }}
                loading={moving?.id === action.id && moving.transition === tr}
                onClick={() => onMove(action, tr)}
                data-testid={`action-${tr}`}
              >
                {t(`actions.transitions.${tr}`)}
              </Button>
            ))}
          </Space>
        )}
      </Flex>
    </Card>
  );
}

/**
 * 看板: the corrective actions in four columns (open, in progress, done, verified). Dragging a card to another
 * column runs the transition between them (start, complete, reopen, verify); a move the workflow has no
 * transition for is refused before it reaches the server.
 */
export function ActionBoard({ actions, canWrite, drillTitles, onMove, onEdit, moving }: BoardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [dragged, setDragged] = useState<CorrectiveAction | null>(null);
  const [over, setOver] = useState<ActionStatus | null>(null);

  const drop = (status: ActionStatus, e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE);
    const action = actions.find((a) => a.id === id) ?? dragged;
    setDragged(null);
    if (!action || action.status === status) return;
    const transition = MOVES[action.status][status];
    if (!transition) {
      message.warning(t('actions.board.cannotMove', { from: t(`actions.statuses.${action.status}`), to: t(`actions.statuses.${status}`) }));
      return;
    }
    onMove(action, transition);
  };

  return (
    <div className="fd-board" data-testid="action-board">
      {ACTION_STATUSES.map((status) => {
        const cards = actions.filter((a) => a.status === status);
        const allowed = dragged ? dragged.status !== status && MOVES[dragged.status][status] !== undefined : false;
        return (
          <div
            key={status}
            className={`fd-board-column${dragged ? (allowed ? ' fd-board-column-allowed' : ' fd-board-column-refused') : ''}${over === status && allowed ? ' fd-board-column-over' : ''}`}
            data-testid="board-column"
            data-status={status}
            onDragOver={(e) => {
              if (!canWrite) return;
              // Every column takes the drop: a refused move is explained rather than silently ignored.
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              if (over !== status) setOver(status);
            }}
            onDragLeave={() => setOver((s) => (s === status ? null : s))}
            onDrop={(e) => drop(status, e)}
          >
            <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
              <Tag color={ACTION_STATUS_COLORS[status]} style={{ fontWeight: 600 }}>
                {t(`actions.statuses.${status}`)}
              </Tag>
              <Badge count={cards.length} showZero color="#8c8c8c" data-testid="board-column-count" />
            </Flex>
            <Flex vertical gap={8}>
              {cards.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('actions.board.empty')} />}
              {cards.map((a) => (
                <ActionCard
                  key={a.id}
                  action={a}
                  canWrite={canWrite}
                  drillTitle={a.drillId ? drillTitles.get(a.drillId) : undefined}
                  onMove={onMove}
                  onEdit={onEdit}
                  moving={moving}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, a.id);
                    e.dataTransfer.setData('text/plain', a.title);
                    e.dataTransfer.effectAllowed = 'move';
                    setDragged(a);
                  }}
                  onDragEnd={() => {
                    setDragged(null);
                    setOver(null);
                  }}
                />
              ))}
            </Flex>
          </div>
        );
      })}
    </div>
  );
}
