//! The JavaScript API (wasm-bindgen): thin wrappers that take and give `Uint8Array`s in the
//! runtime's encodings and throw an `Error` with the SDK's message on bad input.

use codec::{DecodeAll, Encode};
use js_sys::{Object, Reflect, Uint8Array};
use viot_primitives::{
	anchor::{AnchorSource, InclusionProof as Proof, SubjectId},
	device::{DeviceId, DevicePublicKey, DeviceSignature},
	offchain::OffchainPayload,
	Hash,
};
use wasm_bindgen::prelude::*;

use crate::{
	batch::{self, Batch as RustBatch},
	fixed,
	keys::{self, DeviceKey as RustKey},
	payload, provisioning, subject,
	verify::{self, Anchor as RustAnchor, Entry},
	Error,
};

/// Bytes given as a `Uint8Array` (a Polkadot.js hash or id is one) or a hex string, with or
/// without `0x`.
fn bytes(value: &JsValue, what: &'static str) -> Result<Vec<u8>, Error> {
	if let Some(text) = value.as_string() {
		let digits = text.strip_prefix("0x").unwrap_or(&text);
		return hex::decode(digits).map_err(|_| Error::NotBytes(what));
	}
	value
		.dyn_ref::<Uint8Array>()
		.map(Uint8Array::to_vec)
		.ok_or(Error::NotBytes(what))
}

fn id32(value: &JsValue, what: &'static str) -> Result<[u8; 32], Error> {
	fixed(&bytes(value, what)?, what)
}

fn hash_of(value: &JsValue, what: &'static str) -> Result<Hash, Error> {
	id32(value, what).map(Hash::from)
}

/// A value of the runtime's type `T` from its SCALE encoding, given as bytes or hex.
fn decode<T: DecodeAll>(value: &JsValue, what: &'static str) -> Result<T, Error> {
	T::decode_all(&mut &bytes(value, what)?[..]).map_err(|_| Error::Decode(what))
}

/// An optional subject: `undefined` or `null` for none.
fn subject(value: &JsValue) -> Result<Option<SubjectId>, Error> {
	if value.is_undefined() || value.is_null() {
		return Ok(None);
	}
	id32(value, "a subject").map(Some)
}

/// A nonce given as a `bigint` or a safe integer `number`.
fn nonce(value: &JsValue) -> Result<u64, Error> {
	if let Some(n) = value.as_f64() {
		if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
			return Ok(n as u64);
		}
	} else if value.is_bigint() {
		if let Ok(n) = u64::try_from(value.clone()) {
			return Ok(n);
		}
	}
	Err(Error::InvalidNonce)
}

fn hex(bytes: &[u8]) -> JsValue {
	JsValue::from_str(&format!("0x{}", hex::encode(bytes)))
}

fn hashes(values: &[JsValue], what: &'static str) -> Result<Vec<Hash>, Error> {
	values.iter().map(|v| hash_of(v, what)).collect()
}

/// A device key pair: sr25519, ed25519, ecdsa (secp256k1) or p256 (NIST P-256).
#[wasm_bindgen]
pub struct DeviceKey(RustKey);

#[wasm_bindgen]
impl DeviceKey {
	/// A new key pair of type `kind` ("sr25519", "ed25519", "ecdsa" or "p256") from the system's
	/// randomness (`crypto.getRandomValues`).
	pub fn generate(kind: &str) -> Result<DeviceKey, JsError> {
		Ok(Self(RustKey::generate(keys::parse_kind(kind)?)?))
	}

	/// The key pair of type `kind` with a 32-byte secret, as `secret` exports it. The same
	/// secret gives the same key as Polkadot.js `addFromSeed` (sr25519, ed25519, ecdsa) and
	/// as the private scalar of a P-256 key (JWK `d`).
	#[wasm_bindgen(js_name = fromSecret)]
	pub fn from_secret(
		kind: &str,
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] secret: JsValue,
	) -> Result<DeviceKey, JsError> {
		let secret = bytes(&secret, "a key secret")?;
		Ok(Self(RustKey::from_secret(
			keys::parse_kind(kind)?,
			&secret,
		)?))
	}

	/// The key's type: "sr25519", "ed25519", "ecdsa" or "p256".
	#[wasm_bindgen(getter)]
	pub fn kind(&self) -> String {
		keys::kind_name(self.0.kind()).into()
	}

	/// The 32-byte secret, to store the key and import it with `fromSecret`. Keep it secret.
	#[wasm_bindgen(getter)]
	pub fn secret(&self) -> Vec<u8> {
		self.0.secret().to_vec()
	}

	/// The public key in the runtime's encoding (SCALE `DevicePublicKey`): pass it as the key
	/// of `deviceIdentity.registerDevice` or `rotateKey`.
	#[wasm_bindgen(getter, js_name = publicKey)]
	pub fn public_key(&self) -> Vec<u8> {
		self.0.public_key_bytes()
	}

	/// The bare public key: 32 bytes (sr25519, ed25519) or a 33-byte compressed point.
	#[wasm_bindgen(getter, js_name = rawPublicKey)]
	pub fn raw_public_key(&self) -> Vec<u8> {
		keys::raw_public_key(&self.0.public_key()).to_vec()
	}

	/// Signs `message` (a payload's bytes) and returns the signature in the runtime's encoding
	/// (SCALE `DeviceSignature`), ready to submit.
	pub fn sign(&self, message: &[u8]) -> Vec<u8> {
		self.0.sign(message).encode()
	}
}

