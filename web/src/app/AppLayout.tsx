import {
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  BookOutlined,
  CalendarOutlined,
  ClusterOutlined,
  DashboardOutlined,
  DownOutlined,
  FireFilled,
  HomeOutlined,
  KeyOutlined,
  LogoutOutlined,
  FileProtectOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  SettingOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Tag, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../api/client';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ChangePasswordModal } from '../features/auth/ChangePasswordModal';
import { currentLocale } from '../i18n';
import { useSession } from './session';

const { Header, Sider, Content } = Layout;

export const ROLE_COLORS: Record<string, string> = {
  admin: 'red',
  coordinator: 'blue',
  responder: 'green',
  observer: 'purple',
  auditor: 'gold',
};

/** The signed-in frame: header (product, language, account menu), side menu, page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user, can, signOut, setLocale } = useSession();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const items = useMemo<MenuProps['items']>(() => {
    const list: NonNullable<MenuProps['items']> = [
      { key: '/', icon: <HomeOutlined />, label: <Link to="/" data-testid="nav-home">{t('menu.home')}</Link> },
      {
        key: 'org',
        icon: <ClusterOutlined />,
        label: t('menu.org'),
        children: [
          { key: '/org/people', icon: <UserOutlined />, label: <Link to="/org/people" data-testid="nav-people">{t('menu.people')}</Link> },
          { key: '/org/groups', icon: <TeamOutlined />, label: <Link to="/org/groups" data-testid="nav-groups">{t('menu.groups')}</Link> },
          { key: '/org/on-call', icon: <PhoneOutlined />, label: <Link to="/org/on-call" data-testid="nav-on-call">{t('menu.onCall')}</Link> },
        ],
      },
    ];
    // The work of the product first, right under the home page: drills, incidents, then what prepares them.
    const work: NonNullable<MenuProps['items']> = [];
    if (can('dashboard.read')) work.push({ key: '/dashboard', icon: <DashboardOutlined />, label: <Link to="/dashboard" data-testid="nav-dashboard">{t('menu.dashboard')}</Link> });
    if (can('drill.read')) work.push({ key: '/drills', icon: <ThunderboltOutlined />, label: <Link to="/drills" data-testid="nav-drills">{t('menu.drills')}</Link> });
    if (can('action.read')) work.push({ key: '/corrective-actions', icon: <ToolOutlined />, label: <Link to="/corrective-actions" data-testid="nav-actions">{t('menu.actions')}</Link> });
    if (can('incident.read')) work.push({ key: '/incidents', icon: <AlertOutlined />, label: <Link to="/incidents" data-testid="nav-incidents">{t('menu.incidents')}</Link> });
    if (can('evidence.read')) work.push({ key: '/rules', icon: <SafetyOutlined />, label: <Link to="/rules" data-testid="nav-rules">{t('rules.menu')}</Link> });
    if (can('plan.read')) work.push({ key: '/plans', icon: <FileProtectOutlined />, label: <Link to="/plans" data-testid="nav-plans">{t('menu.plans')}</Link> });
    if (can('scenario.read')) work.push({ key: '/scenarios', icon: <BookOutlined />, label: <Link to="/scenarios" data-testid="nav-scenarios">{t('menu.scenarios')}</Link> });
    if (can('programme.read')) work.push({ key: '/programme', icon: <CalendarOutlined />, label: <Link to="/programme" data-testid="nav-programme">{t('menu.programme')}</Link> });
    list.splice(1, 0, ...work);
    const adminItems: NonNullable<MenuProps['items']> = [];
    if (can('user.read')) adminItems.push({ key: '/admin/users', icon: <SafetyCertificateOutlined />, label: <Link to="/admin/users" data-testid="nav-users">{t('menu.users')}</Link> });
    if (can('settings.write')) adminItems.push({ key: '/admin/company', icon: <BankOutlined />, label: <Link to="/admin/company" data-testid="nav-company">{t('company.menu')}</Link> });
    if (adminItems.length) list.push({ key: 'admin', icon: <SettingOutlined />, label: t('menu.admin'), children: adminItems });
    if (can('audit.read')) {
      list.push({ key: '/audit', icon: <AuditOutlined />, label: <Link to="/audit" data-testid="nav-audit">{t('menu.audit')}</Link> });
    }
    return list;
  }, [t, can]);

  const selected = location.pathname === '/' ? '/' : (['/org/people', '/org/groups', '/org/on-call', '/admin/users', '/admin/company', '/rules', '/audit', '/dashboard', '/drills', '/corrective-actions', '/incidents', '/plans', '/scenarios', '/programme'].find((p) => location.pathname.startsWith(p)) ?? '');

  const logout = async () => {
    try {
      await signOut();
      message.success(t('header.loggedOut'));
    } catch (error) {
      message.error(errorText(error));
    }
    navigate('/login', { replace: true });
  };

  const accountMenu: MenuProps = {
    items: [
      {
        key: 'language',
        icon: <TranslationOutlined />,
        label: <span data-testid="menu-language">{currentLocale() === 'zh-CN' ? t('lang.en') : t('lang.zh-CN')}</span>,
      },
      { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('header.changePassword')}</span> },
      {
        key: 'api',
        icon: <ApiOutlined />,
        label: (
          <a href="/api/docs" target="_blank" rel="noopener noreferrer" data-testid="menu-api-docs">
            {t('header.apiReference')}
          </a>
        ),
      },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('header.logout')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'language') setLocale(currentLocale() === 'zh-CN' ? 'en' : 'zh-CN').catch((error: unknown) => message.error(errorText(error)));
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '0 20px',
          borderBottom: '1px solid #f0f0f0',
          position: 'sticky',
          top: 0,
          zIndex: 10,
          height: 56,
          lineHeight: '56px',
        }}
      >
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 10, color: 'inherit' }}>
          <Avatar shape="square" size={32} style={{ background: 'linear-gradient(135deg, #ff7a45, #f5222d)' }} icon={<FireFilled />} />
          <Typography.Text strong style={{ fontSize: 17 }} data-testid="product-name">
            {t('app.name')}
          </Typography.Text>
        </Link>
        <Flex align="center" gap={8}>
          <LanguageSwitch />
          <Dropdown menu={accountMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
              <Flex align="center" gap={8}>
                <Avatar size={28} style={{ background: '#1677ff' }}>
                  {user?.displayName.slice(0, 1)}
                </Avatar>
                <span data-testid="user-name">{user?.displayName}</span>
                {user && (
                  <Tag color={ROLE_COLORS[user.role]} style={{ marginInlineEnd: 0 }} data-testid="user-role">
                    {t(`roles.${user.role}`)}
                  </Tag>
                )}
                <DownOutlined style={{ fontSize: 10 }} />
              </Flex>
            </Button>
          </Dropdown>
        </Flex>
      </Header>
      <Layout>
        <Sider
          width={216}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          theme="light"
          style={{ borderRight: '1px solid #f0f0f0', position: 'sticky', top: 56, height: 'calc(100vh - 56px)', overflow: 'auto' }}
        >
          <Menu mode="inline" selectedKeys={[selected]} defaultOpenKeys={['org', 'admin']} items={items} style={{ borderInlineEnd: 0 }} data-testid="side-menu" />
        </Sider>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <div style={{ maxWidth: 1400, margin: '0 auto' }}>
            <Outlet />
          </div>
        </Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
