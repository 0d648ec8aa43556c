import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** Shown when the signed-in role lacks the permission a page needs. */
export function ForbiddenPage({ permission }: { permission: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={<span data-testid="forbidden-title">{t('forbidden.title')}</span>}
      subTitle={t('forbidden.text', { permission })}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
      data-testid="forbidden"
    />
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={<span data-testid="not-found-title">{t('notFound.title')}</span>}
      subTitle={t('notFound.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
      data-testid="not-found"
    />
  );
}