/// A public key made outside the SDK (e.g. read from a chip), in the runtime's encoding (SCALE
/// `DevicePublicKey`): 32 bytes for sr25519 and ed25519; for ecdsa and p256 a SEC1 point,
/// compressed (33 bytes) or uncompressed (65 bytes, WebCrypto's `raw` export). Throws unless it
/// is a valid key of `kind`.
#[wasm_bindgen(js_name = publicKeyFromRaw)]
pub fn public_key_from_raw(
	kind: &str,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] raw: JsValue,
) -> Result<Vec<u8>, JsError> {
	let raw = bytes(&raw, "the public key")?;
	Ok(keys::public_key_from_raw(keys::parse_kind(kind)?, &raw)?.encode())
}

/// A signature made outside the SDK, in the runtime's encoding (SCALE `DeviceSignature`): 64
/// bytes for sr25519 and ed25519, 65 for ecdsa (`r || s || v`); for p256 `r || s` (64 bytes,
/// WebCrypto) or DER (OpenSSL, Node.js's default, most chips).
#[wasm_bindgen(js_name = signatureFromRaw)]
pub fn signature_from_raw(
	kind: &str,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] raw: JsValue,
) -> Result<Vec<u8>, JsError> {
	let raw = bytes(&raw, "the signature")?;
	Ok(keys::signature_from_raw(keys::parse_kind(kind)?, &raw)?.encode())
}

/// Whether `signature` (SCALE `DeviceSignature`) is `publicKey`'s (SCALE `DevicePublicKey`)
/// signature over `message`, exactly as the runtime checks it. Throws if either is not in the
/// runtime's encoding.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] public_key: JsValue,
	message: &[u8],
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
) -> Result<bool, JsError> {
	let key: DevicePublicKey = decode(&public_key, "the public key")?;
	let signature: DeviceSignature = decode(&signature, "the signature")?;
	Ok(key.verify(message, &signature))
}

/// The bytes `device` signs to authenticate at `nonce` (`deviceIdentity.authenticate`); the
/// same bytes as the runtime API's `deviceIdentityApi.challenge(device)`.
#[wasm_bindgen(js_name = authenticatePayload)]
pub fn authenticate_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "number | bigint")] device_nonce: JsValue,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::authenticate(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&device, "a device id")?,
		nonce(&device_nonce)?,
	)
	.to_bytes())
}

/// The bytes the new key (`newKey`, SCALE `DevicePublicKey`) signs to replace `device`'s key
/// at `nonce` (`deviceIdentity.rotateKey`).
#[wasm_bindgen(js_name = rotateKeyPayload)]
pub fn rotate_key_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "number | bigint")] device_nonce: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] new_key: JsValue,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::rotate_key(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&device, "a device id")?,
		nonce(&device_nonce)?,
		decode(&new_key, "the new key")?,
	)
	.to_bytes())
}

/// The bytes `device` signs at `nonce` to vouch for the record `digest`, about `subject` (or
/// none) with event code `kind` (`dataAnchoring.anchorFromDevice`).
#[wasm_bindgen(js_name = anchorPayload)]
pub fn anchor_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "number | bigint")] device_nonce: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] digest: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string | undefined | null")]
	subject_id: JsValue,
	kind: u16,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::anchor(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&device, "a device id")?,
		nonce(&device_nonce)?,
		hash_of(&digest, "a digest")?,
		subject(&subject_id)?,
		kind,
	)
	.to_bytes())
}

