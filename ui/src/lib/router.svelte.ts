/**
 * A hash router: the app is one page inside Tauri, and #/ routes survive
 * reloads in development.
 *
 *   #/                                   dashboard
 *   #/agreements                         every agreement
 *   #/agreements?partner=ID              (filtered)
 *   #/partners/ID                        one partner and its agreements
 *   #/agreements/ID                      one agreement and its clause table
 *   #/agreements/ID/clauses/CID          ... with a clause's panel open
 *   #/meetings                           meetings, upcoming and past
 *   #/meetings/ID                        one meeting: agenda, outcomes, review
 *   #/exchange                           files to and from colleagues' registers, conflicts
 *   #/settings
 */
export type Route =
  | { name: 'dashboard' }
  | { name: 'agreements'; partner: string | null }
  | { name: 'partner'; id: string }
  | { name: 'agreement'; id: string; clause: string | null }
  | { name: 'meetings' }
  | { name: 'meeting'; id: string }
  | { name: 'exchange' }
  | { name: 'settings' }
  | { name: 'not_found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'dashboard' };
  if (parts[0] === 'settings' && parts.length === 1) return { name: 'settings' };
  if (parts[0] === 'meetings' && parts.length === 1) return { name: 'meetings' };
  if (parts[0] === 'exchange' && parts.length === 1) return { name: 'exchange' };
  if (parts[0] === 'meetings' && parts.length === 2) return { name: 'meeting', id: parts[1] };
  if (parts[0] === 'partners' && parts.length === 2) return { name: 'partner', id: parts[1] };
  if (parts[0] === 'agreements') {
    if (parts.length === 1) return { name: 'agreements', partner: params.get('partner') };
    if (parts.length === 2) return { name: 'agreement', id: parts[1], clause: null };
    if (parts.length === 4 && parts[2] === 'clauses') return { name: 'agreement', id: parts[1], clause: parts[3] };
  }
  return { name: 'not_found', path };
}

export const router = $state<{ route: Route }>({ route: parseRoute(typeof location === 'undefined' ? '' : location.hash) });

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const hash = '#' + path;
  if (location.hash === hash) return;
  if (opts.replace) {
    history.replaceState(null, '', hash);
    router.route = parseRoute(hash);
  } else {
    location.hash = hash;
  }
}

export function startRouter(): () => void {
  const sync = () => {
    router.route = parseRoute(location.hash);
  };
  sync();
  window.addEventListener('hashchange', sync);
  return () => window.removeEventListener('hashchange', sync);
}

export const paths = {
  dashboard: () => '/',
  agreements: (partner?: string | null) => (partner ? `/agreements?partner=${encodeURIComponent(partner)}` : '/agreements'),
  partner: (id: string) => `/partners/${encodeURIComponent(id)}`,
  agreement: (id: string) => `/agreements/${encodeURIComponent(id)}`,
  clause: (agreementId: string, clauseId: string) =>
    `/agreements/${encodeURIComponent(agreementId)}/clauses/${encodeURIComponent(clauseId)}`,
  meetings: () => '/meetings',
  meeting: (id: string) => `/meetings/${encodeURIComponent(id)}`,
  exchange: () => '/exchange',
  settings: () => '/settings',
};
