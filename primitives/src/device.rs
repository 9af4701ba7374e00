//! Device identities: key types, signatures and the payloads devices sign.
//!
//! One definition of every payload, shared by the runtime, the SDK and the tests, so a signature
//! made anywhere is checked against exactly the bytes the runtime rebuilds.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::DispatchResult;

use crate::anchor::SubjectId;

/// A device's identifier: 32 bytes chosen by its manufacturer (e.g. a hash of the chip's UID).
pub type DeviceId = [u8; 32];

/// The first bytes of every payload a device signs, so a device signature can never be mistaken
/// for a signature over anything else (a transaction, another protocol's message).
pub const PAYLOAD_MAGIC: [u8; 4] = *b"VIoT";

/// A device's public key.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub enum DevicePublicKey {
	/// Schnorrkel/Ristretto sr25519, as Substrate accounts use.
	Sr25519([u8; 32]),
	/// Ed25519.
	Ed25519([u8; 32]),
	/// ECDSA on secp256k1, compressed SEC1 (33 bytes); signs the blake2-256 hash of the payload.
	Ecdsa([u8; 33]),
	/// ECDSA on NIST P-256 (secp256r1), compressed SEC1 (33 bytes), as secure elements and RFID
	/// authentication chips use; signs the SHA-256 hash of the payload (as WebCrypto does) and
	/// the signature is `r || s`, 64 bytes.
	P256([u8; 33]),
}

/// The key types a device can have.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum KeyKind {
	/// sr25519.
	Sr25519,
	/// Ed25519.
	Ed25519,
	/// secp256k1 ECDSA.
	Ecdsa,
	/// NIST P-256 ECDSA.
	P256,
}

/// A signature by a device key. The variant must match the key's.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub enum DeviceSignature {
	/// sr25519 signature.
	Sr25519([u8; 64]),
	/// Ed25519 signature.
	Ed25519([u8; 64]),
	/// secp256k1 ECDSA signature with recovery id, `r || s || v`.
	Ecdsa([u8; 65]),
	/// P-256 ECDSA signature, `r || s`.
	P256([u8; 64]),
}

impl DevicePublicKey {
	/// The key's type.
	pub fn kind(&self) -> KeyKind {
		match self {
			Self::Sr25519(_) => KeyKind::Sr25519,
			Self::Ed25519(_) => KeyKind::Ed25519,
			Self::Ecdsa(_) => KeyKind::Ecdsa,
			Self::P256(_) => KeyKind::P256,
		}
	}

	/// Whether the bytes are a key that only its holder can sign for: a valid, canonically
	/// encoded point of the key's curve that is not degenerate. Refused at registration and
	/// rotation:
	/// - sr25519: the identity of the Ristretto group (all zeros), for which every signature
	///   verifies; Ristretto has no other small-order element.
	/// - Ed25519: points with a small-order component (the eight small-order points and every
	///   point of mixed order: with cofactored verification one secret signs for all eight
	///   `A + T`, which would bind one key to eight devices) and non-canonical encodings (a
	///   second byte string for the same point would bind one key twice).
	/// - secp256k1 and P-256: off-curve bytes, and every prefix but `0x02`/`0x03`; both groups have
	///   prime order and their identity has no compressed encoding, so no other point is
	///   degenerate. The compact encoding `0x05 || x` that RustCrypto also reads would give a
	///   point a second byte string (a chip's key bound twice).
	pub fn is_valid(&self) -> bool {
		match self {
			Self::Sr25519(bytes) => {
				*bytes != [0u8; 32] && schnorrkel::PublicKey::from_bytes(bytes).is_ok()
			}
			Self::Ed25519(bytes) => {
				use curve25519_dalek::{
					edwards::{CompressedEdwardsY, EdwardsPoint},
					scalar::Scalar,
					traits::IsIdentity,
				};
				let compressed = CompressedEdwardsY(*bytes);
				compressed.decompress().is_some_and(|point| {
					let torsion_free = (EdwardsPoint::vartime_double_scalar_mul_basepoint(
						&-Scalar::ONE,
						&point,
						&Scalar::ZERO,
					) + point)
						.is_identity();
					// The other non-canonical form, x = 0 with the sign bit set, names only
					// small-order points (y = 1 or -1).
					torsion_free && !point.is_small_order() && ed25519_y_is_canonical(bytes)
				})
			}
			Self::Ecdsa(bytes) => {
				matches!(bytes[0], 0x02 | 0x03) && k256::PublicKey::from_sec1_bytes(bytes).is_ok()
			}
			Self::P256(bytes) => crate::p256_ecdsa::is_valid_key(bytes),
		}
	}

