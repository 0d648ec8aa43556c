import { DownloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, List, Result, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { loc, taxonomyLabels, useTaxonomy } from '../timeline/api';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { channelIcon } from '../timeline/meta';
import { useScenario } from './api';
import { exportHref } from './ScenariosPage';

/** 场景: one scenario — narrative, the injects on a timeline, expected findings, objectives, escalations. */
export function ScenarioPage() {
  const { scenarioId = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const scenario = useScenario(scenarioId);
  const labels = taxonomyLabels(useTaxonomy().data);
  if (scenario.isError) return <Result status="warning" title={errorText(scenario.error)} />;
  if (!scenario.data) return <Skeleton active />;
  const d = scenario.data.definition;
  return (
    <PageContainer
      testId="scenario-page"
      title={loc(d.title)}
      description={loc(d.summary)}
      card={false}
      extra={
        <Space>
          <a href={exportHref(scenarioId)} download>
            <Button icon={<DownloadOutlined />} data-testid="scenario-export">
              {t('scenarios.export')}
            </Button>
          </a>
          {can('drill.manage') && (
            <Button type="primary" icon={<ThunderboltOutlined />} onClick={() => navigate('/drills/new')}>
              {t('drills.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card variant="borderless" size="small" title={t('scenario.narrative')}>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              style={{ marginBottom: 12 }}
              items={[
                { key: 'c', label: t('scenario.category'), children: `${labels.category(d.category)} ${labels.subcategory(d.category, d.subcategory)}` },
                { key: 'l', label: t('scenario.level'), children: labels.level(d.level) },
                { key: 'm', label: t('drill.fields.mode'), children: `${t(`drillModes.${d.mode}`)} · ${t(`drillScopes.${d.scope}`)}` },
                { key: 'd', label: t('scenario.durationLabel'), children: t('scenario.duration', { count: d.durationMinutes }) },
                { key: 'a', label: 'ATT&CK', span: 2, children: <Space size={4} wrap>{d.attack.map((a) => <Tag key={a.id} color="geekblue">{a.id} {a.name}</Tag>)}</Space> },
              ]}
            />
            <div className="fd-multiline">{loc(d.narrative)}</div>
          </Card>
          <Card variant="borderless" size="small" title={<Space>{t('drill.injects')}<ExerciseMark /></Space>} style={{ marginTop: 16 }}>
            <Timeline
              items={d.injects.map((i) => ({
                color: i.detects ? 'red' : 'blue',
                dot: channelIcon(i.channel),
                children: (
                  <div data-testid="scenario-inject">
                    <Space wrap size={4}>
                      <Typography.Text strong className="fd-mono">T+{i.offsetMinutes} min</Typography.Text>
                      <Tag>{t(`injectChannels.${i.channel}`)}</Tag>
                      <Typography.Text type="secondary">{loc(i.sender)} → {i.recipients.map((r) => t(`drillRoles.${r}`)).join('、')}</Typography.Text>
                      {i.detects && <Tag color="red">{t('inject.marksDetection')}</Tag>}
                    </Space>
                    <div className="fd-multiline">{loc(i.content)}</div>
                    {i.expectedActions.length > 0 && (
                      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20, color: '#595959' }}>
                        {i.expectedActions.map((a, k) => (
                          <li key={k}>{loc(a)}</li>
                        ))}
                      </ul>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card variant="borderless" size="small" title={t('drill.objectives')}>
            <List size="small" dataSource={d.objectives} renderItem={(o) => <List.Item><List.Item.Meta title={loc(o.text)} description={loc(o.criterion)} /></List.Item>} />
          </Card>
          <Card variant="borderless" size="small" title={t('scenario.expectedFindings')} style={{ marginTop: 16 }}>
            <List size="small" dataSource={d.expectedFindings} renderItem={(f) => <List.Item><List.Item.Meta title={loc(f.title)} description={loc(f.description)} /></List.Item>} />
          </Card>
          <Card variant="borderless" size="small" title={t('plan.escalationRules')} style={{ marginTop: 16 }}>
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={d.escalations}
              columns={[
                { title: t('plan.rule.recipient'), render: (_, e) => loc(e.recipient) },
                { title: t('plan.rule.trigger'), render: (_, e) => t(`plan.triggers.${e.trigger}`) },
                { title: t('plan.rule.within'), render: (_, e) => t('plan.minutes', { count: e.withinMinutes }) },
                { title: t('plan.rule.fields'), render: (_, e) => e.requiredFields.map((f) => <Tag key={f}>{labels.field(f)}</Tag>) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
