import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Permission } from '../api/types';
import { ForbiddenPage, NotFoundPage } from '../components/ResultPages';
import { AuditPage } from '../features/audit/AuditPage';
import { LoginPage } from '../features/auth/LoginPage';
import { SetupPage } from '../features/auth/SetupPage';
import { UsersPage } from '../features/auth/UsersPage';
import { EvidencePage } from '../features/evidence/EvidencePage';
import { HomePage } from '../features/home/HomePage';
import { GroupsPage } from '../features/org/GroupsPage';
import { OnCallPage } from '../features/org/OnCallPage';
import { PeoplePage } from '../features/org/PeoplePage';
import { DrillPage } from '../features/drills/DrillPage';
import { DrillsPage } from '../features/drills/DrillsPage';
import { DrillWizard } from '../features/drills/DrillWizard';
import { RespondPage } from '../features/drills/RespondPage';
import { WallPage } from '../features/drills/WallPage';
import { ActionsPage } from '../features/actions/ActionsPage';
import { EvaluationPage } from '../features/evaluation/EvaluationPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { IncidentPage } from '../features/incidents/IncidentPage';
import { IncidentsPage } from '../features/incidents/IncidentsPage';
import { ReportingPresetsPage } from '../features/incidents/ReportingPresetsPage';
import { PlanPage } from '../features/plans/PlanPage';
import { PlansPage } from '../features/plans/PlansPage';
import { ProgrammePage } from '../features/programme/ProgrammePage';
import { ScenarioPage } from '../features/scenarios/ScenarioPage';
import { ScenariosPage } from '../features/scenarios/ScenariosPage';
import { CompanyPage } from '../features/company/CompanyPage';
import { RulesPage } from '../features/rules/RulesPage';
import { AppLayout } from './AppLayout';
import { useSession } from './session';

function FullPageSpin() {
  return (
    <div style={{ height: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Signed-in pages: wait for /auth/me, send the signed-out to /login (and back here afterwards). */
function RequireSession({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <FullPageSpin />;
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** A page only some roles may open: the others see the 403 page (the server refuses them too). */
function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  if (!can(permission)) return <ForbiddenPage permission={permission} />;
  return <>{children}</>;
}

export function App() {
  const { i18n } = useTranslation();
  const antdLocale = i18n.language === 'en' ? enUS : zhCN;
  // Users who ask their system for less motion get none (and browser tests, which ask for it, never click a
  // dialog or a menu while it is still opening or closing).
  const motion = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  return (
    <ConfigProvider
      locale={antdLocale}
      button={{ autoInsertSpace: false }}
      theme={{
        token: { colorPrimary: '#1677ff', borderRadius: 6, motion },
        components: { Layout: { headerBg: '#ffffff', siderBg: '#ffffff', bodyBg: '#f5f7fa' } },
      }}
    >
      <AntApp>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route
            path="/drills/:drillId/respond"
            element={
              <RequireSession>
                <RespondPage />
              </RequireSession>
            }
          />
          <Route
            path="/drills/:drillId/wall"
            element={
              <RequireSession>
                <WallPage />
              </RequireSession>
            }
          />
          <Route
            element={
              <RequireSession>
                <AppLayout />
              </RequireSession>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="org" element={<Navigate to="/org/people" replace />} />
            <Route path="org/people" element={<PeoplePage />} />
            <Route path="org/groups" element={<GroupsPage />} />
            <Route path="org/on-call" element={<OnCallPage />} />
            <Route path="plans" element={<PlansPage />} />
            <Route path="plans/:planId" element={<PlanPage />} />
            <Route path="scenarios" element={<ScenariosPage />} />
            <Route path="scenarios/:scenarioId" element={<ScenarioPage />} />
            <Route path="programme" element={<ProgrammePage />} />
            <Route path="drills" element={<DrillsPage />} />
            <Route
              path="drills/new"
              element={
                <RequirePermission permission="drill.manage">
                  <DrillWizard />
                </RequirePermission>
              }
            />
            <Route path="drills/:drillId" element={<DrillPage />} />
            <Route path="drills/:drillId/evaluation" element={<EvaluationPage />} />
            <Route path="drills/:drillId/reports" element={<ReportsPage />} />
            <Route
              path="dashboard"
              element={
                <RequirePermission permission="dashboard.read">
                  <DashboardPage />
                </RequirePermission>
              }
            />
            <Route
              path="corrective-actions"
              element={
                <RequirePermission permission="action.read">
                  <ActionsPage />
                </RequirePermission>
              }
            />
            <Route
              path="drills/:drillId/edit"
              element={
                <RequirePermission permission="drill.manage">
                  <DrillWizard />
                </RequirePermission>
              }
            />
            <Route path="incidents" element={<IncidentsPage />} />
            <Route path="incidents/reporting-presets" element={<ReportingPresetsPage />} />
            <Route path="incidents/:incidentId" element={<IncidentPage />} />
            <Route path="incidents/:incidentId/evidence" element={<EvidencePage />} />
            <Route path="drills/:drillId/evidence" element={<EvidencePage />} />
            <Route
              path="admin/users"
              element={
                <RequirePermission permission="user.read">
                  <UsersPage />
                </RequirePermission>
              }
            />
            <Route
              path="audit"
              element={
                <RequirePermission permission="audit.read">
                  <AuditPage />
                </RequirePermission>
              }
            />
            <Route
              path="rules"
              element={
                <RequirePermission permission="evidence.read">
                  <RulesPage />
                </RequirePermission>
              }
            />
            <Route
              path="admin/company"
              element={
                <RequirePermission permission="settings.write">
                  <CompanyPage />
                </RequirePermission>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AntApp>
    </ConfigProvider>
  );
}
