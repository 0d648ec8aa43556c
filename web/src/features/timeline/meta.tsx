import { AlertOutlined, MailOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { ClockState, DrillStatus, IncidentStatus, TimelineKind } from '../../api/types';

export const KIND_COLORS: Record<TimelineKind, string> = {
  inject: 'volcano',
  action: 'blue',
  decision: 'purple',
  report: 'gold',
  notification: 'cyan',
  observation: 'geekblue',
  finding: 'magenta',
  status_change: 'default',
};

export const DRILL_STATUS_COLORS: Record<DrillStatus, string> = {
  draft: 'default',
  approved: 'cyan',
  running: 'processing',
  paused: 'warning',
  ended: 'purple',
  evaluated: 'blue',
  closed: 'success',
};

export const INCIDENT_STATUS_COLORS: Record<IncidentStatus, string> = {
  open: 'red',
  responding: 'orange',
  contained: 'gold',
  recovered: 'green',
  closed: 'default',
};

export const CLOCK_COLORS: Record<ClockState, string> = {
  not_applicable: 'default',
  waiting: 'default',
  pending: 'processing',
  overdue: 'error',
  met: 'success',
  late: 'error',
};

/** The icon of an inject's channel. */
export function channelIcon(channel: string | undefined): ReactNode {
  switch (channel) {
    case 'phone':
      return <PhoneOutlined />;
    case 'email':
      return <MailOutlined />;
    case 'system_alert':
      return <AlertOutlined />;
    default:
      return <MessageOutlined />;
  }
}