	/// Whether `signature` is this key's signature over `message`. sr25519, ed25519 and
	/// secp256k1 use the host's verifiers; P-256 is verified in the runtime by our own verifier
	/// (`p256_ecdsa`: fiat-crypto's field, the same verdict as RustCrypto's `p256`). ECDSA signatures (secp256k1 and P-256) are accepted only in their low-S form
	/// (`s <= n/2`, as BIP-62 and libsecp256k1 define it), so each signature has exactly one
	/// accepted encoding: `(r, n - s)` over the same message is refused.
	pub fn verify(&self, message: &[u8], signature: &DeviceSignature) -> bool {
		use sp_core::{ecdsa, ed25519, sr25519};
		match (self, signature) {
			(Self::Sr25519(key), DeviceSignature::Sr25519(sig)) => sp_io::crypto::sr25519_verify(
				&sr25519::Signature::from_raw(*sig),
				message,
				&sr25519::Public::from_raw(*key),
			),
			(Self::Ed25519(key), DeviceSignature::Ed25519(sig)) => sp_io::crypto::ed25519_verify(
				&ed25519::Signature::from_raw(*sig),
				message,
				&ed25519::Public::from_raw(*key),
			),
			(Self::Ecdsa(key), DeviceSignature::Ecdsa(sig)) => {
				is_low_s_secp256k1(sig)
					&& sp_io::crypto::ecdsa_verify(
						&ecdsa::Signature::from_raw(*sig),
						message,
						&ecdsa::Public::from_raw(*key),
					)
			}
			(Self::P256(key), DeviceSignature::P256(sig)) => {
				crate::p256_ecdsa::verify(key, message, sig)
			}
			_ => false,
		}
	}
}

/// Whether the `s` of a secp256k1 `r || s || v` signature is below the group order and in its
/// lower half.
fn is_low_s_secp256k1(signature: &[u8; 65]) -> bool {
	use k256::elliptic_curve::{scalar::IsHigh, PrimeField};
	let s = k256::FieldBytes::clone_from_slice(&signature[32..64]);
	Option::<k256::Scalar>::from(k256::Scalar::from_repr(s))
		.is_some_and(|s| !bool::from(s.is_high()))
}

impl DeviceSignature {
	/// The type of key that made the signature.
	pub fn kind(&self) -> KeyKind {
		match self {
			Self::Sr25519(_) => KeyKind::Sr25519,
			Self::Ed25519(_) => KeyKind::Ed25519,
			Self::Ecdsa(_) => KeyKind::Ecdsa,
			Self::P256(_) => KeyKind::P256,
		}
	}
}

