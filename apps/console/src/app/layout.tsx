import { NavLink, Outlet } from 'react-router';

/** The frame of every view: navigation and signing out. */
export function Layout({ onSignOut }: { onSignOut: () => void }) {
  return (
    <>
      <header className="top">
        <span className="brand">Continuum</span>
        <nav aria-label="Main">
          <NavLink to="/journeys">Journeys</NavLink>
          <NavLink to="/search">Search</NavLink>
          <NavLink to="/inbox">Inbox</NavLink>
          <NavLink to="/broadcasts">Broadcasts</NavLink>
          <NavLink to="/templates">Templates</NavLink>
        </nav>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}
