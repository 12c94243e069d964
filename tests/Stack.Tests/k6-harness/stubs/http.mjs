// Records every request instead of sending it.
export const requests = [];

function respond(method, url, body, params) {
  requests.push({ method, url, body: body ?? null, headers: params?.headers ?? {}, tags: params?.tags ?? {} });
  const isToken = url.endsWith('/auth/token');
  return { status: 200, json: () => (isToken ? { access_token: 'token-' + requests.length } : []) };
}

export default {
  get: (url, params) => respond('GET', url, null, params),
  post: (url, body, params) => respond('POST', url, body, params),
};
