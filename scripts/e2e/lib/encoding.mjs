// Small encoding helpers shared by the tests.

/** Base64url without padding, as JWK wants key coordinates. */
export function base64url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}
