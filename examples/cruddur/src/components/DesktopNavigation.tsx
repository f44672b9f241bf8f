import { Link } from '../router.tsx';

export function DesktopNavigation() {
  return (
    <nav className="navigation">
      <Link to="/" className="logo">
        Cruddur
      </Link>
      <Link to="/" className="nav-link active">
        Home
      </Link>
    </nav>
  );
}