/// What a device vouches for with a signature.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub enum DeviceAction {
	/// Proves the device holds its key now (challenge-response authentication).
	Authenticate,
	/// Replaces the device's key with `new_key`. The new key signs it (proof of possession) and,
	/// unless the issuing manufacturer replaces a lost chip, the current key signs the same
	/// payload (the chip consents).
	RotateKey {
		/// The key that is to become the device's key.
		new_key: DevicePublicKey,
	},
	/// Vouches for a record: the device anchors `digest` (data anchoring's
	/// `anchor_from_device`).
	Anchor {
		/// The record's 32-byte digest.
		digest: H256,
		/// The item the record concerns, if any.
		subject: Option<SubjectId>,
		/// The event code (see [`crate::anchor::kind`]).
		kind: u16,
	},
	/// One half of a two-party scan (data anchoring's `anchor_scan`): the tag and the reader
	/// each sign this same action, each in its own payload with its own id and nonce.
	Scan {
		/// The scanned tag.
		tag: DeviceId,
		/// The reader that scanned it.
		reader: DeviceId,
		/// The scan record's 32-byte digest.
		digest: H256,
		/// The item the scan concerns, if any.
		subject: Option<SubjectId>,
		/// The event code (see [`crate::anchor::kind`]).
		kind: u16,
	},
}

/// The exact message a device signs: what it vouches for, bound to one chain (genesis hash),
/// one device and the device's current nonce, so no signature is accepted twice or elsewhere.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DevicePayload {
	/// Always [`PAYLOAD_MAGIC`].
	pub magic: [u8; 4],
	/// The genesis hash of the chain the signature is for.
	pub genesis_hash: H256,
	/// The signing device.
	pub device: DeviceId,
	/// The device's nonce on that chain; it goes up by one with every accepted signature.
	pub nonce: u64,
	/// What the device vouches for.
	pub action: DeviceAction,
}

impl DevicePayload {
	/// The payload for `device` at `nonce` on the chain with `genesis_hash`.
	pub fn new(genesis_hash: H256, device: DeviceId, nonce: u64, action: DeviceAction) -> Self {
		Self {
			magic: PAYLOAD_MAGIC,
			genesis_hash,
			device,
			nonce,
			action,
		}
	}

	/// The SCALE encoding of the payload: the bytes the device signs.
	pub fn to_bytes(&self) -> Vec<u8> {
		self.encode()
	}
}

/// Device status.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum DeviceStatus {
	/// The device can authenticate and sign.
	Active,
	/// Temporarily disabled by its owner; the owner, the issuing manufacturer or governance can
	/// resume it.
	Suspended,
	/// Permanently disabled (a cloned or compromised chip); final.
	Revoked,
	/// Temporarily disabled by its issuing manufacturer; only that manufacturer (while it is
	/// one) or governance can resume it, and the owner cannot remove it.
	SuspendedByIssuer,
}

/// Why a device signature was not accepted, for read-only checks through the runtime API.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum DeviceCheckError {
	/// No device has this id.
	UnknownDevice,
	/// The device is suspended or revoked.
	DeviceNotActive,
	/// The signature does not verify against the device's key and current payload.
	BadSignature,
}

/// Device signature checks, one mechanism for the whole runtime. Implemented by the
/// device-identity pallet; other pallets (e.g. data anchoring) take it in their `Config`.
pub trait VerifyDevice {
	/// Accepts `signature` if `device` is active and signed `action` with its current key over
	/// this chain's genesis hash and its current nonce, then advances the nonce so the same
	/// signature is never accepted again. Fails with the device-identity pallet's named errors.
	fn verify_and_consume(
		device: &DeviceId,
		action: DeviceAction,
		signature: &DeviceSignature,
	) -> DispatchResult;

	/// Whether `device` exists and is active.
	fn is_active(device: &DeviceId) -> bool;

	/// The payload `device` must sign now for `action`: this chain's genesis hash and the
	/// device's current nonce. `None` if no device has this id.
	fn payload(device: &DeviceId, action: DeviceAction) -> Option<DevicePayload>;
}

/// An attribute as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AttributeInfo {
	/// The key.
	pub key: Vec<u8>,
	/// The value.
	pub value: Vec<u8>,
	/// Set by the issuing manufacturer.
	pub certified: bool,
}

