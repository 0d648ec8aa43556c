import { ArrowLeftOutlined, FileTextOutlined, MinusCircleOutlined, PlusOutlined, ToolOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, List, Radio, Result, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import { useSession } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { formatDateTime } from '../../lib/format';
import { useDrill } from '../drills/api';
import { ExerciseMark } from '../timeline/ExerciseMark';
import { DRILL_STATUS_COLORS } from '../timeline/meta';
import {
  addLesson,
  evaluationKey,
  LESSON_KINDS,
  minutes,
  RATING_COLORS,
  RATINGS,
  rateObjective,
  type DrillMetrics,
  type Evaluation,
  type Indicator,
  type LessonKind,
  type ObjectiveEvaluation,
  type Rating,
  useEvaluation,
} from './api';
import { TimelineChart } from './TimelineChart';

const EVALUABLE = new Set(['running', 'paused', 'ended', 'evaluated']);

function MetricCards({ metrics }: { metrics: DrillMetrics }) {
  const { t } = useTranslation();
  const cards: { key: string; title: string; value: string; suffix?: string }[] = [
    { key: 'detect', title: t('evaluation.metrics.timeToDetect'), value: minutes(metrics.timeToDetectMs) },
    { key: 'report', title: t('evaluation.metrics.timeToFirstReport'), value: minutes(metrics.timeToFirstReportMs) },
    { key: 'contain', title: t('evaluation.metrics.timeToContain'), value: minutes(metrics.timeToContainMs) },
    { key: 'recover', title: t('evaluation.metrics.timeToRecover'), value: minutes(metrics.timeToRecoverMs) },
    { key: 'total', title: t('evaluation.metrics.totalDuration'), value: minutes(metrics.totalDurationMs) },
  ];
  return (
    <Row gutter={[16, 16]} data-testid="evaluation-metrics">
      {cards.map((c) => (
        <Col key={c.key} xs={12} md={8} xl={4}>
          <Card variant="borderless" size="small">
            <Statistic title={c.title} value={c.value} suffix={c.value === '—' ? undefined : t('evaluation.min')} />
          </Card>
        </Col>
      ))}
      <Col xs={12} md={8} xl={4}>
        <Card variant="borderless" size="small">
          <Statistic
            title={t('evaluation.metrics.injects')}
            value={`${metrics.injects.answeredInTime} / ${metrics.injects.answered} / ${metrics.injects.delivered}`}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('evaluation.metrics.injectsHint')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24}>
        <Card
          variant="borderless"
          size="small"
          title={t('evaluation.reports')}
          extra={
            <Space wrap>
              <Tag color="green">{t('evaluation.escalations.met', { count: metrics.escalations.met })}</Tag>
              <Tag color="orange">{t('evaluation.escalations.late', { count: metrics.escalations.late })}</Tag>
              <Tag color="red">{t('evaluation.escalations.missed', { count: metrics.escalations.missed })}</Tag>
              <Typography.Text type="secondary">{t('evaluation.escalations.applicable', { count: metrics.escalations.applicable })}</Typography.Text>
            </Space>
          }
        >
          <Table
            rowKey="ruleKey"
            size="small"
            pagination={false}
            dataSource={metrics.reports}
            data-testid="evaluation-reports"
            columns={[
              { title: t('plan.rule.recipient'), dataIndex: 'recipient' },
              { title: t('evaluation.took'), dataIndex: 'tookMs', render: (v: number | null) => (v === null ? '—' : t('evaluation.tookMin', { value: minutes(v) })) },
              {
                title: t('common.status'),
                dataIndex: 'state',
                render: (v: string) => <Tag color={v === 'met' ? 'green' : v === 'late' ? 'orange' : v === 'overdue' ? 'red' : v === 'pending' ? 'processing' : 'default'}>{t(`evaluation.reportStates.${v}`, { defaultValue: v })}</Tag>,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

interface RateValues {
  rating: Rating;
  evidence: string;
  indicators?: Partial<Indicator>[];
}

function RateForm({ drillId, objective, onSaved }: { drillId: string; objective: ObjectiveEvaluation; onSaved: (e: Evaluation) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RateValues>();
  const save = useMutation({
    mutationFn: (values: RateValues) =>
      rateObjective(drillId, objective.key, {
        rating: values.rating,
        evidence: values.evidence.trim(),
        indicators: (values.indicators ?? [])
          .filter((i) => i.text?.trim())
          .map((i) => ({ text: i.text!.trim(), weight: i.weight ?? 1, score: i.score ?? 0 })),
      }),
    onSuccess: (data) => {
      message.success(t('evaluation.rated'));
      form.resetFields();
      onSaved(data);
    },
    onError: (error) => message.error(errorText(error)),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="rate-form" style={{ marginTop: 12 }}>
      <Form.Item name="rating" label={t('evaluation.rating')} rules={[{ required: true, message: t('evaluation.ratingRequired') }]}>
        <Radio.Group data-testid="rate-rating">
          {RATINGS.map((r) => (
            <Radio key={r} value={r} data-testid={`rate-rating-${r}`}>
              {t(`evaluation.ratings.${r}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="evidence" label={t('evaluation.evidence')} rules={[{ required: true, whitespace: true, message: t('evaluation.evidenceRequired') }]}>
        <Input.TextArea rows={2} maxLength={5000} data-testid="rate-evidence" placeholder={t('evaluation.evidencePlaceholder')} />
      </Form.Item>
      <Form.List name="indicators">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Flex key={field.key} gap={8} align="baseline" data-testid="indicator-row" wrap>
                <Form.Item name={[field.name, 'text']} rules={[{ required: true, whitespace: true, message: t('evaluation.indicatorRequired') }]} style={{ flex: 1, minWidth: 200 }}>
                  <Input placeholder={t('evaluation.indicator')} data-testid="indicator-text" />
                </Form.Item>
                <Form.Item name={[field.name, 'weight']} initialValue={1} label={t('evaluation.weight')}>
                  <InputNumber min={0.1} max={100} style={{ width: 90 }} data-testid="indicator-weight" />
                </Form.Item>
                <Form.Item name={[field.name, 'score']} rules={[{ required: true, message: t('evaluation.scoreRequired') }]} label={t('evaluation.score')}>
                  <InputNumber min={0} max={100} style={{ width: 90 }} data-testid="indicator-score" />
                </Form.Item>
                <MinusCircleOutlined onClick={() => remove(field.name)} />
              </Flex>
            ))}
            <Form.Item>
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="indicator-add">
                {t('evaluation.addIndicator')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rate-submit">
        {t('evaluation.submitRating')}
      </Button>
    </Form>
  );
}

function ObjectiveCard({ drillId, objective, index, canWrite, onSaved }: { drillId: string; objective: ObjectiveEvaluation; index: number; canWrite: boolean; onSaved: (e: Evaluation) => void }) {
  const { t } = useTranslation();
  return (
    <Card
      variant="borderless"
      size="small"
      data-testid="objective-card"
      data-key={objective.key}
      data-rating={objective.rating ?? ''}
      title={`${index + 1}. ${objective.text}`}
      extra={
        <Space>
          {objective.rating ? (
            <Tag color={RATING_COLORS[objective.rating]} data-testid="objective-rating">
              {t(`evaluation.ratings.${objective.rating}`)}
            </Tag>
          ) : (
            <Tag data-testid="objective-rating">{t('evaluation.notRated')}</Tag>
          )}
          {objective.score !== null && <Tag color="blue" data-testid="objective-score">{t('evaluation.scoreValue', { value: Math.round(objective.score * 10) / 10 })}</Tag>}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('evaluation.criterion')}：{objective.criterion || '—'}
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={objective.ratings}
        locale={{ emptyText: t('evaluation.noRatings') }}
        renderItem={(r) => (
          <List.Item data-testid="objective-rating-row">
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text strong>{r.raterName}</Typography.Text>
                <Tag color={RATING_COLORS[r.rating]}>{t(`evaluation.ratings.${r.rating}`)}</Tag>
                {r.score !== null && <Tag color="blue">{t('evaluation.scoreValue', { value: Math.round(r.score * 10) / 10 })}</Tag>}
                <Typography.Text type="secondary">{formatDateTime(r.updatedAt)}</Typography.Text>
              </Space>
              <span className="fd-multiline" data-testid="rating-evidence">{r.evidence}</span>
              {r.indicators.length > 0 && (
                <Typography.Text type="secondary">
                  {r.indicators.map((i) => t('evaluation.indicatorSummary', { text: i.text, weight: i.weight, score: i.score })).join('；')}
                </Typography.Text>
              )}
            </Flex>
          </List.Item>
        )}
      />
      {canWrite && <RateForm drillId={drillId} objective={objective} onSaved={onSaved} />}
    </Card>
  );
}

function Lessons({ drillId, evaluation, canWrite, onSaved }: { drillId: string; evaluation: Evaluation; canWrite: boolean; onSaved: (e: Evaluation) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: LessonKind; text: string }>();
  const add = useMutation({
    mutationFn: (values: { kind: LessonKind; text: string }) => addLesson(drillId, { kind: values.kind, text: values.text.trim() }),
    onSuccess: (data) => {
      message.success(t('evaluation.lessonAdded'));
      form.resetFields(['text']);
      onSaved(data);
    },
    onError: (error) => message.error(errorText(error)),
  });
  return (
    <Card variant="borderless" size="small" title={t('evaluation.lessons')} data-testid="lessons">
      <Row gutter={[16, 16]}>
        {LESSON_KINDS.map((kind) => {
          const items = evaluation.lessons.filter((l) => l.kind === kind);
          return (
            <Col key={kind} xs={24} md={8}>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                {t(`evaluation.lessonKinds.${kind}`)}
              </Typography.Title>
              <List
                size="small"
                dataSource={items}
                data-testid={`lessons-${kind}`}
                locale={{ emptyText: t('common.none') }}
                renderItem={(l) => (
                  <List.Item data-testid="lesson-item">
                    <Flex vertical>
                      <span className="fd-multiline">{l.text}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {l.authorName} · {formatDateTime(l.createdAt)}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            </Col>
          );
        })}
      </Row>
      {canWrite && (
        <Form form={form} layout="inline" initialValues={{ kind: 'went_well' }} onFinish={(v) => add.mutate(v)} style={{ marginTop: 16, rowGap: 8 }} data-testid="lesson-form">
          <Form.Item name="kind">
            <Select style={{ width: 140 }} data-testid="lesson-kind" options={LESSON_KINDS.map((k) => ({ value: k, label: t(`evaluation.lessonKinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="text" rules={[{ required: true, whitespace: true, message: t('evaluation.lessonRequired') }]} style={{ flex: 1, minWidth: 240 }}>
            <Input.TextArea rows={1} autoSize maxLength={5000} placeholder={t('evaluation.lessonPlaceholder')} data-testid="lesson-text" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="lesson-submit">
            {t('evaluation.addLesson')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

/** 评估: the drill's figures, the objectives rated with evidence, lessons learned and accountability notes. */
export function EvaluationPage() {
  const { drillId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const drill = useDrill(drillId);
  const evaluation = useEvaluation(drillId);

  if (drill.isError) return <Result status="warning" title={errorText(drill.error)} />;
  if (!drill.data) return <Skeleton active />;
  const status = drill.data.status;
  const canWrite = can('evaluation.write') && EVALUABLE.has(status);
  const onSaved = (data: Evaluation) => queryClient.setQueryData(evaluationKey(drillId), data);

  return (
    <div data-testid="evaluation-page">
      <PageContainer
        card={false}
        title={
          <Space wrap>
            <ExerciseMark size="large" />
            <span>{t('evaluation.title', { title: drill.data.title })}</span>
            <Tag color={DRILL_STATUS_COLORS[status]}>{t(`drillStatus.${status}`)}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            <Link to={`/drills/${drillId}`}>
              <Button icon={<ArrowLeftOutlined />}>{t('evaluation.backToDrill')}</Button>
            </Link>
            <Link to={`/drills/${drillId}/reports`} data-testid="open-reports">
              <Button icon={<FileTextOutlined />}>{t('reports.open')}</Button>
            </Link>
            {can('action.write') && (
              <Button icon={<ToolOutlined />} onClick={() => navigate(`/corrective-actions?drillId=${drillId}&create=1`)} data-testid="raise-action">
                {t('actions.raise')}
              </Button>
            )}
          </Space>
        }
      >
        {evaluation.isError ? (
          <Result status="warning" title={errorText(evaluation.error)} />
        ) : !evaluation.data ? (
          <Skeleton active />
        ) : (
          <Flex vertical gap={16}>
            <MetricCards metrics={evaluation.data.metrics} />
            <TimelineChart drillId={drillId} metrics={evaluation.data.metrics} />
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('evaluation.objectives')}
            </Typography.Title>
            {evaluation.data.objectives.length === 0 && <Empty description={t('evaluation.noObjectives')} />}
            <Row gutter={[16, 16]}>
              {evaluation.data.objectives.map((o, i) => (
                <Col key={o.key} xs={24} xl={12}>
                  <ObjectiveCard drillId={drillId} objective={o} index={i} canWrite={canWrite} onSaved={onSaved} />
                </Col>
              ))}
            </Row>
            <Lessons drillId={drillId} evaluation={evaluation.data} canWrite={canWrite} onSaved={onSaved} />
          </Flex>
        )}
      </PageContainer>
    </div>
  );
}
