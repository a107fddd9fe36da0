// A real OpenID Connect provider on loopback for the browser tests: the npm
// package oidc-provider (package.json), with one confidential client and
// accounts whose identity code travels in a claim of a configurable name.
//
//   node tests/e2e/browser/oidc_peer.mjs PORT
//
// The rest comes from the environment, set by the test that starts it:
//   PEER_CLIENT_ID, PEER_CLIENT_SECRET, PEER_REDIRECT_URI  the portal's client,
//   PEER_CLAIM     the claim that carries the identity code (e.g. "hetu"),
//   PEER_ACCOUNTS  JSON {account id: identity code, or null for none}.
// Login uses oidc-provider's development interactions: type the account id
// and any password, then continue. The line "listening <issuer>" on stdout
// tells the test that the provider answers.

import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error(`usage: node oidc_peer.mjs PORT (got ${process.argv[2]})`);
  process.exit(2);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`environment variable ${name} is missing`);
    process.exit(2);
  }
  return value;
}

const claim = required('PEER_CLAIM');
const accounts = JSON.parse(required('PEER_ACCOUNTS'));
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ format: 'jwk' });

const configuration = {
  clients: [
    {
      client_id: required('PEER_CLIENT_ID'),
      client_secret: required('PEER_CLIENT_SECRET'),
      redirect_uris: [required('PEER_REDIRECT_URI')],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // The identity code is released with the openid scope, the only one the
  // portal asks for; an access token's claims go to userinfo only.
  claims: { openid: ['sub', claim] },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        // An account whose code is null has no identity claim at all.
        return accounts[id] === null ? { sub: id } : { sub: id, [claim]: accounts[id] };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'peer' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1').on('listening', () => {
  console.log(`listening ${issuer}`);
});

process.on('SIGTERM', () => process.exit(0));
