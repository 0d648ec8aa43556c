import { WarningFilled } from '@ant-design/icons';
import { Tag } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

/** 【演练】/ EXERCISE: on every drill page and every inject or message shown from a drill. */
export function ExerciseMark({ size = 'default', style }: { size?: 'default' | 'large'; style?: CSSProperties }) {
  const { t } = useTranslation();
  return (
    <Tag
      color="#cf1322"
      icon={size === 'large' ? <WarningFilled /> : undefined}
      style={{ fontWeight: 600, marginInlineEnd: 0, ...(size === 'large' ? { fontSize: 15, padding: '3px 10px', lineHeight: '22px' } : {}), ...style }}
      data-testid="exercise-mark"
    >
      {t('exercise.mark')}
    </Tag>
  );
}

/** A striped band across the top of a drill page: nobody mistakes the drill for a real incident. */
export function ExerciseBanner({ dark = false }: { dark?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={dark ? 'fd-exercise-banner fd-exercise-banner-dark' : 'fd-exercise-banner'} data-testid="exercise-banner" role="note">
      <ExerciseMark />
      <span>{t('exercise.banner')}</span>
    </div>
  );
}