/// The bytes `signer` (the tag or the reader, at its own nonce) signs for the scan of `tag` by
/// `reader` (`dataAnchoring.anchorScan`).
// The scan's fields are what the runtime signs; grouping them would only hide them.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = scanPayload)]
pub fn scan_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signer: JsValue,
	#[wasm_bindgen(unchecked_param_type = "number | bigint")] signer_nonce: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] tag: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] reader: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] digest: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string | undefined | null")]
	subject_id: JsValue,
	kind: u16,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::scan(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&signer, "a device id")?,
		nonce(&signer_nonce)?,
		id32(&tag, "a device id")?,
		id32(&reader, "a device id")?,
		hash_of(&digest, "a digest")?,
		subject(&subject_id)?,
		kind,
	)
	.to_bytes())
}

/// The bytes a verifier asks `device`'s chip to sign to prove it holds the device's key now,
/// off chain (no transaction): `challenge` is 32 random bytes chosen for this one check
/// (`crypto.getRandomValues`). Check the answer with `verifySignature` against the key the chain
/// holds for the device. Never accepted by the runtime, and no on-chain payload is one of these.
#[wasm_bindgen(js_name = tagChallengePayload)]
pub fn tag_challenge_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] challenge: JsValue,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::tag_challenge(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&device, "a device id")?,
		id32(&challenge, "a challenge")?,
	)
	.to_bytes())
}

/// The bytes `device` signs to hand a reading to a gateway, off chain: the record's `digest`
/// under the device's own `sequence` number (one up for every reading), for `subjectId` (or
/// none) and event `kind`. Never accepted by the runtime.
#[wasm_bindgen(js_name = readingPayload)]
pub fn reading_payload(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "number | bigint")] sequence: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] digest: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string | undefined | null")]
	subject_id: JsValue,
	kind: u16,
) -> Result<Vec<u8>, JsError> {
	Ok(payload::reading(
		hash_of(&genesis_hash, "the genesis hash")?,
		id32(&device, "a device id")?,
		hash_of(&digest, "a digest")?,
		nonce(&sequence)?,
		subject(&subject_id)?,
		kind,
	)
	.to_bytes())
}

/// The leaf a gateway puts in its batch for the reading `payload` (as `readingPayload` builds it)
/// signed with `signature` (SCALE `DeviceSignature`): BLAKE2b-256 of both encodings.
#[wasm_bindgen(js_name = readingLeaf)]
pub fn reading_leaf(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] payload: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
) -> Result<Vec<u8>, JsError> {
	let payload: OffchainPayload = decode(&payload, "the reading payload")?;
	let signature: DeviceSignature = decode(&signature, "the signature")?;
	Ok(payload.signed_leaf(&signature).as_bytes().to_vec())
}

/// Checks a reading from a gateway's bundle against the chain, trusting neither: `payload` (the
/// bytes the device signed) must be a `Reading` of the chain `genesisHash` (the verifier's own,
/// `api.genesisHash`), of `device` and of the record `digest` the verifier asks about;
/// `signature` (SCALE `DeviceSignature`) must be `devicePublicKey`'s (SCALE `DevicePublicKey`,
/// read from the chain at the anchor's block), and `proof` must put the signed reading in the
/// batch `anchor` anchors (`Anchor.fromBytes` of `dataAnchoringApi.anchorOf(proof.root,
/// { Account: gateway })`). Returns the leaf's index or throws naming the first defect.
#[wasm_bindgen(js_name = verifyReading)]
#[allow(clippy::too_many_arguments)]
pub fn verify_reading(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] genesis_hash: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] digest: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] payload: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device_public_key: JsValue,
	anchor: &Anchor,
	proof: &InclusionProof,
) -> Result<u32, JsError> {
	let expected = verify::ExpectedReading {
		genesis_hash: hash_of(&genesis_hash, "the genesis hash")?,
		device: id32(&device, "a device id")?,
		digest: hash_of(&digest, "a digest")?,
	};
	let payload = bytes(&payload, "the reading payload")?;
	let signature: DeviceSignature = decode(&signature, "the signature")?;
	let key: DevicePublicKey = decode(&device_public_key, "the public key")?;
	let (_, index) =
		verify::verify_reading(&expected, &payload, &signature, &key, &anchor.0, &proof.0)?;
	Ok(index)
}

