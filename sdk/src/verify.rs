//! Verification for a reader who trusts nothing but the chain: a record against the anchor the
//! runtime API returns, and an item's trace in order.

use codec::DecodeAll;
use viot_primitives::{
	anchor::{AnchorInfo, InclusionProof, SubjectId, TraceEntry},
	device::{DeviceId, DevicePublicKey, DeviceSignature},
	offchain::{OffchainMessage, OffchainPayload, OFFCHAIN_MAGIC},
	AccountId, Balance, BlockNumber, Hash,
};

use crate::{batch::verify_proof, Error};

/// An anchor as `DataAnchoringApi::anchor_of` returns it on VIoT chains.
pub type Anchor = AnchorInfo<AccountId, Balance, BlockNumber>;

/// One entry of a trace as `DataAnchoringApi::trace` returns it on VIoT chains.
pub type Entry = TraceEntry<AccountId, Balance, BlockNumber>;

/// Checks that the record with `digest` is what `anchor` anchors: the anchored digest itself,
/// or, with `proof`, a leaf of the anchored batch (same root, same leaf count, and the proof
/// leads from the leaf to the root). Returns the leaf's index in the batch, if it is a leaf.
pub fn verify_record(
	digest: &Hash,
	anchor: &Anchor,
	proof: Option<&InclusionProof>,
) -> Result<Option<u32>, Error> {
	match (anchor.leaf_count, proof) {
		(_, None) if anchor.digest == *digest => Ok(None),
		(None, None) => Err(Error::DigestMismatch),
		(Some(_), None) => Err(Error::ProofNeeded),
		(None, Some(_)) => Err(Error::NotABatch),
		(Some(count), Some(proof)) => {
			if proof.root != anchor.digest || proof.leaf_count != count {
				return Err(Error::OtherBatch);
			}
			verify_proof(digest, proof).map(Some)
		}
	}
}

/// What a verifier asks about a reading: its own chain, the device and the record it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpectedReading {
	/// The genesis hash of the chain the verifier reads.
	pub genesis_hash: Hash,
	/// The device the reading must come from.
	pub device: DeviceId,
	/// The record's digest.
	pub digest: Hash,
}

/// Checks a reading a gateway anchored, trusting neither the gateway nor the device: `payload`
/// (the bytes the device signed) is a `Reading` of `expected` (this chain, this device, this
/// digest), `signature` is `device_key`'s signature over it, and `proof` puts the signed
/// reading's leaf ([`OffchainPayload::signed_leaf`]) in the batch `anchor` anchors. Returns the
/// reading and its leaf's index. The caller reads `device_key` (at the anchor's block) and
/// `anchor` from the chain or a light client, never from the gateway.
pub fn verify_reading(
	expected: &ExpectedReading,
	payload: &[u8],
	signature: &DeviceSignature,
	device_key: &DevicePublicKey,
	anchor: &Anchor,
	proof: &InclusionProof,
) -> Result<(OffchainPayload, u32), Error> {
	let reading = OffchainPayload::decode_all(&mut &payload[..]).map_err(|_| Error::NotAReading)?;
	let OffchainMessage::Reading { digest, .. } = reading.message else {
		return Err(Error::NotAReading);
	};
	if reading.magic != OFFCHAIN_MAGIC {
		return Err(Error::NotAReading);
	}
	if reading.genesis_hash != expected.genesis_hash
		|| reading.device != expected.device
		|| digest != expected.digest
	{
		return Err(Error::OtherReading);
	}
	if !device_key.verify(payload, signature) {
		return Err(Error::BadSignature);
	}
	let index = verify_record(&reading.signed_leaf(signature), anchor, Some(proof))?;
	Ok((reading, index.expect("a verified proof names its leaf")))
}

