import { useEffect, useState } from 'preact/hooks';

/** Where the console is: `#/inbox?status=open`, `#/tickets/12`, `#/sign-in`. Hash routes need no server routes. */
export interface Route {
  path: string;
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/inbox';
  const [path, search = ''] = hash.split('?', 2) as [string, string?];
  return { path: path || '/inbox', params: new URLSearchParams(search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = to.startsWith('#') ? to : `#${to}`;
  if (options.replace) history.replaceState(null, '', target);
  else if (location.hash !== target) location.hash = target;
  // replaceState fires no hashchange; tell the app ourselves.
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** `/tickets/12` → `12`. */
export function ticketIdOf(route: Route): string | undefined {
  const m = /^\/tickets\/([^/]+)$/.exec(route.path);
  return m ? decodeURIComponent(m[1]!) : undefined;
}
