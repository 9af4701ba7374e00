//! Where the gateway keeps readings and batches: the [`Store`] trait, and [`SqliteStore`], one
//! SQLite file in WAL mode with `synchronous = FULL`, so a committed reading survives a crash of
//! the process or of the machine.
//!
//! A reading is acknowledged only after the transaction that stores it commits. A batch is built
//! in one transaction that also gives each of its readings a leaf index and a proof, so a crash
//! leaves either no batch or a complete one.

use anyhow::{bail, Context, Result};
use codec::{Decode, Encode};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sp_core::H256;
use std::path::Path;
use viot_primitives::{
	anchor::{InclusionProof, SubjectId},
	device::DeviceId,
};

/// A verified reading, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReading {
	/// The device that signed it.
	pub device: DeviceId,
	/// The record's digest.
	pub digest: H256,
	/// The device's sequence number.
	pub sequence: u64,
	/// The item it concerns.
	pub subject: Option<SubjectId>,
	/// The event code.
	pub kind: u16,
	/// The bytes the device signed (SCALE `OffchainPayload`).
	pub payload: Vec<u8>,
	/// The signature (SCALE `DeviceSignature`).
	pub signature: Vec<u8>,
	/// The reading's leaf in its batch (`OffchainPayload::signed_leaf`).
	pub leaf: H256,
	/// When the gateway received it, in milliseconds since the Unix epoch.
	pub received_at: u64,
}

/// What storing one reading did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
	/// Stored now, under this id.
	New(i64),
	/// The same reading (the same signed payload, whatever the signature: sr25519 and P-256
	/// signatures differ every time) was stored before, under this id: a retry after a lost
	/// acknowledgement. Nothing changes.
	Duplicate(i64),
	/// The device already used this sequence number for another payload.
	SequenceReused,
}

/// A batch of readings under one Merkle root, and how far its anchoring got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
	/// Its id, in the order batches were built.
	pub id: i64,
	/// The Merkle root over its readings' leaves.
	pub root: H256,
	/// Its number of readings.
	pub leaf_count: u32,
	/// When it was built (ms since the Unix epoch).
	pub created_at: u64,
	/// When its reading waiting longest was received (ms since the Unix epoch).
	pub oldest_reading_at: u64,
	/// How many times the node's pool took its anchor.
	pub submissions: u32,
	/// When the node's pool last took its anchor (ms since the Unix epoch).
	pub submitted_at: Option<u64>,
	/// The block that includes its anchor (number and hash), once seen.
	pub block: Option<(u32, H256)>,
	/// When the gateway saw that block finalized (ms since the Unix epoch).
	pub finalized_at: Option<u64>,
}

/// A stored reading and, once batched, its place in the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReading {
	/// Its id.
	pub id: i64,
	/// The reading as received.
	pub reading: NewReading,
	/// Its batch, leaf index and inclusion proof, once batched.
	pub batch: Option<(Batch, u32, InclusionProof)>,
}

/// Counts for metrics and health.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
	/// Readings not yet in a batch.
	pub unbatched: u64,
	/// Batches whose anchor is not finalized yet.
	pub open_batches: u64,
}

/// The gateway's durable state.
pub trait Store: Send {
	/// A value of the gateway's settings (chain, account), if set.
	fn setting(&self, key: &str) -> Result<Option<Vec<u8>>>;
	/// Sets a setting.
	fn set_setting(&mut self, key: &str, value: &[u8]) -> Result<()>;
	/// Stores `readings` in one transaction; one outcome per reading, in order.
	fn insert_readings(&mut self, readings: &[NewReading]) -> Result<Vec<Stored>>;
	/// Builds a batch of at most `max` readings, oldest first, if any reading is unbatched.
	fn build_batch(&mut self, max: u32, now: u64) -> Result<Option<Batch>>;
	/// Batches whose anchor is not finalized, oldest first.
	fn open_batches(&self) -> Result<Vec<Batch>>;
	/// Records a submission of batch `id` at `at` (ms since the Unix epoch).
	fn record_submission(&mut self, id: i64, at: u64) -> Result<()>;
	/// Records the block that includes batch `id`'s anchor (`None` if it left the best chain),
	/// and when it was seen finalized.
	fn record_inclusion(
		&mut self,
		id: i64,
		block: Option<(u32, H256)>,
		finalized_at: Option<u64>,
	) -> Result<()>;
	/// The stored readings of `digest` (at most [`MAX_READINGS_OF_DIGEST`]), in the order
	/// received.
	fn readings_of(&self, digest: &H256) -> Result<Vec<StoredReading>>;
	/// Unbatched readings and open batches.
	fn backlog(&self) -> Result<Backlog>;
}

