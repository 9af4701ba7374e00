//! ECDSA verification on NIST P-256, fast enough for the runtime.
//!
//! The runtime has no P-256 host function, so a chip's signature is verified inside WebAssembly.
//! RustCrypto's `p256` 0.13 verifies with two constant-time scalar multiplications in projective
//! coordinates, and its field arithmetic works on 64-bit limbs, which WebAssembly multiplies
//! through a 128-bit software routine. Verification handles public data only, so it need not be
//! constant-time. This module verifies with:
//!
//! - field arithmetic from `fiat-crypto` (formally verified, generated code), on 32-bit limbs on
//!   32-bit targets such as the runtime's WebAssembly;
//! - Jacobian coordinates with the `a = -3` doubling (3M + 5S) and additions that handle every
//!   exceptional case (identity, equal points, opposite points) explicitly;
//! - one interleaved double-scalar multiplication `u1·G + u2·Q` (256 shared doublings), with
//!   width-5 wNAF digits for the key and width-7 digits for the generator, whose 32 odd multiples
//!   are a constant table in affine coordinates;
//! - the final `x(R) mod n == r` test without an inversion (`X == r·Z²`, or `(r + n)·Z²`).
//!
//! `p256` still parses and checks the signature's scalars (range, non-zero, low-S), reduces the
//! digest and inverts `s`. The verdict equals `p256`'s plus the low-S rule on every input; the
//! tests below compare them on random, tampered and crafted keys, signatures and scalars (the
//! group law's exceptional cases, a sum that is the identity, `x(R) >= n`) and on Project
//! Wycheproof's P-256/SHA-256 vectors.
//!
//! `verifier.rs` is compiled once per limb width: the runtime (wasm32) uses 32-bit limbs, a
//! 64-bit host 64-bit ones, and the tests of a 64-bit host run both, so the code the runtime
//! executes is the code the tests check.

#[cfg(target_pointer_width = "32")]
pub(crate) use limbs32::{is_valid_key, verify};
#[cfg(target_pointer_width = "64")]
pub(crate) use limbs64::{is_valid_key, verify};

/// fiat-crypto's 32-bit P-256 field: what the runtime's WebAssembly runs.
#[cfg(any(target_pointer_width = "32", test))]
mod limbs32 {
	use fiat_crypto::p256_32 as fiat;

	type Limbs = [u32; 8];

	/// Little-endian 64-bit words as 32-bit limbs.
	const fn limbs(words: [u64; 4]) -> Limbs {
		let mut out = [0u32; 8];
		let mut i = 0;
		while i < 4 {
			out[2 * i] = words[i] as u32;
			out[2 * i + 1] = (words[i] >> 32) as u32;
			i += 1;
		}
		out
	}

	#[cfg(test)]
	fn words(limbs: &Limbs) -> [u64; 4] {
		core::array::from_fn(|i| limbs[2 * i] as u64 | (limbs[2 * i + 1] as u64) << 32)
	}

	include!("verifier.rs");
}

/// fiat-crypto's 64-bit P-256 field, for native builds (node, gateway, SDK tests).
#[cfg(target_pointer_width = "64")]
mod limbs64 {
	use fiat_crypto::p256_64 as fiat;

	type Limbs = [u64; 4];

	/// Little-endian 64-bit words are already this target's limbs.
	const fn limbs(words: [u64; 4]) -> Limbs {
		words
	}

	#[cfg(test)]
	fn words(limbs: &Limbs) -> [u64; 4] {
		*limbs
	}

	include!("verifier.rs");
}
