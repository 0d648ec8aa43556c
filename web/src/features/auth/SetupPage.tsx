import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Result, Spin } from 'antd';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorText } from '../../api/client';
import type { Me } from '../../api/types';
import { useSession } from '../../app/session';
import { currentLocale } from '../../i18n';
import { AuthFrame } from './AuthFrame';

interface Values {
  login: string;
  displayName: string;
  email?: string;
  password: string;
  confirm: string;
}

/** The token travels in the URL fragment (#token=…) so it never reaches a server log. */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

/** Follows the fragment, so pasting the link into a tab already on /setup works too. */
function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** First run: creates the first administrator with the single-use link the server printed. */
export function SetupPage() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const token = useSyncExternalStore(subscribeToHash, tokenFromHash);
  const status = useQuery({ queryKey: ['setup-status'], queryFn: () => api<{ needed: boolean }>('/auth/setup'), staleTime: 0 });
  const mutation = useMutation({
    mutationFn: (values: Values) =>
      api<Me>('/auth/setup', {
        method: 'POST',
        body: {
          token,
          login: values.login.trim(),
          displayName: values.displayName.trim(),
          ...(values.email?.trim() ? { email: values.email.trim() } : {}),
          password: values.password,
          locale: currentLocale(),
        },
        quiet401: true,
      }),
    onSuccess: (result) => {
      // The token is spent: take it out of the address bar and history.
      window.history.replaceState(null, '', '/setup');
      signedIn(result);
      message.success(t('setup.done'));
      navigate('/', { replace: true });
    },
  });

  if (status.isPending) {
    return (
      <AuthFrame title={t('setup.title')}>
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      </AuthFrame>
    );
  }
  if (status.data && !status.data.needed && !mutation.isSuccess) {
    return (
      <AuthFrame title={t('setup.title')}>
        <Result
          status="success"
          title={t('setup.notNeededTitle')}
          subTitle={t('setup.notNeededText')}
          extra={
            <Link to="/login">
              <Button type="primary" data-testid="setup-go-login">
                {t('setup.goLogin')}
              </Button>
            </Link>
          }
          data-testid="setup-not-needed"
        />
      </AuthFrame>
    );
  }
  if (!token) {
    return (
      <AuthFrame title={t('setup.title')}>
        <Result status="warning" title={t('setup.noTokenTitle')} subTitle={t('setup.noTokenText')} data-testid="setup-no-token" />
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('setup.title')} subtitle={t('setup.subtitle')} width={480}>
      {status.isError && <Alert type="error" showIcon title={errorText(status.error)} style={{ marginBottom: 16 }} />}
      {mutation.isError && <Alert type="error" showIcon title={errorText(mutation.error)} style={{ marginBottom: 16 }} data-testid="setup-error" role="alert" />}
      <Form<Values> name="setup" layout="vertical" onFinish={(values) => mutation.mutate(values)}>
        <Form.Item
          name="login"
          label={t('setup.login')}
          extra={t('setup.loginHelp')}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.login') }) },
            { pattern: /^[A-Za-z0-9._@-]{2,64}$/, message: t('validation.login') },
          ]}
        >
          <Input autoComplete="username" autoFocus maxLength={64} />
        </Form.Item>
        <Form.Item name="displayName" label={t('setup.displayName')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('setup.displayName') }) }]}>
          <Input autoComplete="name" maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('setup.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input autoComplete="email" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('setup.password')}
          extra={t('setup.passwordHelp')}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.password') }) },
            { min: 10, message: t('validation.passwordMin') },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('setup.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.confirmPassword') }) },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={mutation.isPending} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
