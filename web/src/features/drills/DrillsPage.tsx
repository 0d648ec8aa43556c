import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Segmented, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { errorText } from '../../api/client';
import type { DrillStatus, DrillSummary } from '../../api/types';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { DRILL_STATUS_COLORS } from '../timeline/meta';
import { useDrills } from './api';

type Filter = 'all' | 'live' | 'upcoming' | 'done';
const GROUPS: Record<Exclude<Filter, 'all'>, DrillStatus[]> = { live: ['running', 'paused'], upcoming: ['draft', 'approved'], done: ['ended', 'evaluated', 'closed'] };

/** 演练: every drill with its state; running ones first. */
export function DrillsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const drills = useDrills();
  const [filter, setFilter] = useState<Filter>('all');
  const rows = (drills.data ?? []).filter((d) => filter === 'all' || GROUPS[filter].includes(d.status));
  const order = (d: DrillSummary) => (GROUPS.live.includes(d.status) ? 0 : GROUPS.upcoming.includes(d.status) ? 1 : 2);
  rows.sort((a, b) => order(a) - order(b));

  const columns: TableProps<DrillSummary>['columns'] = [
    {
      title: t('drill.fields.title'),
      dataIndex: 'title',
      render: (_, d) => (
        <Space size={6} wrap>
          <ExerciseMark />
          <Link to={`/drills/${d.id}`} data-testid="drill-link">
            <Typography.Text strong>{d.title}</Typography.Text>
          </Link>
        </Space>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: DrillStatus) => (
        <Tag color={DRILL_STATUS_COLORS[s]} data-testid="drill-status">
          {t(`drillStatus.${s}`)}
        </Tag>
      ),
    },
    { title: t('drill.fields.mode'), width: 160, render: (_, d) => `${t(`drillModes.${d.mode}`)} · ${t(`drillScopes.${d.scope}`)}` },
    { title: t('drill.fields.scheduledStart'), width: 170, render: (_, d) => formatDateTime(d.startedAt ?? d.scheduledStart) || '—' },
    { title: t('drill.fields.place'), dataIndex: 'place', width: 160, render: (v: string) => v || '—' },
    {
      title: t('common.actions'),
      width: 160,
      render: (_, d) =>
        GROUPS.live.includes(d.status) ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => navigate(`/drills/${d.id}`)}>
              {t('drill.openConsole')}
            </Button>
            <Button type="link" size="small" onClick={() => navigate(`/drills/${d.id}/respond`)}>
              {t('drill.respondView')}
            </Button>
          </Space>
        ) : (
          <Button type="link" size="small" onClick={() => navigate(`/drills/${d.id}`)}>
            {t('common.open')}
          </Button>
        ),
    },
  ];

  return (
    <PageContainer
      testId="drills-page"
      title={t('drills.title')}
      description={t('drills.description')}
      extra={
        can('drill.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/drills/new')} data-testid="drill-new">
            {t('drills.new')}
          </Button>
        )
      }
    >
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        style={{ marginBottom: 16 }}
        options={(['all', 'live', 'upcoming', 'done'] as const).map((f) => ({ value: f, label: t(`drills.filters.${f}`) }))}
      />
      {drills.isError && <Alert type="error" showIcon title={errorText(drills.error)} style={{ marginBottom: 16 }} />}
      <Table<DrillSummary>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={drills.isFetching}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('drills.empty')} /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="drills-table"
      />
    </PageContainer>
  );
}
