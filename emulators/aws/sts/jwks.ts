import { createRemoteJWKSet } from 'jose';

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * An issuer's signing keys, found the way STS finds them: the discovery document's `jwks_uri`,
 * falling back to GitHub's `<issuer>/.well-known/jwks`. Key sets are cached per issuer and
 * refetched by jose when a token names an unknown key id.
 */
export class JwksResolver {
  private readonly sets = new Map<string, Promise<KeySet>>();

  keysFor(issuer: string): Promise<KeySet> {
    let set = this.sets.get(issuer);
    if (!set) {
      set = discover(issuer).then((uri) => createRemoteJWKSet(new URL(uri)));
      // A failed discovery must not be remembered: the issuer may come up later.
      set.catch(() => this.sets.delete(issuer));
      this.sets.set(issuer, set);
    }
    return set;
  }
}

async function discover(issuer: string): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  try {
    const res = await fetch(`${base}/.well-known/openid-configuration`);
    if (res.ok) {
      const doc = (await res.json()) as { jwks_uri?: unknown };
      if (typeof doc.jwks_uri === 'string') return doc.jwks_uri;
    }
  } catch {
    // No discovery document: GitHub-style issuers still serve the JWKS at a well-known path.
  }
  return `${base}/.well-known/jwks`;
}