/// The subject id (32 bytes) of the item with this GTIN (8, 12, 13 or 14 digits, check digit
/// checked) and serial number, as a GS1 Digital Link URI `/01/<gtin>/21/<serial>` names it:
/// BLAKE2b-256 of `VIoT/gs1/01/<GTIN-14>/21/<serial>`.
#[wasm_bindgen(js_name = gs1SubjectId)]
pub fn gs1_subject_id(gtin: &str, serial: &str) -> Result<Vec<u8>, JsError> {
	Ok(subject::gs1_subject(gtin, serial)?.to_vec())
}

/// The leaf of a device in a provisioning batch (`deviceIdentity.provisionBatch`): its 32-byte
/// id, its key (SCALE `DevicePublicKey`, as `DeviceKey.publicKey` or `publicKeyFromRaw` give it)
/// and its metadata bytes (what `claimDevice` stores). `new Batch(leaves)` of every device's leaf
/// gives the batch's root and each device's proof.
#[wasm_bindgen(js_name = batchLeaf)]
pub fn batch_leaf(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] public_key: JsValue,
	metadata: &[u8],
) -> Result<Vec<u8>, JsError> {
	let device = id32(&device, "a device id")?;
	let key: DevicePublicKey = decode(&public_key, "the public key")?;
	Ok(provisioning::batch_leaf(device, key, metadata)
		.as_bytes()
		.to_vec())
}

/// Checks off chain, as `claimDevice` does on chain, that `siblings` (e.g.
/// `batch.proof(i).toJSON().siblings`) lead from the device's leaf at `leafIndex` to `root` of a
/// batch of `size` devices (`deviceIdentityApi.batch(n)`'s `root` and `deviceCount`). Throws
/// naming the defect.
#[wasm_bindgen(js_name = verifyBatchDevice)]
#[allow(clippy::too_many_arguments)]
pub fn verify_batch_device(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
	size: u32,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] device: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] public_key: JsValue,
	metadata: &[u8],
	leaf_index: u32,
	#[wasm_bindgen(unchecked_param_type = "(Uint8Array | string)[]")] siblings: Vec<JsValue>,
) -> Result<(), JsError> {
	let leaf = viot_primitives::device::BatchLeaf::new(
		id32(&device, "a device id")?,
		decode(&public_key, "the public key")?,
		metadata,
	);
	let siblings = hashes(&siblings, "a sibling")?;
	provisioning::verify_batch_device(
		hash_of(&root, "the root")?,
		size,
		&leaf,
		leaf_index,
		&siblings,
	)?;
	Ok(())
}

/// The 32-byte digest of a record (BLAKE2b-256): what is anchored for it, and its leaf in a
/// batch.
#[wasm_bindgen(js_name = recordDigest)]
pub fn record_digest(record: &[u8]) -> Vec<u8> {
	batch::record_digest(record).as_bytes().to_vec()
}

/// A batch of 32-byte record digests under one Merkle root, with DataAnchoring's algorithm.
#[wasm_bindgen]
pub struct Batch(RustBatch);

#[wasm_bindgen]
impl Batch {
	/// The batch of `leaves` (32-byte digests), in this order.
	#[wasm_bindgen(constructor)]
	pub fn new(
		#[wasm_bindgen(unchecked_param_type = "(Uint8Array | string)[]")] leaves: Vec<JsValue>,
	) -> Result<Batch, JsError> {
		Ok(Self(RustBatch::new(hashes(&leaves, "a leaf")?)?))
	}

	/// The batch of the digests of `records` (any bytes), in this order.
	#[wasm_bindgen(js_name = fromRecords)]
	pub fn from_records(records: Vec<Uint8Array>) -> Result<Batch, JsError> {
		let leaves = records
			.iter()
			.map(|r| batch::record_digest(&r.to_vec()))
			.collect();
		Ok(Self(RustBatch::new(leaves)?))
	}

	/// The Merkle root: `dataAnchoring.anchorBatch`'s `root`.
	#[wasm_bindgen(getter)]
	pub fn root(&self) -> Vec<u8> {
		self.0.root().as_bytes().to_vec()
	}

	/// The number of leaves: `dataAnchoring.anchorBatch`'s `leafCount`.
	#[wasm_bindgen(getter, js_name = leafCount)]
	pub fn leaf_count(&self) -> u32 {
		self.0.leaf_count()
	}

