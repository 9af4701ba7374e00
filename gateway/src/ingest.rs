//! From a device's JSON reading to an acknowledgement: parse, check the device on chain, verify
//! the signature, store durably. Readings from all connections are stored in shared
//! transactions (group commit): while one commit is on its way to disk, the next group
//! gathers, so the disk's sync rate does not cap the reading rate.

use anyhow::Result;
use serde::Deserialize;
use sp_core::H256;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::{SystemTime, UNIX_EPOCH},
};
use tokio::sync::{mpsc, oneshot, Notify};
use tracing::error;
use viot_primitives::{device::DeviceId, offchain::OffchainPayload};

use crate::{
	chain::{Chain, DeviceCheck},
	metrics::Metrics,
	store::{NewReading, Store, Stored},
};

/// Readings one request or message may carry.
pub const MAX_READINGS_PER_REQUEST: usize = 10_000;
/// Bytes one request or message may have: 10,000 readings of ~330 bytes of JSON fit.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;
/// Readings stored in one transaction at most.
const MAX_READINGS_PER_COMMIT: usize = 20_000;
/// Readings verified on one thread at a time.
const VERIFY_CHUNK: usize = 256;

/// The store, shared by the tasks that write it.
pub type SharedStore = Arc<Mutex<dyn Store>>;

/// A reading as a device sends it (JSON; byte strings in hex, with or without `0x`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReadingIn {
	/// The device id (32 bytes).
	pub device: String,
	/// The record's digest (32 bytes).
	pub digest: String,
	/// The device's sequence number: a new one for every reading.
	pub sequence: u64,
	/// The item the reading concerns (32 bytes), if any.
	#[serde(default)]
	pub subject: Option<String>,
	/// The event code (`viot_primitives::anchor::kind`); 0 if absent.
	#[serde(default)]
	pub kind: u16,
	/// The device's signature over its `Reading` payload, as the key type gives it: 64 bytes
	/// (sr25519, ed25519, P-256 `r || s`), 65 (ecdsa), or DER (P-256).
	pub signature: String,
}

/// Why a reading was not stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
	/// Not a reading: bad JSON field, wrong length, sequence number above 2^63.
	#[error("malformed reading: {0}")]
	Malformed(String),
	/// No device with this id is registered at the finalized block.
	#[error("no device with this id is registered on the chain (at its finalized block)")]
	UnknownDevice,
	/// The device is suspended.
	#[error("the device is suspended")]
	Suspended,
	/// The device is revoked.
	#[error("the device is revoked")]
	Revoked,
	/// The signature is not the device's current key's over this reading on this chain.
	#[error("the signature is not the device's over this reading")]
	BadSignature,
	/// The device already used this sequence number for another reading (a replay, or a
	/// device that reset its counter).
	#[error("the device already used this sequence number for another reading")]
	SequenceReused,
	/// The gateway cannot check devices now (no recent head from the node); retry later.
	#[error("the gateway cannot check devices against the chain now; retry")]
	ChainUnavailable,
	/// The store failed; retry later.
	#[error("the gateway could not store the reading; retry")]
	StoreFailed,
}

impl Refusal {
	/// The reason's name, for metrics and answers.
	pub fn reason(&self) -> &'static str {
		match self {
			Self::Malformed(_) => "malformed",
			Self::UnknownDevice => "unknown-device",
			Self::Suspended => "suspended",
			Self::Revoked => "revoked",
			Self::BadSignature => "bad-signature",
			Self::SequenceReused => "sequence-reused",
			Self::ChainUnavailable => "chain-unavailable",
			Self::StoreFailed => "store-failed",
		}
	}

	/// Whether sending the same reading later may succeed.
	pub fn is_transient(&self) -> bool {
		matches!(self, Self::ChainUnavailable | Self::StoreFailed)
	}
}

/// A stored reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
	/// Its id in the store.
	pub id: i64,
	/// Whether it had been stored before (a retry).
	pub duplicate: bool,
}

/// One group-commit request.
struct Commit {
	readings: Vec<NewReading>,
	reply: oneshot::Sender<Result<Vec<Stored>, ()>>,
}

/// The reading pipeline, shared by the HTTP and MQTT front ends.
pub struct Ingest {
	chain: Arc<Chain>,
	metrics: Arc<Metrics>,
	commits: mpsc::Sender<Commit>,
}

/// Milliseconds since the Unix epoch, as the store records times.
pub fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|elapsed| elapsed.as_millis() as u64)
		.unwrap_or_default()
}

