//! The verification bundle of a reading: everything a verifier needs besides the chain itself,
//! as JSON (`GET /readings/{digest}`, `viot-gateway prove`). A verifier trusts none of it: it
//! reads the device's key and the batch's anchor from the chain (`deviceIdentityApi.device`,
//! `dataAnchoringApi.anchorOf(proof.root, { Account: gateway })`) and checks the rest with the
//! SDK (`verifyReading`) or on chain (`dataAnchoringApi.verifyInclusion(leaf, proof, gateway)`).

use codec::Encode;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, H256};
use viot_primitives::AccountId;

use crate::store::StoredReading;

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// How far a reading got.
pub fn status(reading: &StoredReading) -> &'static str {
	match &reading.batch {
		None => "stored",
		Some((batch, _, _)) if batch.finalized_at.is_some() => "finalized",
		Some((batch, _, _)) if batch.block.is_some() => "in-block",
		Some((batch, _, _)) if batch.submissions > 0 => "submitted",
		Some(_) => "batched",
	}
}

/// The bundle of `reading`, stored by the gateway with account `gateway` on the chain with
/// `genesis`.
pub fn bundle(reading: &StoredReading, genesis: H256, gateway: &AccountId) -> Value {
	let r = &reading.reading;
	let batch = reading.batch.as_ref().map(|(batch, leaf_index, proof)| {
		json!({
			"id": batch.id,
			"root": hex(batch.root.as_bytes()),
			"leafCount": batch.leaf_count,
			"leafIndex": leaf_index,
			"createdAt": batch.created_at,
			"oldestReadingAt": batch.oldest_reading_at,
			"block": batch.block.map(|(number, hash)| json!({
				"number": number,
				"hash": hex(hash.as_bytes()),
				"finalized": batch.finalized_at.is_some(),
				"finalizedAt": batch.finalized_at,
			})),
			"proof": {
				"root": hex(proof.root.as_bytes()),
				"leafIndex": proof.leaf_index,
				"leafCount": proof.leaf_count,
				"siblings": proof.siblings.iter().map(|s| hex(s.as_bytes())).collect::<Vec<_>>(),
			},
			"proofBytes": hex(&proof.encode()),
		})
	});
	json!({
		"id": reading.id,
		"status": status(reading),
		"device": hex(&r.device),
		"digest": hex(r.digest.as_bytes()),
		"sequence": r.sequence,
		"subject": r.subject.map(|subject| hex(&subject)),
		"kind": r.kind,
		"receivedAt": r.received_at,
		"payload": hex(&r.payload),
		"signature": hex(&r.signature),
		"leaf": hex(r.leaf.as_bytes()),
		"genesisHash": hex(genesis.as_bytes()),
		"gateway": gateway.to_ss58check(),
		"gatewayAccountId": hex(AsRef::<[u8]>::as_ref(gateway)),
		"batch": batch,
	})
}

/// The answer for a digest: its readings' bundles.
pub fn bundles(
	digest: &H256,
	readings: &[StoredReading],
	genesis: H256,
	gateway: &AccountId,
) -> Value {
	json!({
		"digest": hex(digest.as_bytes()),
		"readings": readings.iter().map(|reading| bundle(reading, genesis, gateway)).collect::<Vec<_>>(),
	})
}