	/// The position of `leaf`, or `undefined`.
	#[wasm_bindgen(js_name = indexOf)]
	pub fn index_of(
		&self,
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] leaf: JsValue,
	) -> Result<Option<u32>, JsError> {
		Ok(self.0.index_of(&hash_of(&leaf, "a leaf")?))
	}

	/// The proof that leaf `index` is in the batch.
	pub fn proof(&self, index: u32) -> Result<InclusionProof, JsError> {
		Ok(InclusionProof(self.0.proof(index)?))
	}

	/// The range proof of the `count` adjacent leaves from `first`, as hex strings: the
	/// `proof` of `deviceIdentity.claimDevices(batch, first, devices, proof)` for a carton of
	/// devices of a provisioning batch.
	#[wasm_bindgen(js_name = rangeProof, unchecked_return_type = "string[]")]
	pub fn range_proof(&self, first: u32, count: u32) -> Result<js_sys::Array, JsError> {
		Ok(self
			.0
			.range_proof(first, count)?
			.iter()
			.map(|sibling| hex(sibling.as_bytes()))
			.collect())
	}
}

/// A proof that a leaf is in a batch: the runtime's `InclusionProof`.
#[wasm_bindgen]
pub struct InclusionProof(Proof);

#[wasm_bindgen]
impl InclusionProof {
	/// The proof from its SCALE encoding (e.g. `toBytes()` of a stored proof).
	#[wasm_bindgen(js_name = fromBytes)]
	pub fn from_bytes(
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] encoded: JsValue,
	) -> Result<InclusionProof, JsError> {
		Ok(Self(decode(&encoded, "the inclusion proof")?))
	}

	/// The SCALE encoding: what `dataAnchoringApi.verifyInclusion` takes as `proof`.
	#[wasm_bindgen(js_name = toBytes)]
	pub fn to_bytes(&self) -> Vec<u8> {
		self.0.encode()
	}

	/// The proof as Polkadot.js prints it: `{ root, leafIndex, leafCount, siblings }`, hashes
	/// in hex.
	#[wasm_bindgen(js_name = toJSON)]
	pub fn to_json(&self) -> Result<Object, JsError> {
		let object = Object::new();
		let siblings: js_sys::Array = self.0.siblings.iter().map(|s| hex(s.as_bytes())).collect();
		for (field, value) in [
			("root", hex(self.0.root.as_bytes())),
			("leafIndex", self.0.leaf_index.into()),
			("leafCount", self.0.leaf_count.into()),
			("siblings", siblings.into()),
		] {
			Reflect::set(&object, &field.into(), &value)
				.map_err(|_| JsError::new("cannot build the proof object"))?;
		}
		Ok(object)
	}

	/// The batch's root.
	#[wasm_bindgen(getter)]
	pub fn root(&self) -> Vec<u8> {
		self.0.root.as_bytes().to_vec()
	}

	/// The leaf's position in the batch.
	#[wasm_bindgen(getter, js_name = leafIndex)]
	pub fn leaf_index(&self) -> u32 {
		self.0.leaf_index
	}

	/// The batch's number of leaves.
	#[wasm_bindgen(getter, js_name = leafCount)]
	pub fn leaf_count(&self) -> u32 {
		self.0.leaf_count
	}

	/// The sibling hashes, from the bottom of the tree up.
	#[wasm_bindgen(getter)]
	pub fn siblings(&self) -> Vec<Uint8Array> {
		self.0
			.siblings
			.iter()
			.map(|s| Uint8Array::from(s.as_bytes()))
			.collect()
	}
}

/// Checks that `proof` leads from `leaf` to its root; returns the leaf's index or throws. To
/// check against what is anchored, use `Anchor.verifyLeaf`.
#[wasm_bindgen(js_name = verifyProof)]
pub fn verify_proof(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] leaf: JsValue,
	proof: &InclusionProof,
) -> Result<u32, JsError> {
	Ok(batch::verify_proof(&hash_of(&leaf, "a leaf")?, &proof.0)?)
}

/// An anchor as the runtime API returns it (`dataAnchoringApi.anchorOf`).
#[wasm_bindgen]
pub struct Anchor(RustAnchor);