/// `text` as `N` bytes of hex.
fn fixed<const N: usize>(text: &str, what: &str) -> Result<[u8; N], Refusal> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text))
		.map_err(|_| Refusal::Malformed(format!("{what} is not hex")))?;
	bytes
		.try_into()
		.map_err(|_| Refusal::Malformed(format!("{what} must be {N} bytes")))
}

/// A reading parsed, before its device is checked.
struct Parsed {
	device: DeviceId,
	digest: H256,
	sequence: u64,
	subject: Option<[u8; 32]>,
	kind: u16,
	signature: Vec<u8>,
}

fn parse(reading: &ReadingIn) -> Result<Parsed, Refusal> {
	if i64::try_from(reading.sequence).is_err() {
		return Err(Refusal::Malformed("sequence must be below 2^63".into()));
	}
	let signature = reading.signature.as_str();
	Ok(Parsed {
		device: fixed(&reading.device, "device")?,
		digest: H256(fixed(&reading.digest, "digest")?),
		sequence: reading.sequence,
		subject: reading
			.subject
			.as_deref()
			.map(|subject| fixed(subject, "subject"))
			.transpose()?,
		kind: reading.kind,
		signature: hex::decode(signature.strip_prefix("0x").unwrap_or(signature))
			.map_err(|_| Refusal::Malformed("signature is not hex".into()))?,
	})
}

/// Verifies `parsed`'s signature with `key` over its payload on the chain `genesis`.
fn verify(
	genesis: H256,
	parsed: Parsed,
	key: &viot_primitives::device::DevicePublicKey,
	received_at: u64,
) -> Result<NewReading, Refusal> {
	use codec::Encode;
	let signature = viot_sdk::keys::signature_from_raw(key.kind(), &parsed.signature)
		.map_err(|error| Refusal::Malformed(format!("signature: {error}")))?;
	let payload = OffchainPayload::reading(
		genesis,
		parsed.device,
		parsed.digest,
		parsed.sequence,
		parsed.subject,
		parsed.kind,
	);
	let bytes = payload.to_bytes();
	if !key.verify(&bytes, &signature) {
		return Err(Refusal::BadSignature);
	}
	Ok(NewReading {
		device: parsed.device,
		digest: parsed.digest,
		sequence: parsed.sequence,
		subject: parsed.subject,
		kind: parsed.kind,
		leaf: payload.signed_leaf(&signature),
		payload: bytes,
		signature: signature.encode(),
		received_at,
	})
}

impl Ingest {
	/// The pipeline over `store`, and its committing task; `stored` counts readings stored and
	/// not yet batched, and `batch_due` wakes the batcher once `batch_size` of them wait.
	pub fn new(
		chain: Arc<Chain>,
		store: SharedStore,
		metrics: Arc<Metrics>,
		stored: Arc<AtomicU64>,
		batch_due: Arc<Notify>,
		batch_size: u64,
	) -> (Self, tokio::task::JoinHandle<()>) {
		let (commits, requests) = mpsc::channel(1_024);
		let committer = tokio::spawn(commit_forever(
			requests, store, stored, batch_due, batch_size,
		));
		(
			Self {
				chain,
				metrics,
				commits,
			},
			committer,
		)
	}

	/// Counts `count` items received over `transport` that were not readings at all.
	pub fn count_malformed(&self, transport: &'static str, count: usize) {
		self.metrics
			.received
			.get_or_create(&[("transport", transport)])
			.inc_by(count as u64);
		self.metrics
			.refused
			.get_or_create(&[("reason", "malformed")])
			.inc_by(count as u64);
	}

	/// Checks and stores `readings` (received over `transport`); one outcome per reading, in
	/// order. A reading is stored, and acknowledged, only if every check passed.
	pub async fn submit(
		&self,
		transport: &'static str,
		readings: &[ReadingIn],
	) -> Vec<Result<Accepted, Refusal>> {
		self.metrics
			.received
			.get_or_create(&[("transport", transport)])
			.inc_by(readings.len() as u64);
		let outcomes = self.check_and_store(readings).await;
		for outcome in &outcomes {
			match outcome {
				Ok(Accepted {
					duplicate: true, ..
				}) => {
					self.metrics.duplicates.inc();
				}
				Ok(_) => {
					self.metrics.stored.inc();
				}
				Err(refusal) => {
					self.metrics
						.refused
						.get_or_create(&[("reason", refusal.reason())])
						.inc();
				}
			}
		}
		outcomes
	}

