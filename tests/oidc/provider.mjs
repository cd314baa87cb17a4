// Two OpenID providers on 127.0.0.1 for Beraad's sign-in tests (tests/integration/oidc.rs):
//
// - `issuer`: the certified `oidc-provider` package, a real OpenID provider. One client (Beraad)
//   with the test's redirect URI, client_secret_basic, PKCE required. Its login interaction
//   signs in, without a form, whichever test account was last chosen with
//   `POST /test/account {sub, email, email_verified, name, groups}`.
// - `stub`: a small provider of our own (discovery, JWKS, authorisation, token) that signs ID
//   tokens deliberately wrong when told (`POST /test/mode {"mode", "sub", "email"}`): `good`,
//   `tampered` (a claim changed after signing), `wrong_aud`, `expired`. oidc-provider cannot be
//   made to issue such tokens, which Beraad must refuse.
//
// Usage: node provider.mjs REDIRECT_URI POST_LOGOUT_URI CLIENT_SECRET
// Prints one JSON line {"issuer": "...", "stub": "..."} once both listen.

import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const [redirectUri, postLogoutUri, clientSecret] = process.argv.slice(2);
if (!redirectUri || !postLogoutUri || !clientSecret) {
  console.error('usage: node provider.mjs REDIRECT_URI POST_LOGOUT_URI CLIENT_SECRET');
  process.exit(2);
}
const CLIENT_ID = 'beraad';

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// --- the real provider ----------------------------------------------------------------------

const accounts = new Map();
let current = null;

async function startProvider() {
  const server = http.createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // The ID token carries the claims of the granted scopes (as Entra ID and Keycloak do
    // with their group mappers), not only those asked for with the claims parameter.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ ...claims }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['beraad-test-cookie-key'] },
    jwks: { keys: [signingKey] },
  });
  const callback = provider.callback();

  // The login and consent prompts, answered at once for the chosen test account.
  async function interaction(req, res) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!current) {
        res.writeHead(500).end('no test account chosen');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: current.sub } },
        { mergeWithLastSubmission: false });
      return;
    }
    const accountId = details.session.accountId;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  server.on('request', async (req, res) => {
    try {
      if (req.url.startsWith('/interaction/')) {
        await interaction(req, res);
      } else if (req.method === 'POST' && req.url === '/test/account') {
        current = JSON.parse(await readBody(req));
        accounts.set(current.sub, current);
        res.writeHead(204).end();
      } else {
        callback(req, res);
      }
    } catch (e) {
      console.error(e);
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  return issuer;
}

// --- the faulty stub ------------------------------------------------------------------------

async function startStub() {
  const server = http.createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'stub-key', alg: 'RS256', use: 'sig' };
  let mode = 'good';
  let person = { sub: 'stub-subject', email: 'stub@example.org' };
  // code -> what the authorisation request carried
  const codes = new Map();

  async function idToken(nonce) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      nonce,
      email: person.email,
      email_verified: true,
      name: 'Stub Persoon',
    };
    const signed = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'stub-key' })
      .setIssuer(issuer)
      .setSubject(person.sub)
      .setAudience(mode === 'wrong_aud' ? 'another-client' : CLIENT_ID)
      .setIssuedAt(mode === 'expired' ? now - 7200 : now)
      .setExpirationTime(mode === 'expired' ? now - 3600 : now + 300)
      .sign(privateKey);
    if (mode !== 'tampered') return signed;
    // Change the subject after signing: the signature no longer matches.
    const [header, payload, signature] = signed.split('.');
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString());
    body.sub = 'someone-else';
    return [header, Buffer.from(JSON.stringify(body)).toString('base64url'), signature].join('.');
  }

  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      const json = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        json(200, {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      } else if (url.pathname === '/jwks') {
        json(200, { keys: [jwk] });
      } else if (url.pathname === '/auth') {
        const p = url.searchParams;
        if (p.get('client_id') !== CLIENT_ID || p.get('redirect_uri') !== redirectUri
          || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) {
          json(400, { error: 'invalid_request' });
          return;
        }
        const code = crypto.randomBytes(16).toString('hex');
        codes.set(code, { nonce: p.get('nonce'), challenge: p.get('code_challenge') });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', p.get('state'));
        res.writeHead(303, { location: back.toString() }).end();
      } else if (url.pathname === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${clientSecret}`).toString('base64')}`;
        const found = codes.get(form.get('code'));
        codes.delete(form.get('code'));
        const verifier = form.get('code_verifier') || '';
        const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
        if (req.headers.authorization !== expected || !found || found.challenge !== challenge) {
          json(400, { error: 'invalid_grant' });
          return;
        }
        json(200, {
          access_token: crypto.randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: await idToken(found.nonce),
        });
      } else if (url.pathname === '/test/mode' && req.method === 'POST') {
        const body = JSON.parse(await readBody(req));
        mode = body.mode;
        person = { sub: body.sub || person.sub, email: body.email || person.email };
        res.writeHead(204).end();
      } else {
        json(404, { error: 'not_found' });
      }
    } catch (e) {
      console.error(e);
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  return issuer;
}

const issuer = await startProvider();
const stub = await startStub();
console.log(JSON.stringify({ issuer, stub }));
process.on('SIGTERM', () => process.exit(0));