/// A device as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DeviceInfo<AccountId, Balance, BlockNumber> {
	/// Current public key.
	pub key: DevicePublicKey,
	/// Current owner.
	pub owner: AccountId,
	/// The manufacturer that registered the device.
	pub issuer: AccountId,
	/// Active, suspended (by its owner or by its issuer) or revoked.
	pub status: DeviceStatus,
	/// The nonce the device's next signature must carry.
	pub nonce: u64,
	/// Metadata set at registration.
	pub metadata: Vec<u8>,
	/// All attributes.
	pub attributes: Vec<AttributeInfo>,
	/// Deposit held for the record.
	pub deposit: Balance,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// A manufacturer as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ManufacturerInfo<BlockNumber> {
	/// Display name.
	pub name: Vec<u8>,
	/// Block at which governance added it.
	pub since: BlockNumber,
}

/// A provisioning batch's number: batches are numbered from 0 on each chain.
pub type BatchId = u32;

/// Whether an Ed25519 point encoding's y (its low 255 bits, little-endian) is below the field's
/// modulus p = 2^255 - 19: a y of p or more names the same point as y - p.
fn ed25519_y_is_canonical(bytes: &[u8; 32]) -> bool {
	!(bytes[31] & 0x7f == 0x7f && bytes[1..31].iter().all(|byte| *byte == 0xff) && bytes[0] >= 0xed)
}

/// Most siblings in a batch membership proof: a batch holds fewer than 2^32 devices.
pub const MAX_BATCH_PROOF: u32 = 32;

/// Most adjacent devices of a batch the runtime claims in one `claim_devices`.
pub const MAX_DEVICES_PER_CLAIM: u32 = 256;

/// The first bytes of every batch leaf's hashed encoding, so a leaf of a provisioning batch is
/// never the hash of anything else (an anchored record, a reading).
pub const BATCH_LEAF_MAGIC: [u8; 4] = *b"VIoB";

/// One device of a provisioning batch, as its manufacturer commits to it in the batch's Merkle
/// root: its id, its public key and the digest of its metadata.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BatchLeaf {
	/// The device's id.
	pub device: DeviceId,
	/// Its public key.
	pub key: DevicePublicKey,
	/// BLAKE2b-256 of its metadata (the bytes a claim stores in the record).
	pub metadata_digest: H256,
}

impl BatchLeaf {
	/// The leaf for a device with `metadata`.
	pub fn new(device: DeviceId, key: DevicePublicKey, metadata: &[u8]) -> Self {
		Self {
			device,
			key,
			metadata_digest: sp_io::hashing::blake2_256(metadata).into(),
		}
	}

	/// The leaf's value in the batch's tree (`binary_merkle_tree` with BLAKE2b-256, as anchored
	/// batches use): BLAKE2b-256 of [`BATCH_LEAF_MAGIC`] followed by the leaf's SCALE encoding.
	pub fn hash(&self) -> H256 {
		sp_io::hashing::blake2_256(&(BATCH_LEAF_MAGIC, self).encode()).into()
	}

	/// Whether `siblings` lead from this leaf at `leaf_index` to `root` of a batch of
	/// `device_count` devices: the membership check of a claim, on chain and off.
	pub fn is_in_batch(
		&self,
		root: H256,
		device_count: u32,
		leaf_index: u32,
		siblings: Vec<H256>,
	) -> bool {
		let proof = crate::anchor::InclusionProof {
			root,
			leaf_index,
			leaf_count: device_count,
			siblings,
		};
		crate::anchor::verify_merkle_proof(&self.hash(), &proof)
	}

	/// Whether `siblings`, a range proof ([`crate::anchor::merkle_range_root`]), lead from
	/// `leaves`, the devices at `first..first + leaves.len()`, to `root` of a batch of
	/// `device_count` devices: the membership check of a claim of adjacent devices (a carton).
	pub fn are_in_batch(
		leaves: &[BatchLeaf],
		root: H256,
		device_count: u32,
		first: u32,
		siblings: &[H256],
	) -> bool {
		let hashes: Vec<H256> = leaves.iter().map(BatchLeaf::hash).collect();
		crate::anchor::verify_merkle_range(root, device_count, first, &hashes, siblings)
	}
}