	async fn check_and_store(&self, readings: &[ReadingIn]) -> Vec<Result<Accepted, Refusal>> {
		let received_at = now_ms();
		if !self.chain.is_current() {
			return vec![Err(Refusal::ChainUnavailable); readings.len()];
		}
		let mut outcomes: Vec<Result<Accepted, Refusal>> =
			vec![Err(Refusal::StoreFailed); readings.len()];
		// Device checks, once per device.
		let mut devices: HashMap<DeviceId, Result<DeviceCheck, Refusal>> = HashMap::new();
		let mut to_verify = Vec::new();
		for (index, reading) in readings.iter().enumerate() {
			let parsed = match parse(reading) {
				Ok(parsed) => parsed,
				Err(refusal) => {
					outcomes[index] = Err(refusal);
					continue;
				}
			};
			if let std::collections::hash_map::Entry::Vacant(slot) = devices.entry(parsed.device) {
				slot.insert(self.chain.device(&parsed.device).await.map_err(|error| {
					error!("checking a device: {error:#}");
					Refusal::ChainUnavailable
				}));
			}
			match &devices[&parsed.device] {
				Ok(DeviceCheck::Active(key)) => to_verify.push((index, parsed, key.clone())),
				Ok(DeviceCheck::Unknown) => outcomes[index] = Err(Refusal::UnknownDevice),
				Ok(DeviceCheck::Suspended) => outcomes[index] = Err(Refusal::Suspended),
				Ok(DeviceCheck::Revoked) => outcomes[index] = Err(Refusal::Revoked),
				Err(refusal) => outcomes[index] = Err(refusal.clone()),
			}
		}
		// Signatures, on the blocking pool, in parallel chunks.
		let genesis = self.chain.genesis;
		let mut chunks = Vec::new();
		while !to_verify.is_empty() {
			let rest = to_verify.split_off(to_verify.len().min(VERIFY_CHUNK));
			let chunk = std::mem::replace(&mut to_verify, rest);
			chunks.push(tokio::task::spawn_blocking(move || {
				chunk
					.into_iter()
					.map(|(index, parsed, key)| (index, verify(genesis, parsed, &key, received_at)))
					.collect::<Vec<_>>()
			}));
		}
		let mut verified = Vec::new();
		for chunk in chunks {
			let Ok(chunk) = chunk.await else {
				continue;
			};
			for (index, outcome) in chunk {
				match outcome {
					Ok(reading) => {
						self.chain.confirm(&reading.device);
						verified.push((index, reading));
					}
					Err(refusal) => outcomes[index] = Err(refusal),
				}
			}
		}
		if verified.is_empty() {
			return outcomes;
		}
		// Durable storage, then the acknowledgement.
		let (indexes, readings): (Vec<usize>, Vec<NewReading>) = verified.into_iter().unzip();
		let (reply, stored) = oneshot::channel();
		if self.commits.send(Commit { readings, reply }).await.is_err() {
			return outcomes;
		}
		let Ok(Ok(stored)) = stored.await else {
			return outcomes;
		};
		for (index, stored) in indexes.into_iter().zip(stored) {
			outcomes[index] = match stored {
				Stored::New(id) => Ok(Accepted {
					id,
					duplicate: false,
				}),
				Stored::Duplicate(id) => Ok(Accepted {
					id,
					duplicate: true,
				}),
				Stored::SequenceReused => Err(Refusal::SequenceReused),
			};
		}
		outcomes
	}
}

