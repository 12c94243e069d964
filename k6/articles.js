// Load test of Articles.Api: v1 (slow: correlated COUNT subqueries) and v2 (optimised) list endpoints.
//
//   docker compose run --rm k6                       (see docker-compose.yml and .env.example)
//   k6 run -o experimental-prometheus-rw --tag testid=v1-run1 -e LOAD_TESTID=v1-run1 -e LOAD_SCENARIO=v1 k6/articles.js
//
// Parameters are LOAD_* (and BASE_URL, ARTICLES_DEMO_PASSWORD), never K6_*: k6 reads K6_* variables as its own
// options, and K6_VUS or K6_DURATION would replace the scenarios below.
//
// Every request carries the test id three ways: the k6 tag `testid` (k6's own metrics in Prometheus),
// W3C `baggage` (k6.testid, k6.scenario, k6.name: the API copies them onto spans, metric labels and
// profile labels) and a fresh W3C `traceparent` (so the k6 request and the server trace share one id).
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { randomBytes } from 'k6/crypto';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:8080';
const TESTID = __ENV.LOAD_TESTID || 'local-1';
const WHICH = (__ENV.LOAD_SCENARIO || 'both').toLowerCase();
const VUS = parseInt(__ENV.LOAD_VUS || '5', 10);
const DURATION = __ENV.LOAD_DURATION || '1m';
const USERS = parseInt(__ENV.LOAD_USERS || '100', 10);
const PASSWORD = __ENV.ARTICLES_DEMO_PASSWORD || 'articles-demo';
const PAGE_SIZE = parseInt(__ENV.LOAD_PAGE_SIZE || '20', 10);
const PAGES = parseInt(__ENV.LOAD_PAGES || '10', 10);

// The API keeps only these characters in its testid label (and at most 64): an id made of them is the same
// label on k6's metrics and the server's, and needs no escaping in the dashboards' queries.
if (!/^[A-Za-z0-9._:\/-]{1,64}$/.test(TESTID)) {
  throw new Error(`LOAD_TESTID must be 1-64 of A-Z a-z 0-9 . _ : / -, not '${TESTID}'`);
}

function scenario(fn, startTime) {
  return { executor: 'constant-vus', exec: fn, vus: VUS, duration: DURATION, startTime, gracefulStop: '10s' };
}

// `both` runs v1 first, then v2, so the two show as separate windows on the Load test dashboard.
const scenarios = {};
if (WHICH === 'v1' || WHICH === 'both') scenarios.v1 = scenario('listV1', '0s');
if (WHICH === 'v2' || WHICH === 'both') scenarios.v2 = scenario('listV2', WHICH === 'both' ? DURATION : '0s');
if (Object.keys(scenarios).length === 0) {
  throw new Error(`LOAD_SCENARIO must be v1, v2 or both, not '${WHICH}'`);
}

export const options = {
  scenarios,
  // Used when no --tag is given on the command line (command-line tags replace these).
  tags: { testid: TESTID },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{scenario:v1}': ['p(95)<3000'],
    'http_req_duration{scenario:v2}': ['p(95)<500'],
  },
};

// W3C trace context: version 00, 16-byte trace id, 8-byte parent id, flags 01 (sampled).
function hex(bytes) {
  const view = new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += (view[i] < 16 ? '0' : '') + view[i].toString(16);
  return out;
}

function nonZeroHex(length) {
  let value = hex(randomBytes(length));
  while (/^0+$/.test(value)) value = hex(randomBytes(length));
  return value;
}

export function traceparent() {
  return `00-${nonZeroHex(16)}-${nonZeroHex(8)}-01`;
}

// W3C baggage: comma-separated key=value members, values percent-encoded.
export function baggage(name) {
  const entries = { 'k6.testid': TESTID, 'k6.scenario': exec.scenario.name, 'k6.name': name };
  return Object.keys(entries).map((k) => `${k}=${encodeURIComponent(entries[k])}`).join(',');
}

function params(name, token) {
  const headers = { traceparent: traceparent(), baggage: baggage(name) };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { headers, tags: { name } };
}

// One token per VU, fetched on the VU's first iteration and kept (RS256 verification on the server
// is part of what the test measures; signing is not).
let token = null;

function signIn() {
  const name = 'POST /auth/token';
  const user = `user${((exec.vu.idInTest - 1) % USERS) + 1}`;
  const p = params(name);
  p.headers['Content-Type'] = 'application/json';
  const res = http.post(`${BASE_URL}/auth/token`, JSON.stringify({ username: user, password: PASSWORD }), p);
  check(res, { 'token issued': (r) => r.status === 200 });
  if (res.status !== 200) {
    throw new Error(`POST /auth/token for ${user} answered ${res.status}`);
  }
  const body = res.json();
  return body.access_token || body.accessToken || body.token;
}

function list(version) {
  if (token === null) token = signIn();
  const name = `GET /${version}/articles`;
  const page = (exec.scenario.iterationInTest % PAGES) + 1;
  const res = http.get(`${BASE_URL}/${version}/articles?page=${page}&size=${PAGE_SIZE}`, params(name, token));
  check(res, { [`${version} list is 200`]: (r) => r.status === 200 });
  if (res.status === 401) token = null;
}

export function listV1() {
  list('v1');
}

export function listV2() {
  list('v2');
}