#[wasm_bindgen]
impl Anchor {
	/// The anchor from its SCALE encoding:
	/// `(await api.call.dataAnchoringApi.anchorOf(digest, attester)).unwrap().toU8a()`, with
	/// `attester` e.g. `{ Account: address }` or `{ Device: deviceId }`.
	#[wasm_bindgen(js_name = fromBytes)]
	pub fn from_bytes(
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] encoded: JsValue,
	) -> Result<Anchor, JsError> {
		Ok(Self(decode(&encoded, "the anchor")?))
	}

	/// Checks that the record with `digest` is the anchored digest itself (a single record,
	/// or a batch's root); throws if not.
	#[wasm_bindgen(js_name = verifyRecord)]
	pub fn verify_record(
		&self,
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] digest: JsValue,
	) -> Result<(), JsError> {
		verify::verify_record(&hash_of(&digest, "a digest")?, &self.0, None)?;
		Ok(())
	}

	/// Checks that `leaf` is in the anchored batch by `proof` (same root and leaf count, and the
	/// proof leads from the leaf to the root); returns the leaf's index or throws.
	#[wasm_bindgen(js_name = verifyLeaf)]
	pub fn verify_leaf(
		&self,
		#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] leaf: JsValue,
		proof: &InclusionProof,
	) -> Result<u32, JsError> {
		let leaf = hash_of(&leaf, "a leaf")?;
		let index = verify::verify_record(&leaf, &self.0, Some(&proof.0))?;
		Ok(index.expect("a verified proof names its leaf"))
	}

	/// The anchored digest (a batch's root for a batch).
	#[wasm_bindgen(getter)]
	pub fn digest(&self) -> Vec<u8> {
		self.0.digest.as_bytes().to_vec()
	}

	/// The account that submitted it (32-byte account id).
	#[wasm_bindgen(getter)]
	pub fn owner(&self) -> Vec<u8> {
		AsRef::<[u8]>::as_ref(&self.0.owner).to_vec()
	}

	/// The block it was anchored in.
	#[wasm_bindgen(getter)]
	pub fn block(&self) -> u32 {
		self.0.block
	}

	/// The block's timestamp, in milliseconds since the Unix epoch (`new Date(timestamp)`).
	#[wasm_bindgen(getter)]
	pub fn timestamp(&self) -> f64 {
		self.0.timestamp as f64
	}

	/// Who vouched for it: "account", "device" or "scan".
	#[wasm_bindgen(getter)]
	pub fn source(&self) -> String {
		match self.0.source {
			AnchorSource::Account => "account",
			AnchorSource::Device(_) => "device",
			AnchorSource::Scan { .. } => "scan",
		}
		.into()
	}

	/// The devices that signed it: none, the device, or the tag then the reader.
	#[wasm_bindgen(getter)]
	pub fn devices(&self) -> Vec<Uint8Array> {
		let ids: Vec<&DeviceId> = match &self.0.source {
			AnchorSource::Account => vec![],
			AnchorSource::Device(device) => vec![device],
			AnchorSource::Scan { tag, reader } => vec![tag, reader],
		};
		ids.into_iter()
			.map(|id| Uint8Array::from(&id[..]))
			.collect()
	}

	/// The item it concerns, if any.
	#[wasm_bindgen(getter)]
	pub fn subject(&self) -> Option<Vec<u8>> {
		self.0.subject.map(|s| s.to_vec())
	}

	/// The event code.
	#[wasm_bindgen(getter)]
	pub fn kind(&self) -> u16 {
		self.0.kind
	}

	/// For a batch, the number of leaves under the root.
	#[wasm_bindgen(getter, js_name = leafCount)]
	pub fn leaf_count(&self) -> Option<u32> {
		self.0.leaf_count
	}

	/// The metadata stored with it.
	#[wasm_bindgen(getter)]
	pub fn metadata(&self) -> Vec<u8> {
		self.0.metadata.clone()
	}

	/// Its position in the subject's trace, if it has a subject.
	#[wasm_bindgen(getter, js_name = traceIndex)]
	pub fn trace_index(&self) -> Option<u32> {
		self.0.trace_index
	}
}

/// Checks an item's trace as the runtime API returns it
/// (`(await api.call.dataAnchoringApi.trace(subject, start, count)).toU8a()`): every entry
/// concerns `subject` at its own position, in order, with blocks and times never going back;
/// with `records` (32-byte digests), the entries anchor exactly these, in this order. Returns
/// the entries' anchors in order, or throws naming the first defect.
#[wasm_bindgen(js_name = verifyTrace)]
pub fn verify_trace(
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] subject_id: JsValue,
	#[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] trace: JsValue,
	#[wasm_bindgen(unchecked_param_type = "(Uint8Array | string)[] | undefined | null")]
	records: Option<Vec<JsValue>>,
) -> Result<Vec<Anchor>, JsError> {
	let subject = id32(&subject_id, "a subject")?;
	let entries: Vec<Entry> = decode(&trace, "the trace")?;
	let records = records.map(|r| hashes(&r, "a record digest")).transpose()?;
	verify::verify_trace(&subject, &entries, records.as_deref())?;
	Ok(entries.into_iter().map(|e| Anchor(e.anchor)).collect())
}
