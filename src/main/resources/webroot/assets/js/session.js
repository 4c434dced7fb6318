// The session and every call to the API: the access token is refreshed before it expires (/auth/refresh, read from
// its exp), a 401 for an expired token triggers one refresh and one retry, and each user action carries one
// Idempotency-Key that its retries reuse.

const ACCESS_KEY = 'stockroom.token';
const REFRESH_KEY = 'stockroom.refresh';
/** Refresh this long before the access token's exp (or at 80 % of a shorter life). */
const REFRESH_AHEAD_MS = 60_000;
/** How often an action is retried after a network failure or a 502/503/504, with the same Idempotency-Key. */
const ACTION_RETRIES = 2;

let accessToken = sessionStorage.getItem(ACCESS_KEY);
let refreshToken = sessionStorage.getItem(REFRESH_KEY);
let refreshTimer = null;
let refreshing = null;
let onLost = () => {};

/** A problem+json answer (or a network failure, status 0) as an Error with its fields. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super((body && (body.detail || body.title)) || fallback || ('HTTP ' + status));
    this.status = status;
    this.type = body && body.type;
    this.body = body || {};
  }
}

/** The claims of a JWT (not verified: only to know when it expires). */
function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(part.length + (4 - part.length % 4) % 4, '=')));
  } catch (e) {
    return {};
  }
}

const expiresAt = (token) => (claims(token).exp || 0) * 1000;

/** A fresh key per user action (crypto.randomUUID needs a secure context: fall back to random bytes). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const token = () => accessToken;

/** The access token, renewed first when it ends within a second (the bridge checks it when a handler registers). */
export async function freshToken() {
  if (accessToken && refreshToken && expiresAt(accessToken) <= Date.now() + 1000) await refresh().catch(() => {});
  return accessToken;
}
export const hasSession = () => Boolean(accessToken);
/** What to do when the session cannot be kept (refresh refused): the page logs out with this message. */
export function onSessionLost(handler) { onLost = handler; }

/** Keeps a session from /auth/login, /auth/signup or /auth/refresh and plans its refresh. */
export function keep(session) {
  accessToken = session.accessToken;
  refreshToken = session.refreshToken || refreshToken;
  sessionStorage.setItem(ACCESS_KEY, accessToken);
  if (refreshToken) sessionStorage.setItem(REFRESH_KEY, refreshToken);
  planRefresh();
}

export function forget() {
  clearTimeout(refreshTimer);
  accessToken = null;
  refreshToken = null;
  sessionStorage.removeItem(ACCESS_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
}

/** Ends the session on the server too (best effort). */
export async function logoutRemote() {
  if (!refreshToken) return;
  await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }) }).catch(() => null);
}

function planRefresh() {
  clearTimeout(refreshTimer);
  if (!accessToken || !refreshToken) return;
  const left = expiresAt(accessToken) - Date.now();
  const wait = Math.max(0, Math.min(left - REFRESH_AHEAD_MS, left * 0.8));
  refreshTimer = setTimeout(() => refresh().catch(() => {}), wait);
}

/** One refresh at a time: callers during a refresh wait for the same one. A refused refresh ends the session. */
export function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      if (!refreshToken) throw new ApiError(401, null, 'Your session expired; log in again.');
      const res = await fetch('/api/v1/auth/refresh', { method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        if (res.status === 400 || res.status === 401) {
          forget();
          onLost('Your session expired; log in again.');
        }
        throw new ApiError(res.status, body, 'Could not renew the session');
      }
      keep(body);
      return body;
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** A 401 that says the access token is no longer good (or a token we know has expired): worth one refresh. */
function expiredAnswer(res, body, sentToken) {
  if (res.status !== 401) return false;
  const challenge = res.headers.get('WWW-Authenticate') || '';
  return /error="invalid_token"/.test(challenge) || (body && body.type === 'urn:stockroom:problem:token-expired')
    || (sentToken && expiresAt(sentToken) <= Date.now() + 1000);
}

async function send(path, { method = 'GET', body, key, auth = true } = {}) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  if (auth && accessToken && refreshToken && expiresAt(accessToken) <= Date.now() + 1000) await refresh().catch(() => {});
  const sentToken = auth ? accessToken : null;
  if (sentToken) headers['Authorization'] = 'Bearer ' + sentToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = res.status === 204 ? null : await res.json().catch(() => null);
  return { res, answer, sentToken };
}

/**
 * One call: JSON in and out, problem+json thrown as ApiError. A 401 for an expired token refreshes once and retries
 * (with the same Idempotency-Key); a 401 after that ends the session.
 */
export async function api(path, options = {}) {
  let { res, answer, sentToken } = await send(path, options);
  if (options.auth !== false && expiredAnswer(res, answer, sentToken) && refreshToken) {
    await refresh();
    ({ res, answer } = await send(path, options));
  }
  if (res.status === 401 && options.auth !== false) {
    forget();
    onLost('Your session expired; log in again.');
  }
  if (!res.ok) throw new ApiError(res.status, answer, res.statusText);
  return answer;
}

/**
 * A user action that changes stock: one Idempotency-Key for the action, reused when a network failure or a 502/503/504
 * makes the page try again, so the server applies it once.
 */
export async function act(path, body) {
  const key = newKey();
  for (let attempt = 0; ; attempt++) {
    try {
      return await api(path, { method: 'POST', body, key });
    } catch (err) {
      const transient = !(err instanceof ApiError) || [502, 503, 504].includes(err.status);
      if (!transient || attempt >= ACTION_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
}

if (accessToken) planRefresh();