/// Readings of one digest a look-up returns at most.
pub const MAX_READINGS_OF_DIGEST: u32 = 100;

/// The schema; `user_version` 1.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS settings (
	key TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS readings (
	id INTEGER PRIMARY KEY,
	device BLOB NOT NULL,
	sequence INTEGER NOT NULL,
	digest BLOB NOT NULL,
	subject BLOB,
	kind INTEGER NOT NULL,
	payload BLOB NOT NULL,
	signature BLOB NOT NULL,
	leaf BLOB NOT NULL,
	received_at INTEGER NOT NULL,
	batch_id INTEGER REFERENCES batches(id),
	leaf_index INTEGER,
	proof BLOB,
	UNIQUE (device, sequence)
);
CREATE INDEX IF NOT EXISTS readings_by_digest ON readings (digest);
CREATE INDEX IF NOT EXISTS readings_unbatched ON readings (id) WHERE batch_id IS NULL;
CREATE TABLE IF NOT EXISTS batches (
	id INTEGER PRIMARY KEY,
	root BLOB NOT NULL UNIQUE,
	leaf_count INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	oldest_reading_at INTEGER NOT NULL,
	submissions INTEGER NOT NULL DEFAULT 0,
	submitted_at INTEGER,
	block_number INTEGER,
	block_hash BLOB,
	finalized_at INTEGER
);
CREATE INDEX IF NOT EXISTS batches_open ON batches (id) WHERE finalized_at IS NULL;
PRAGMA user_version = 1;
";

/// [`Store`] in one SQLite file.
pub struct SqliteStore {
	connection: Connection,
}

fn hash(bytes: Vec<u8>) -> rusqlite::Result<H256> {
	hash_of(&bytes)
}

fn hash_of(bytes: &[u8]) -> rusqlite::Result<H256> {
	<[u8; 32]>::try_from(bytes).map(H256).map_err(|_| {
		rusqlite::Error::InvalidColumnType(0, "hash".into(), rusqlite::types::Type::Blob)
	})
}

fn id32(bytes: Vec<u8>) -> rusqlite::Result<[u8; 32]> {
	hash(bytes).map(|hash| hash.0)
}

fn batch_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
	let number: Option<u32> = row.get("block_number")?;
	let block_hash: Option<Vec<u8>> = row.get("block_hash")?;
	Ok(Batch {
		id: row.get("id")?,
		root: hash(row.get("root")?)?,
		leaf_count: row.get("leaf_count")?,
		created_at: row.get::<_, i64>("created_at")? as u64,
		oldest_reading_at: row.get::<_, i64>("oldest_reading_at")? as u64,
		submissions: row.get("submissions")?,
		submitted_at: row
			.get::<_, Option<i64>>("submitted_at")?
			.map(|at| at as u64),
		block: match (number, block_hash) {
			(Some(number), Some(block_hash)) => Some((number, hash(block_hash)?)),
			_ => None,
		},
		finalized_at: row
			.get::<_, Option<i64>>("finalized_at")?
			.map(|at| at as u64),
	})
}

impl SqliteStore {
	/// Opens (creating if needed) the store at `path`, for the gateway that writes it.
	pub fn open(path: &Path) -> Result<Self> {
		let connection = Connection::open(path)
			.with_context(|| format!("cannot open the store {}", path.display()))?;
		// WAL: readers (proof requests, `prove`) never block the writer. FULL: every commit is
		// on disk before the gateway acknowledges what it stored.
		connection.pragma_update(None, "journal_mode", "WAL")?;
		connection.pragma_update(None, "synchronous", "FULL")?;
		connection.pragma_update(None, "foreign_keys", "ON")?;
		connection.busy_timeout(std::time::Duration::from_secs(10))?;
		let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
		if version > 1 {
			bail!(
				"{} was written by a newer gateway (schema {version})",
				path.display()
			);
		}
		connection.execute_batch(SCHEMA)?;
		Ok(Self { connection })
	}