/// Checks that `entries` (as `DataAnchoringApi::trace` returns them, from any start) are
/// `subject`'s trace in order: every entry concerns `subject` and sits at its own position,
/// positions increase, and neither block numbers nor timestamps go back. With `records`, the
/// entries must also anchor exactly these digests, in this order.
pub fn verify_trace(
	subject: &SubjectId,
	entries: &[Entry],
	records: Option<&[Hash]>,
) -> Result<(), Error> {
	if let Some(records) = records {
		if records.len() != entries.len() {
			return Err(Error::TraceLength {
				expected: records.len(),
				found: entries.len(),
			});
		}
	}
	let mut previous: Option<&Entry> = None;
	for (position, entry) in entries.iter().enumerate() {
		let anchor = &entry.anchor;
		if anchor.subject.as_ref() != Some(subject) {
			return Err(Error::TraceSubject { position });
		}
		if anchor.trace_index != Some(entry.index) {
			return Err(Error::TracePosition { position });
		}
		if let Some(previous) = previous {
			if entry.index <= previous.index
				|| anchor.block < previous.anchor.block
				|| anchor.timestamp < previous.anchor.timestamp
			{
				return Err(Error::TraceOrder { position });
			}
		}
		if records.is_some_and(|records| records[position] != anchor.digest) {
			return Err(Error::TraceRecord { position });
		}
		previous = Some(entry);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::batch::{record_digest, Batch};
	use viot_primitives::anchor::{kind, AnchorSource};

	fn anchor(digest: Hash, leaf_count: Option<u32>) -> Anchor {
		Anchor {
			digest,
			owner: AccountId::new([1; 32]),
			block: 10,
			timestamp: 60_000,
			source: AnchorSource::Account,
			subject: None,
			kind: kind::UNSPECIFIED,
			leaf_count,
			metadata: vec![],
			deposit: 1,
			trace_index: None,
		}
	}

	#[test]
	fn a_single_record_is_its_anchor_and_nothing_else() {
		let digest = record_digest(b"invoice 1");
		let single = anchor(digest, None);
		assert_eq!(verify_record(&digest, &single, None), Ok(None));
		assert_eq!(
			verify_record(&record_digest(b"invoice 2"), &single, None),
			Err(Error::DigestMismatch)
		);
		let proof = Batch::new(vec![digest]).unwrap().proof(0).unwrap();
		assert_eq!(
			verify_record(&digest, &single, Some(&proof)),
			Err(Error::NotABatch)
		);
	}

	#[test]
	fn a_leaf_proves_against_its_batch_only() {
		let leaves: Vec<Hash> = (0u32..5).map(|i| record_digest(&i.to_le_bytes())).collect();
		let batch = Batch::new(leaves.clone()).unwrap();
		let anchored = anchor(batch.root(), Some(5));
		let proof = batch.proof(3).unwrap();
		assert_eq!(
			verify_record(&leaves[3], &anchored, Some(&proof)),
			Ok(Some(3))
		);
		assert_eq!(
			verify_record(&leaves[2], &anchored, Some(&proof)),
			Err(Error::BadProof)
		);
		assert_eq!(
			verify_record(&leaves[3], &anchored, None),
			Err(Error::ProofNeeded)
		);
		assert_eq!(verify_record(&batch.root(), &anchored, None), Ok(None));
		// The same root under another leaf count, and another batch's proof.
		assert_eq!(
			verify_record(&leaves[3], &anchor(batch.root(), Some(6)), Some(&proof)),
			Err(Error::OtherBatch)
		);
		let other = Batch::new(leaves[..4].to_vec()).unwrap().proof(3).unwrap();
		assert_eq!(
			verify_record(&leaves[3], &anchored, Some(&other)),
			Err(Error::OtherBatch)
		);
	}

	#[test]
	fn a_reading_verifies_only_with_its_signature_key_and_batch() {
		use viot_primitives::{device::KeyKind, keys::DeviceKeyPair};
		let key = DeviceKeyPair::from_seed(KeyKind::P256, &[4; 32]).unwrap();
		let other_key = DeviceKeyPair::from_seed(KeyKind::P256, &[5; 32]).unwrap();
		let readings: Vec<(OffchainPayload, DeviceSignature)> = (0..5u64)
			.map(|sequence| {
				let payload = crate::payload::reading(
					Hash::repeat_byte(1),
					[2; 32],
					record_digest(&sequence.to_le_bytes()),
					sequence,
					None,
					kind::SENSOR_READING,
				);
				let signature = key.sign(&payload.to_bytes());
				(payload, signature)
			})
			.collect();
		let leaves = readings
			.iter()
			.map(|(payload, signature)| payload.signed_leaf(signature))
			.collect();
		let batch = Batch::new(leaves).unwrap();
		let anchored = anchor(batch.root(), Some(5));
		let (payload, signature) = &readings[3];
		let bytes = payload.to_bytes();
		let proof = batch.proof(3).unwrap();
		let expected = ExpectedReading {
			genesis_hash: Hash::repeat_byte(1),
			device: [2; 32],
			digest: record_digest(&3u64.to_le_bytes()),
		};
		let (reading, index) = verify_reading(
			&expected,
			&bytes,
			signature,
			&key.public(),
			&anchored,
			&proof,
		)
		.unwrap();
		assert_eq!((&reading, index), (payload, 3));

		assert_eq!(
			verify_reading(
				&expected,
				&bytes,
				signature,
				&other_key.public(),
				&anchored,
				&proof
			),
			Err(Error::BadSignature)
		);
		assert_eq!(
			verify_reading(
				&expected,
				&bytes,
				&readings[2].1,
				&key.public(),
				&anchored,
				&proof
			),
			Err(Error::BadSignature)
		);
		assert_eq!(
			verify_reading(
				&expected,
				&bytes,
				signature,
				&key.public(),
				&anchored,
				&batch.proof(2).unwrap()
			),
			Err(Error::BadProof)
		);
		assert_eq!(
			verify_reading(
				&expected,
				&bytes,
				signature,
				&key.public(),
				&anchor(batch.root(), Some(6)),
				&proof
			),
			Err(Error::OtherBatch)
		);
		// The right device's genuine reading, but not the one asked about: another record,
		// another device's id, another chain.
		for other in [
			ExpectedReading {
				digest: record_digest(b"another record"),
				..expected
			},
			ExpectedReading {
				device: [3; 32],
				..expected
			},
			ExpectedReading {
				genesis_hash: Hash::repeat_byte(9),
				..expected
			},
		] {
			assert_eq!(
				verify_reading(&other, &bytes, signature, &key.public(), &anchored, &proof),
				Err(Error::OtherReading)
			);
		}
		// A tag challenge signed by the device is not a reading, nor are stray bytes.
		let challenge = crate::payload::tag_challenge(Hash::repeat_byte(1), [2; 32], [0; 32]);
		let answer = key.sign(&challenge.to_bytes());
		assert_eq!(
			verify_reading(
				&expected,
				&challenge.to_bytes(),
				&answer,
				&key.public(),
				&anchored,
				&proof
			),
			Err(Error::NotAReading)
		);
		assert_eq!(
			verify_reading(
				&expected,
				&[bytes.clone(), vec![0]].concat(),
				signature,
				&key.public(),
				&anchored,
				&proof
			),
			Err(Error::NotAReading)
		);
	}

	fn trace(subject: SubjectId, records: &[Hash]) -> Vec<Entry> {
		records
			.iter()
			.enumerate()
			.map(|(i, digest)| {
				let mut anchor = anchor(*digest, None);
				anchor.subject = Some(subject);
				anchor.trace_index = Some(2 * i as u32);
				anchor.block = 10 + i as u32;
				anchor.timestamp = 60_000 + 6_000 * i as u64;
				Entry {
					index: 2 * i as u32,
					anchor,
				}
			})
			.collect()
	}

	#[test]
	fn a_trace_verifies_in_order_and_every_defect_is_named() {
		let subject = [7; 32];
		let records: Vec<Hash> = [&b"made"[..], b"shipped", b"sold"]
			.iter()
			.map(|r| record_digest(r))
			.collect();
		let entries = trace(subject, &records);
		assert_eq!(verify_trace(&subject, &entries, Some(&records)), Ok(()));
		assert_eq!(verify_trace(&subject, &entries, None), Ok(()));
		assert_eq!(verify_trace(&subject, &[], Some(&[])), Ok(()));

		assert_eq!(
			verify_trace(&[8; 32], &entries, None),
			Err(Error::TraceSubject { position: 0 })
		);
		let swapped = vec![entries[1].clone(), entries[0].clone(), entries[2].clone()];
		assert_eq!(
			verify_trace(&subject, &swapped, None),
			Err(Error::TraceOrder { position: 1 })
		);
		let mut earlier = entries.clone();
		earlier[2].anchor.timestamp = 0;
		assert_eq!(
			verify_trace(&subject, &earlier, None),
			Err(Error::TraceOrder { position: 2 })
		);
		let mut misplaced = entries.clone();
		misplaced[1].anchor.trace_index = Some(9);
		assert_eq!(
			verify_trace(&subject, &misplaced, None),
			Err(Error::TracePosition { position: 1 })
		);
		let mut reordered = records.clone();
		reordered.swap(1, 2);
		assert_eq!(
			verify_trace(&subject, &entries, Some(&reordered)),
			Err(Error::TraceRecord { position: 1 })
		);
		assert_eq!(
			verify_trace(&subject, &entries[..2], Some(&records)),
			Err(Error::TraceLength {
				expected: 3,
				found: 2
			})
		);
	}
}
