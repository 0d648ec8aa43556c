import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, errorText } from '../../api/client';
import type { Me } from '../../api/types';
import { useSession } from '../../app/session';
import { AuthFrame } from './AuthFrame';

interface Values {
  login: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { me, signedIn, signedOutReason } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const setup = useQuery({ queryKey: ['setup-status'], queryFn: () => api<{ needed: boolean }>('/auth/setup'), staleTime: 0 });
  const mutation = useMutation({
    mutationFn: (values: Values) => api<Me>('/auth/login', { method: 'POST', body: values, quiet401: true }),
    onSuccess: (result) => {
      signedIn(result);
      message.success(t('login.welcome', { name: result.user.displayName }));
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    },
  });

  if (me && !mutation.isSuccess) return <Navigate to="/" replace />;

  return (
    <AuthFrame title={t('login.title')}>
      {signedOutReason && !mutation.isError && (
        <Alert type="warning" showIcon title={errorText(new ApiError(401, signedOutReason, t('errors.session_expired')))} style={{ marginBottom: 16 }} data-testid="signed-out-reason" />
      )}
      {setup.data?.needed && <Alert type="warning" showIcon title={t('login.setupNeeded')} style={{ marginBottom: 16 }} />}
      {mutation.isError && (
        <Alert type="error" showIcon title={errorText(mutation.error)} style={{ marginBottom: 16 }} data-testid="login-error" role="alert" />
      )}
      <Form<Values> name="login" layout="vertical" size="large" onFinish={(values) => mutation.mutate(values)} requiredMark={false}>
        <Form.Item name="login" label={t('login.login')} rules={[{ required: true, message: t('validation.required', { field: t('login.login') }) }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('validation.required', { field: t('login.password') }) }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={mutation.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