	/// Opens the store at `path` for reading only (`viot-gateway prove`, beside a running
	/// gateway).
	pub fn open_read_only(path: &Path) -> Result<Self> {
		let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
			.with_context(|| format!("cannot open the store {}", path.display()))?;
		connection.busy_timeout(std::time::Duration::from_secs(10))?;
		Ok(Self { connection })
	}

	fn batch(&self, id: i64) -> Result<Batch> {
		Ok(self
			.connection
			.query_row("SELECT * FROM batches WHERE id = ?1", [id], batch_of)?)
	}
}

impl Store for SqliteStore {
	fn setting(&self, key: &str) -> Result<Option<Vec<u8>>> {
		Ok(self
			.connection
			.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
				row.get(0)
			})
			.optional()?)
	}

	fn set_setting(&mut self, key: &str, value: &[u8]) -> Result<()> {
		self.connection.execute(
			"INSERT INTO settings (key, value) VALUES (?1, ?2)
			 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			params![key, value],
		)?;
		Ok(())
	}

	fn insert_readings(&mut self, readings: &[NewReading]) -> Result<Vec<Stored>> {
		let transaction = self.connection.transaction()?;
		let mut outcomes = Vec::with_capacity(readings.len());
		{
			let mut insert = transaction.prepare_cached(
				"INSERT INTO readings
				 (device, sequence, digest, subject, kind, payload, signature, leaf, received_at)
				 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
				 ON CONFLICT (device, sequence) DO NOTHING",
			)?;
			let mut existing = transaction.prepare_cached(
				"SELECT id, payload FROM readings WHERE device = ?1 AND sequence = ?2",
			)?;
			for reading in readings {
				// Sequence numbers above i64::MAX are refused before they get here.
				let sequence = i64::try_from(reading.sequence).context("sequence above 2^63")?;
				let inserted = insert.execute(params![
					&reading.device[..],
					sequence,
					reading.digest.as_bytes(),
					reading.subject.as_ref().map(|subject| &subject[..]),
					reading.kind,
					&reading.payload,
					&reading.signature,
					reading.leaf.as_bytes(),
					reading.received_at as i64,
				])?;
				outcomes.push(if inserted == 1 {
					Stored::New(transaction.last_insert_rowid())
				} else {
					let (id, payload): (i64, Vec<u8>) = existing
						.query_row(params![&reading.device[..], sequence], |row| {
							Ok((row.get(0)?, row.get(1)?))
						})?;
					if payload == reading.payload {
						Stored::Duplicate(id)
					} else {
						Stored::SequenceReused
					}
				});
			}
		}
		transaction.commit()?;
		Ok(outcomes)
	}

	fn build_batch(&mut self, max: u32, now: u64) -> Result<Option<Batch>> {
		let transaction = self.connection.transaction()?;
		let rows: Vec<(i64, Vec<u8>, i64)> = {
			let mut select = transaction.prepare_cached(
				"SELECT id, leaf, received_at FROM readings WHERE batch_id IS NULL ORDER BY id LIMIT ?1",
			)?;
			let rows = select
				.query_map([max], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
				.collect::<rusqlite::Result<_>>()?;
			rows
		};
		if rows.is_empty() {
			return Ok(None);
		}
		let mut leaves = Vec::with_capacity(rows.len());
		for (_, leaf, _) in &rows {
			leaves.push(hash_of(leaf)?);
		}
		let tree = viot_sdk::batch::Batch::new(leaves)?;
		let oldest = rows
			.iter()
			.map(|(_, _, at)| *at)
			.min()
			.unwrap_or(now as i64);
		transaction.execute(
			"INSERT INTO batches (root, leaf_count, created_at, oldest_reading_at)
			 VALUES (?1, ?2, ?3, ?4)",
			params![
				tree.root().as_bytes(),
				tree.leaf_count(),
				now as i64,
				oldest
			],
		)?;
		let batch_id = transaction.last_insert_rowid();
		{
			let mut assign = transaction.prepare_cached(
				"UPDATE readings SET batch_id = ?1, leaf_index = ?2, proof = ?3 WHERE id = ?4",
			)?;
			for (index, (reading_id, _, _)) in rows.iter().enumerate() {
				let proof = tree.proof(index as u32)?;
				assign.execute(params![batch_id, index as u32, proof.encode(), reading_id])?;
			}
		}
		transaction.commit()?;
		self.batch(batch_id).map(Some)
	}

	fn open_batches(&self) -> Result<Vec<Batch>> {
		let mut select = self
			.connection
			.prepare_cached("SELECT * FROM batches WHERE finalized_at IS NULL ORDER BY id")?;
		let batches = select
			.query_map([], batch_of)?
			.collect::<rusqlite::Result<_>>()?;
		Ok(batches)
	}

	fn record_submission(&mut self, id: i64, at: u64) -> Result<()> {
		self.connection.execute(
			"UPDATE batches SET submissions = submissions + 1, submitted_at = ?2 WHERE id = ?1",
			params![id, at as i64],
		)?;
		Ok(())
	}

	fn record_inclusion(
		&mut self,
		id: i64,
		block: Option<(u32, H256)>,
		finalized_at: Option<u64>,
	) -> Result<()> {
		self.connection.execute(
			"UPDATE batches SET block_number = ?2, block_hash = ?3, finalized_at = ?4 WHERE id = ?1",
			params![
				id,
				block.map(|(number, _)| number),
				block.map(|(_, hash)| hash.as_bytes().to_vec()),
				finalized_at.map(|at| at as i64),
			],
		)?;
		Ok(())
	}

	fn readings_of(&self, digest: &H256) -> Result<Vec<StoredReading>> {
		let mut select = self.connection.prepare_cached(
			"SELECT r.id AS reading_id, r.device, r.sequence, r.digest, r.subject, r.kind,
			        r.payload, r.signature, r.leaf, r.received_at, r.leaf_index, r.proof, b.*
			 FROM readings r LEFT JOIN batches b ON b.id = r.batch_id
			 WHERE r.digest = ?1 ORDER BY r.id LIMIT ?2",
		)?;
		let readings = select
			.query_map(params![digest.as_bytes(), MAX_READINGS_OF_DIGEST], |row| {
				let reading = NewReading {
					device: id32(row.get("device")?)?,
					digest: hash(row.get("digest")?)?,
					sequence: row.get::<_, i64>("sequence")? as u64,
					subject: row
						.get::<_, Option<Vec<u8>>>("subject")?
						.map(id32)
						.transpose()?,
					kind: row.get("kind")?,
					payload: row.get("payload")?,
					signature: row.get("signature")?,
					leaf: hash(row.get("leaf")?)?,
					received_at: row.get::<_, i64>("received_at")? as u64,
				};
				let batch = match row.get::<_, Option<i64>>("id")? {
					Some(_) => {
						let proof: Vec<u8> = row.get("proof")?;
						let proof = InclusionProof::decode(&mut &proof[..]).map_err(|_| {
							rusqlite::Error::InvalidColumnType(
								0,
								"proof".into(),
								rusqlite::types::Type::Blob,
							)
						})?;
						Some((batch_of(row)?, row.get("leaf_index")?, proof))
					}
					None => None,
				};
				Ok(StoredReading {
					id: row.get("reading_id")?,
					reading,
					batch,
				})
			})?
			.collect::<rusqlite::Result<_>>()?;
		Ok(readings)
	}

	fn backlog(&self) -> Result<Backlog> {
		Ok(self.connection.query_row(
			"SELECT (SELECT count(*) FROM readings WHERE batch_id IS NULL),
			        (SELECT count(*) FROM batches WHERE finalized_at IS NULL)",
			[],
			|row| {
				Ok(Backlog {
					unbatched: row.get::<_, i64>(0)? as u64,
					open_batches: row.get::<_, i64>(1)? as u64,
				})
			},
		)?)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use viot_primitives::anchor::verify_merkle_proof;

	/// A reading whose payload and leaf follow `leaf` (another `leaf`: another payload).
	fn reading(device: u8, sequence: u64, leaf: u8) -> NewReading {
		NewReading {
			device: [device; 32],
			digest: H256::repeat_byte(device ^ sequence as u8),
			sequence,
			subject: sequence.is_multiple_of(2).then_some([7; 32]),
			kind: 10,
			payload: vec![leaf, 2, 3],
			signature: vec![4, 5],
			leaf: H256::repeat_byte(leaf),
			received_at: 1_000 + sequence,
		}
	}

	fn store() -> (tempfile::TempDir, SqliteStore) {
		let dir = tempfile::tempdir().unwrap();
		let store = SqliteStore::open(&dir.path().join("gateway.sqlite")).unwrap();
		(dir, store)
	}

	#[test]
	fn a_sequence_number_is_stored_once_and_a_retry_is_a_duplicate() {
		let (_dir, mut store) = store();
		let outcomes = store
			.insert_readings(&[reading(1, 1, 1), reading(1, 2, 2), reading(2, 1, 3)])
			.unwrap();
		assert_eq!(
			outcomes,
			vec![Stored::New(1), Stored::New(2), Stored::New(3)]
		);
		// The same signed reading again (a lost acknowledgement), and another reading under a
		// used sequence number, also within one transaction.
		let outcomes = store
			.insert_readings(&[
				reading(1, 2, 2),
				reading(1, 1, 9),
				reading(1, 3, 4),
				reading(1, 3, 5),
			])
			.unwrap();
		assert_eq!(
			outcomes,
			vec![
				Stored::Duplicate(2),
				Stored::SequenceReused,
				Stored::New(4),
				Stored::SequenceReused
			]
		);
		assert_eq!(store.backlog().unwrap().unbatched, 4);
		// The same payload signed again (a new sr25519 or P-256 signature): still a retry.
		let resigned = NewReading {
			signature: vec![9, 9],
			leaf: H256::repeat_byte(99),
			..reading(1, 2, 2)
		};
		assert_eq!(
			store.insert_readings(&[resigned]).unwrap(),
			vec![Stored::Duplicate(2)]
		);
	}

	#[test]
	fn batches_take_the_oldest_readings_and_every_proof_verifies() {
		let (_dir, mut store) = store();
		let readings: Vec<_> = (0..7).map(|i| reading(1, i, i as u8 + 1)).collect();
		store.insert_readings(&readings).unwrap();
		assert_eq!(store.build_batch(5, 50_000).unwrap().unwrap().leaf_count, 5);
		let second = store.build_batch(5, 60_000).unwrap().unwrap();
		assert_eq!(
			(second.id, second.leaf_count, second.oldest_reading_at),
			(2, 2, 1_005)
		);
		assert_eq!(store.build_batch(5, 70_000).unwrap(), None);
		assert_eq!(
			store.backlog().unwrap(),
			Backlog {
				unbatched: 0,
				open_batches: 2
			}
		);

		for reading in &readings {
			let stored = store.readings_of(&reading.digest).unwrap();
			let found = stored.iter().find(|s| s.reading == *reading).unwrap();
			let (batch, index, proof) = found.batch.clone().unwrap();
			assert_eq!((proof.root, proof.leaf_index), (batch.root, index));
			assert!(verify_merkle_proof(&reading.leaf, &proof));
		}
	}

	#[test]
	fn inclusion_and_finality_close_a_batch_and_survive_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("gateway.sqlite");
		{
			let mut store = SqliteStore::open(&path).unwrap();
			store.set_setting("genesis", &[9; 32]).unwrap();
			store
				.insert_readings(&[reading(1, 1, 1), reading(1, 2, 2)])
				.unwrap();
			let batch = store.build_batch(10, 5_000).unwrap().unwrap();
			store.record_submission(batch.id, 6_000).unwrap();
			store
				.record_inclusion(batch.id, Some((12, H256::repeat_byte(3))), None)
				.unwrap();
		}
		let mut store = SqliteStore::open(&path).unwrap();
		assert_eq!(store.setting("genesis").unwrap(), Some(vec![9; 32]));
		let open = store.open_batches().unwrap();
		assert_eq!(open.len(), 1);
		assert_eq!(
			(open[0].submissions, open[0].submitted_at, open[0].block),
			(1, Some(6_000), Some((12, H256::repeat_byte(3))))
		);
		store
			.record_inclusion(open[0].id, Some((12, H256::repeat_byte(3))), Some(9_000))
			.unwrap();
		assert!(store.open_batches().unwrap().is_empty());
		let read_only = SqliteStore::open_read_only(&path).unwrap();
		let stored = read_only.readings_of(&reading(1, 1, 1).digest).unwrap();
		assert_eq!(
			stored[0].batch.as_ref().unwrap().0.finalized_at,
			Some(9_000)
		);
	}
}
