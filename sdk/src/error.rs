//! The SDK's errors.

use thiserror::Error;

/// `bytes` as an array of exactly `N` bytes, or [`Error::InvalidLength`] naming `what`.
pub(crate) fn fixed<const N: usize>(bytes: &[u8], what: &'static str) -> Result<[u8; N], Error> {
	bytes.try_into().map_err(|_| Error::InvalidLength {
		what,
		expected: N,
		got: bytes.len(),
	})
}

/// Why the SDK refused an input or a proof. In JavaScript, the message of the thrown `Error`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
	/// A byte string has the wrong length.
	#[error("{what} must be {expected} bytes, got {got}")]
	InvalidLength {
		/// What the bytes are.
		what: &'static str,
		/// The length it must have.
		expected: usize,
		/// The length it has.
		got: usize,
	},
	/// An input that is neither a `Uint8Array` nor a hex string.
	#[error("{0} must be a Uint8Array or a hex string")]
	NotBytes(&'static str),
	/// Bytes are not the SCALE encoding of the type the runtime uses.
	#[error("{0} is not in the runtime's encoding")]
	Decode(&'static str),
	/// A nonce that is not a non-negative integer below 2^64.
	#[error("a nonce must be a non-negative integer (number or bigint) below 2^64")]
	InvalidNonce,
	/// A key type name the device-identity pallet does not accept.
	#[error("unknown key type {0:?}: expected sr25519, ed25519, ecdsa or p256")]
	UnknownKeyType(String),
	/// A P-256 secret that is not a valid scalar (zero, or not below the curve order).
	#[error("the secret is not a valid {0} key")]
	InvalidSecret(&'static str),
	/// Bytes that are not a public key of the type.
	#[error("not a valid {0} public key")]
	InvalidPublicKey(&'static str),
	/// Bytes that are not a signature of the type.
	#[error("not a valid {0} signature")]
	InvalidSignature(&'static str),
	/// The system's random number generator failed.
	#[error("no randomness available: {0}")]
	Randomness(String),
	/// A batch needs at least one record.
	#[error("a batch needs at least one leaf")]
	EmptyBatch,
	/// A batch has more leaves than a proof can address.
	#[error("a batch holds at most 4294967295 leaves")]
	BatchTooLarge,
	/// A leaf index outside the batch.
	#[error("leaf {index} is not in a batch of {count}")]
	LeafOutOfRange {
		/// The index asked for.
		index: u32,
		/// The batch's number of leaves.
		count: u32,
	},
	/// A range of leaves that is empty or not inside the batch.
	#[error("{count} leaves from {first} are not a range of a batch of {size}")]
	RangeOutOfBatch {
		/// The range's first leaf.
		first: u32,
		/// Its number of leaves.
		count: u32,
		/// The batch's number of leaves.
		size: u32,
	},
	/// The proof does not lead from the leaf to its root.
	#[error("the inclusion proof does not lead from the leaf to the root")]
	BadProof,
	/// The record's digest is not the anchored digest.
	#[error("the record's digest is not the anchored digest")]
	DigestMismatch,
	/// A proof for a record of a batch, checked against an anchor of a single record.
	#[error("the anchor is a single record, not a batch")]
	NotABatch,
	/// A record checked without a proof against the anchor of a batch.
	#[error("the anchor is a batch: checking a record needs its inclusion proof")]
	ProofNeeded,
	/// The proof's root or leaf count is not the anchored batch's.
	#[error("the proof is for another batch than the anchored one")]
	OtherBatch,
	/// An entry of a trace does not belong to the item.
	#[error("trace entry {position} concerns another item")]
	TraceSubject {
		/// The entry's position in the list checked.
		position: usize,
	},
	/// A trace entry whose anchor records another position than the entry's.
	#[error("trace entry {position} is not at the position its anchor records")]
	TracePosition {
		/// The entry's position in the list checked.
		position: usize,
	},
	/// Trace entries out of order (position, block or time going backwards).
	#[error("trace entry {position} is out of order")]
	TraceOrder {
		/// The entry's position in the list checked.
		position: usize,
	},
	/// A trace entry whose record is not the expected one.
	#[error("trace entry {position} is not the expected record")]
	TraceRecord {
		/// The entry's position in the list checked.
		position: usize,
	},
	/// A trace with more or fewer entries than records expected.
	#[error("the trace has {found} entries, {expected} records were expected")]
	TraceLength {
		/// Records expected.
		expected: usize,
		/// Entries found.
		found: usize,
	},
	/// Bytes that are not a device's signed reading (`OffchainPayload` with a `Reading`).
	#[error("the payload is not a device's reading")]
	NotAReading,
	/// A reading of another chain, device or record than the one asked about.
	#[error("the reading is of another chain, device or record than the one asked about")]
	OtherReading,
	/// A reading whose signature is not its device's.
	#[error("the reading's signature is not the device's")]
	BadSignature,
	/// Not a GTIN (GS1 AI 01).
	#[error("a GTIN must be {0}")]
	InvalidGtin(&'static str),
	/// Not a GS1 serial number (AI 21).
	#[error("a serial number must be 1 to 20 characters of GS1's character set 82")]
	InvalidSerial,
}
