import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Skeleton, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import type { Drill, Incident } from '../../api/types';
import { PageContainer } from '../../components/PageContainer';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { ExplorerTab } from './ExplorerTab';
import { FilesTab } from './FilesTab';
import { FindingsTab } from './FindingsTab';

const TABS = ['files', 'events', 'findings'] as const;
type Tab = (typeof TABS)[number];

/**
 * 证据与调查: the evidence of an incident, or of a drill (its incident) — the files with their chain of custody,
 * the events parsed from them to search, and the findings resting on those events.
 */
export function EvidencePage() {
  const { incidentId, drillId } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const caseId = drillId ?? incidentId ?? '';
  const isDrill = !!drillId;
  const owner = useQuery({
    queryKey: ['evidence', caseId, 'owner'],
    queryFn: async () => (isDrill ? { title: (await api<Drill>(`/drills/${caseId}`)).title } : { title: (await api<Incident>(`/incidents/${caseId}`)).title }),
  });
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'files';
  const backTo = isDrill ? `/drills/${caseId}` : `/incidents/${caseId}`;

  if (owner.isError) return <Result status="warning" title={errorText(owner.error)} />;
  if (!owner.data) return <Skeleton active />;

  return (
    <div data-testid="evidence-page" data-case={caseId}>
      {isDrill && <ExerciseBanner />}
      <PageContainer
        title={
          <Space wrap>
            {isDrill && <ExerciseMark size="large" />}
            <span>{t('evidence.title')}</span>
            <span style={{ fontWeight: 400 }} data-testid="evidence-owner">
              {owner.data.title}
            </span>
          </Space>
        }
        description={isDrill ? t('evidence.descriptionDrill') : t('evidence.description')}
        card={false}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(backTo)} data-testid="evidence-back">
            {isDrill ? t('evidence.backToDrill') : t('evidence.backToIncident')}
          </Button>
        }
      >
        {/* antd renders a tab when first opened and keeps it: the explorer's filters survive a look at the files. */}
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            setParams((p) => {
              p.set('tab', key);
              return p;
            });
          }}
          items={[
            { key: 'files', label: <span data-testid="evidence-tab-files">{t('evidence.tabs.files')}</span>, children: <FilesTab caseId={caseId} /> },
            {
              key: 'events',
              label: <span data-testid="evidence-tab-events">{t('evidence.tabs.events')}</span>,
              children: <ExplorerTab caseId={caseId} />,
            },
            { key: 'findings', label: <span data-testid="evidence-tab-findings">{t('evidence.tabs.findings')}</span>, children: <FindingsTab caseId={caseId} /> },
          ]}
        />
      </PageContainer>
    </div>
  );
}
