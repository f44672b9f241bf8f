import type { ComponentType } from 'react';
import { DesktopNavigation } from './components/DesktopNavigation.tsx';
import { DesktopSidebar } from './components/DesktopSidebar.tsx';
import { ConfirmationPage } from './pages/ConfirmationPage.tsx';
import { HomeFeedPage } from './pages/HomeFeedPage.tsx';
import { RecoverPage } from './pages/RecoverPage.tsx';
import { SigninPage } from './pages/SigninPage.tsx';
import { SignupPage } from './pages/SignupPage.tsx';
import { Link, useLocation } from './router.tsx';

// The seed's routes. The account pages stand alone; the feed has the
// navigation on the left and the sidebar on the right.
const accountPages: Record<string, ComponentType> = {
  '/signup': SignupPage,
  '/confirm': ConfirmationPage,
  '/signin': SigninPage,
  '/forgot': RecoverPage,
};

export function App() {
  const { pathname } = useLocation();
  const Page = accountPages[pathname];
  if (Page)
    return (
      <div className="account-layout">
        <Link to="/" className="logo">
          Cruddur
        </Link>
        {/* A fresh component per path, so each page starts from its own query. */}
        <Page key={pathname} />
      </div>
    );
  return (
    <div className="layout">
      <DesktopNavigation />
      <main>{pathname === '/' ? <HomeFeedPage /> : <p className="muted">Nothing here. Go home.</p>}</main>
      <DesktopSidebar />
    </div>
  );
}
