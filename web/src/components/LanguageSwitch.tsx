import { TranslationOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client';
import { useSession } from '../app/session';
import { currentLocale } from '../i18n';

/** One click between 中文 and English; saved on the account when signed in. */
export function LanguageSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t } = useTranslation();
  const { setLocale } = useSession();
  const { message } = App.useApp();
  const next = currentLocale() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      type={type}
      icon={<TranslationOutlined />}
      data-testid="language-switch"
      aria-label={t('lang.label')}
      lang={next}
      onClick={() => {
        setLocale(next).catch((error: unknown) => message.error(errorText(error)));
      }}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