/// A provisioning batch as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BatchInfo<AccountId, Balance, BlockNumber> {
	/// The manufacturer that provisioned it.
	pub issuer: AccountId,
	/// The first owner of each of its devices.
	pub owner: AccountId,
	/// The Merkle root over its [`BatchLeaf`] hashes.
	pub root: H256,
	/// Its number of devices (leaves).
	pub device_count: u32,
	/// Deposit held from the manufacturer for the batch.
	pub deposit: Balance,
	/// Block it was provisioned in.
	pub created_at: BlockNumber,
}

sp_api::decl_runtime_apis! {
	/// Queries of device identities; `api.call.deviceIdentityApi.*` in Polkadot.js.
	///
	/// Version 2: `batch` (provisioning batches).
	#[api_version(2)]
	pub trait DeviceIdentityApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The device's record and attributes, if it is registered.
		fn device(device: DeviceId) -> Option<DeviceInfo<AccountId, Balance, BlockNumber>>;
		/// Up to `count` (at most 1,000) devices of `owner`, after `start_after` when given, in
		/// storage order; pass the last id of a page to get the next one.
		fn devices_of(owner: AccountId, start_after: Option<DeviceId>, count: u32) -> Vec<DeviceId>;
		/// The manufacturer's record, if `who` is one.
		fn manufacturer(who: AccountId) -> Option<ManufacturerInfo<BlockNumber>>;
		/// What the device must sign now to authenticate, if it is registered: its
		/// `Authenticate` payload at its current nonce. The device signs the payload's SCALE
		/// encoding.
		fn challenge(device: DeviceId) -> Option<DevicePayload>;
		/// Checks a device signature over `action` at the device's current nonce without
		/// consuming it.
		fn check_signature(
			device: DeviceId,
			action: DeviceAction,
			signature: DeviceSignature,
		) -> Result<(), DeviceCheckError>;
		/// The provisioning batch, if it exists (not closed). A device of the batch whose id has
		/// no record yet is usable with its membership proof (`claimDevice`).
		#[api_version(2)]
		fn batch(batch: BatchId) -> Option<BatchInfo<AccountId, Balance, BlockNumber>>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys::DeviceKeyPair;
	use curve25519_dalek::{constants::EIGHT_TORSION, edwards::CompressedEdwardsY};

	#[test]
	fn the_sr25519_identity_is_refused() {
		assert!(!DevicePublicKey::Sr25519([0; 32]).is_valid());
		let pair = DeviceKeyPair::from_seed(KeyKind::Sr25519, &[1; 32]).unwrap();
		assert!(pair.public().is_valid());
	}

	#[test]
	fn small_order_ed25519_points_are_refused_in_every_encoding() {
		for point in EIGHT_TORSION {
			let canonical = point.compress().to_bytes();
			assert!(
				!DevicePublicKey::Ed25519(canonical).is_valid(),
				"{canonical:?}"
			);
			// The same point with the sign bit flipped, where that still decodes.
			let mut flipped = canonical;
			flipped[31] ^= 0x80;
			assert!(!DevicePublicKey::Ed25519(flipped).is_valid());
		}
		let pair = DeviceKeyPair::from_seed(KeyKind::Ed25519, &[1; 32]).unwrap();
		assert!(pair.public().is_valid());
	}

	/// The Ed25519 check as it was until spec 116 (constant-time torsion check, and
	/// ed25519-zebra decoding the key once more): the faster check must give the same verdict.
	fn ed25519_valid_before(bytes: &[u8; 32]) -> bool {
		let compressed = CompressedEdwardsY(*bytes);
		compressed.decompress().is_some_and(|point| {
			point.is_torsion_free() && !point.is_small_order() && point.compress() == compressed
		}) && ed25519_zebra::VerificationKey::try_from(*bytes).is_ok()
	}

	#[test]
	fn the_ed25519_check_gives_the_verdict_it_gave_before() {
		use curve25519_dalek::{constants::ED25519_BASEPOINT_POINT, Scalar};
		let mut inputs: Vec<[u8; 32]> = Vec::new();
		// Byte strings that are mostly not points, points of every order, every encoding.
		let mut seed = [7u8; 32];
		for _ in 0..4_000 {
			seed = sp_io::hashing::blake2_256(&seed);
			inputs.push(seed);
		}
		for i in 1..300u64 {
			let point = ED25519_BASEPOINT_POINT * Scalar::from(i * 7_919);
			for torsion in EIGHT_TORSION {
				let mut bytes = (point + torsion).compress().to_bytes();
				inputs.push(bytes);
				bytes[31] ^= 0x80;
				inputs.push(bytes);
			}
		}
		for torsion in EIGHT_TORSION {
			inputs.push(torsion.compress().to_bytes());
		}
		for y in 0u8..19 {
			let mut bytes = [0xff; 32];
			bytes[0] = 0xed + y;
			bytes[31] = 0x7f;
			inputs.push(bytes);
			bytes[31] = 0xff;
			inputs.push(bytes);
		}
		// The inputs hold all 38 non-canonical encodings (y = p .. p + 18, either sign): none
		// is a prime-order point, so for every 32 bytes the verdict is the one before (where
		// y is canonical, re-encoding the point gives the bytes back unless x = 0, and both
		// such points are small-order).
		let non_canonical: Vec<_> = inputs
			.iter()
			.filter(|bytes| !ed25519_y_is_canonical(bytes))
			.collect();
		assert_eq!(non_canonical.len(), 38);
		assert!(non_canonical.iter().all(|bytes| {
			CompressedEdwardsY(**bytes)
				.decompress()
				.is_none_or(|point| !point.is_torsion_free() || point.is_small_order())
		}));
		let mut valid = 0;
		for bytes in &inputs {
			let now = DevicePublicKey::Ed25519(*bytes).is_valid();
			assert_eq!(now, ed25519_valid_before(bytes), "{bytes:?}");
			valid += usize::from(now);
		}
		assert!(
			valid > 600 && valid < inputs.len() / 2,
			"{valid} of {}",
			inputs.len()
		);
	}

	#[test]
	fn mixed_order_ed25519_points_are_refused() {
		// A real key plus each small-order point: with cofactored verification the same
		// secret signs for all of them.
		let pair = DeviceKeyPair::from_seed(KeyKind::Ed25519, &[1; 32]).unwrap();
		let DevicePublicKey::Ed25519(bytes) = pair.public() else {
			unreachable!()
		};
		let point = CompressedEdwardsY(bytes).decompress().unwrap();
		for torsion in EIGHT_TORSION.iter().skip(1) {
			let mixed = (point + torsion).compress().to_bytes();
			assert!(!DevicePublicKey::Ed25519(mixed).is_valid());
		}
	}

	#[test]
	fn compact_ecdsa_and_p256_encodings_are_refused() {
		// `0x05 || x` reads, in RustCrypto, as the point with the smaller y: for half of all
		// keys the very point of `0x02`/`0x03 || x`, which would then be bound twice.
		for (kind, seed) in [
			(KeyKind::Ecdsa, 1u8),
			(KeyKind::Ecdsa, 2),
			(KeyKind::P256, 1),
			(KeyKind::P256, 2),
		] {
			let key = DeviceKeyPair::from_seed(kind, &[seed; 32])
				.unwrap()
				.public();
			assert!(key.is_valid());
			let compact = match key {
				DevicePublicKey::Ecdsa(mut bytes) => {
					assert!(k256::PublicKey::from_sec1_bytes(&{
						bytes[0] = 5;
						bytes
					})
					.is_ok());
					DevicePublicKey::Ecdsa(bytes)
				}
				DevicePublicKey::P256(mut bytes) => {
					assert!(p256::PublicKey::from_sec1_bytes(&{
						bytes[0] = 5;
						bytes
					})
					.is_ok());
					DevicePublicKey::P256(bytes)
				}
				_ => unreachable!(),
			};
			assert!(!compact.is_valid(), "{compact:?}");
		}
	}

	#[test]
	fn non_canonical_ed25519_encodings_are_refused() {
		// y + p for y < 19 (either sign bit) encodes the same point as y: each that decodes is
		// refused, whatever the point.
		let mut decoded = 0;
		for y in 0u8..19 {
			for sign in [0u8, 0x80] {
				let mut alias = [0xffu8; 32];
				alias[0] = 0xed + y;
				alias[31] = 0x7f | sign;
				if CompressedEdwardsY(alias).decompress().is_some() {
					assert!(!DevicePublicKey::Ed25519(alias).is_valid(), "y = {y} + p");
					decoded += 1;
				}
			}
		}
		assert!(decoded > 0, "some non-canonical encodings decode");
	}

	/// The twin `(r, n - s)` of a low-S signature.
	fn high_s_twin(r_s: &[u8]) -> [u8; 64] {
		use p256::elliptic_curve::PrimeField;
		let s = p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&r_s[32..64])).unwrap();
		let mut twin = [0u8; 64];
		twin[..32].copy_from_slice(&r_s[..32]);
		twin[32..].copy_from_slice(&(-s).to_repr());
		twin
	}

	#[test]
	fn p256_signatures_are_accepted_in_their_low_s_form_only() {
		let pair = DeviceKeyPair::from_seed(KeyKind::P256, &[3; 32]).unwrap();
		let key = pair.public();
		for message in [&b"one"[..], b"two", b"three", b"four"] {
			let DeviceSignature::P256(low) = pair.sign(message) else {
				unreachable!()
			};
			let high = high_s_twin(&low);
			// The twin is a valid ECDSA signature that a plain verifier accepts...
			let DevicePublicKey::P256(point) = &key else {
				unreachable!()
			};
			use p256::ecdsa::{signature::Verifier, Signature, VerifyingKey};
			let verifying = VerifyingKey::from_sec1_bytes(point).unwrap();
			let twin = Signature::from_slice(&high).unwrap();
			assert!(verifying.verify(message, &twin).is_ok());
			// ...and the runtime refuses it.
			assert!(key.verify(message, &DeviceSignature::P256(low)));
			assert!(!key.verify(message, &DeviceSignature::P256(high)));
		}
	}

	#[test]
	fn secp256k1_signatures_are_accepted_in_their_low_s_form_only() {
		use k256::elliptic_curve::PrimeField;
		sp_io::TestExternalities::default().execute_with(|| {
			let pair = DeviceKeyPair::from_seed(KeyKind::Ecdsa, &[4; 32]).unwrap();
			let key = pair.public();
			let DeviceSignature::Ecdsa(low) = pair.sign(b"payload") else {
				unreachable!()
			};
			let s = k256::Scalar::from_repr(*k256::FieldBytes::from_slice(&low[32..64])).unwrap();
			let mut high = low;
			high[32..64].copy_from_slice(&(-s).to_repr());
			high[64] ^= 1;
			let DevicePublicKey::Ecdsa(public) = &key else {
				unreachable!()
			};
			// The host's recovering verifier accepts the twin with the flipped recovery id...
			assert!(sp_io::crypto::ecdsa_verify(
				&sp_core::ecdsa::Signature::from_raw(high),
				b"payload",
				&sp_core::ecdsa::Public::from_raw(*public),
			));
			// ...and the runtime refuses it.
			assert!(key.verify(b"payload", &DeviceSignature::Ecdsa(low)));
			assert!(!key.verify(b"payload", &DeviceSignature::Ecdsa(high)));
		});
	}
}