/// Stores the readings of every waiting request in one transaction, for as long as the
/// pipeline lives.
async fn commit_forever(
	mut requests: mpsc::Receiver<Commit>,
	store: SharedStore,
	stored: Arc<AtomicU64>,
	batch_due: Arc<Notify>,
	batch_size: u64,
) {
	while let Some(first) = requests.recv().await {
		let mut group = vec![first];
		let mut count = group[0].readings.len();
		while count < MAX_READINGS_PER_COMMIT {
			match requests.try_recv() {
				Ok(next) => {
					count += next.readings.len();
					group.push(next);
				}
				Err(_) => break,
			}
		}
		let mut replies = Vec::with_capacity(group.len());
		let mut readings = Vec::with_capacity(count);
		for commit in group {
			replies.push((commit.readings.len(), commit.reply));
			readings.extend(commit.readings);
		}
		let store = store.clone();
		let outcome = tokio::task::spawn_blocking(move || {
			store
				.lock()
				.expect("not poisoned")
				.insert_readings(&readings)
		})
		.await;
		let outcomes = match outcome {
			Ok(Ok(outcomes)) => outcomes,
			Ok(Err(error)) => {
				error!("storing readings: {error:#}");
				for (_, reply) in replies {
					let _ = reply.send(Err(()));
				}
				continue;
			}
			Err(error) => {
				error!("storing readings: {error}");
				for (_, reply) in replies {
					let _ = reply.send(Err(()));
				}
				continue;
			}
		};
		let new = outcomes
			.iter()
			.filter(|outcome| matches!(outcome, Stored::New(_)))
			.count() as u64;
		if stored.fetch_add(new, Ordering::SeqCst) + new >= batch_size {
			batch_due.notify_one();
		}
		let mut outcomes = outcomes.into_iter();
		for (count, reply) in replies {
			let _ = reply.send(Ok(outcomes.by_ref().take(count).collect()));
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use viot_primitives::{device::KeyKind, keys::DeviceKeyPair};

	fn signed(kind: KeyKind, genesis: H256, sequence: u64) -> (ReadingIn, DeviceKeyPair) {
		let pair = DeviceKeyPair::from_seed(kind, &[3; 32]).unwrap();
		let payload =
			OffchainPayload::reading(genesis, [1; 32], H256::repeat_byte(2), sequence, None, 10);
		let signature = pair.sign(&payload.to_bytes());
		let raw = match &signature {
			viot_primitives::device::DeviceSignature::Sr25519(s)
			| viot_primitives::device::DeviceSignature::Ed25519(s)
			| viot_primitives::device::DeviceSignature::P256(s) => s.to_vec(),
			viot_primitives::device::DeviceSignature::Ecdsa(s) => s.to_vec(),
		};
		let reading = ReadingIn {
			device: format!("0x{}", hex::encode([1; 32])),
			digest: hex::encode([2; 32]),
			sequence,
			subject: None,
			kind: 10,
			signature: hex::encode(raw),
		};
		(reading, pair)
	}

	#[test]
	fn a_reading_verifies_for_its_chain_and_key_only() {
		let genesis = H256::repeat_byte(9);
		for kind in [
			KeyKind::Sr25519,
			KeyKind::Ed25519,
			KeyKind::Ecdsa,
			KeyKind::P256,
		] {
			let (reading, pair) = signed(kind, genesis, 5);
			let stored = verify(genesis, parse(&reading).unwrap(), &pair.public(), 77).unwrap();
			assert_eq!((stored.sequence, stored.received_at), (5, 77));
			let decoded = <OffchainPayload as codec::Decode>::decode(&mut &stored.payload[..]);
			assert_eq!(
				decoded
					.unwrap()
					.signed_leaf(&codec::Decode::decode(&mut &stored.signature[..]).unwrap()),
				stored.leaf
			);
			// Signed for another chain, or checked with another key.
			assert_eq!(
				verify(
					H256::repeat_byte(8),
					parse(&reading).unwrap(),
					&pair.public(),
					77
				),
				Err(Refusal::BadSignature),
				"{kind:?}"
			);
			let other = DeviceKeyPair::from_seed(kind, &[4; 32]).unwrap();
			assert_eq!(
				verify(genesis, parse(&reading).unwrap(), &other.public(), 77),
				Err(Refusal::BadSignature)
			);
			// Another sequence number under the same signature.
			let mut replayed = reading.clone();
			replayed.sequence = 6;
			assert_eq!(
				verify(genesis, parse(&replayed).unwrap(), &pair.public(), 77),
				Err(Refusal::BadSignature)
			);
		}
	}

	#[test]
	fn malformed_fields_are_named() {
		let (reading, _) = signed(KeyKind::Sr25519, H256::zero(), 1);
		let refusal = |change: fn(&mut ReadingIn)| {
			let mut bad = reading.clone();
			change(&mut bad);
			match parse(&bad) {
				Err(Refusal::Malformed(what)) => what,
				other => panic!("{:?}", other.map(|_| ())),
			}
		};
		assert_eq!(refusal(|r| r.device.push('0')), "device is not hex");
		assert_eq!(
			refusal(|r| r.digest = "00".into()),
			"digest must be 32 bytes"
		);
		assert_eq!(
			refusal(|r| r.subject = Some("zz".into())),
			"subject is not hex"
		);
		assert_eq!(
			refusal(|r| r.sequence = u64::MAX),
			"sequence must be below 2^63"
		);
		assert_eq!(
			refusal(|r| r.signature = "0xg".into()),
			"signature is not hex"
		);
	}
}
