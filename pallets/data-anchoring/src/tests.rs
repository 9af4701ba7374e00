//! Unit tests of every call and error, on the mock runtime; each test ends with the pallet's
//! invariants.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_io::hashing::blake2_256;
use sp_runtime::{DispatchError, TokenError};
use viot_primitives::{
	anchor::{kind, merkle_proof, merkle_root},
	device::DevicePayload,
};

fn digest(n: u32) -> H256 {
	H256(blake2_256(&n.to_le_bytes()))
}

fn item(n: u8) -> SubjectId {
	[n; 32]
}

fn metadata(bytes: &[u8]) -> AnchorMetadata<Test> {
	BoundedVec::try_from(bytes.to_vec()).unwrap()
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::AnchorDeposit.into(), &who)
}

/// The deposit held for `subject`'s trace counter.
fn counter_deposit(subject: SubjectId) -> Balance {
	TraceCounterDeposits::<Test>::get(subject)
		.expect("the counter was paid for")
		.1
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::DataAnchoring(event) => Some(event),
			_ => None,
		})
		.expect("an event of the pallet")
}

/// An account as an attester.
fn by(who: AccountId) -> AttesterOf<Test> {
	Attester::Account(who)
}

fn anchor(who: AccountId, d: H256, subject: Option<SubjectId>, k: u16) -> DispatchResult {
	DataAnchoring::anchor(RuntimeOrigin::signed(who), d, subject, k, metadata(b""))
}

/// Runs `test` on a fresh chain and checks the invariants after it.
fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		DataAnchoring::do_try_state().expect("invariants hold");
	});
}

#[test]
fn anchor_stores_who_when_and_what_and_holds_a_deposit() {
	run(|| {
		let d = digest(1);
		assert_ok!(DataAnchoring::anchor(
			RuntimeOrigin::signed(ALICE),
			d,
			Some(item(1)),
			kind::MANUFACTURED,
			metadata(b"application/json")
		));
		let record = Anchors::<Test>::get(d, by(ALICE)).unwrap();
		assert_eq!(record.owner, ALICE);
		assert_eq!(record.block, 1);
		assert_eq!(record.timestamp, NOW);
		assert_eq!(record.source, AnchorSource::Account);
		assert_eq!(record.subject, Some(item(1)));
		assert_eq!(record.kind, kind::MANUFACTURED);
		assert_eq!(record.leaf_count, None);
		assert_eq!(record.metadata.to_vec(), b"application/json".to_vec());
		assert_eq!(record.trace_index, Some(0));
		// Base 100 plus one per byte of the record with its key (digest 32, attester 1 + 8) and
		// of the trace entry with its key (subject 32, index 4).
		let bytes = codec::Encode::encoded_size(&record) as u64 + 41 + (32 + 4 + 41);
		assert_eq!(record.deposit, 100 + bytes);
		// The first anchor of a subject also pays for its trace counter: base 100 plus the
		// counter's entry (subject 32, counter 8) and the record of who paid (subject 32,
		// account 8, balance 8).
		assert_eq!(counter_deposit(item(1)), 100 + 40 + 48);
		assert_eq!(held(ALICE), record.deposit + counter_deposit(item(1)));
		assert_eq!(
			last_event(),
			Event::Anchored {
				digest: d,
				owner: ALICE,
				source: AnchorSource::Account,
				subject: Some(item(1)),
				kind: kind::MANUFACTURED,
				leaf_count: None,
				trace_index: Some(0),
				deposit: record.deposit,
			}
		);
		let info = DataAnchoring::anchor_of(d, by(ALICE)).unwrap();
		assert_eq!(info.digest, d);
		assert_eq!(info.metadata, b"application/json".to_vec());
	});
}

#[test]
fn anchor_without_subject_has_no_trace_and_a_smaller_deposit() {
	run(|| {
		assert_ok!(anchor(ALICE, digest(1), None, kind::UNSPECIFIED));
		assert_ok!(anchor(BOB, digest(2), Some(item(1)), kind::UNSPECIFIED));
		let plain = Anchors::<Test>::get(digest(1), by(ALICE)).unwrap();
		let traced = Anchors::<Test>::get(digest(2), by(BOB)).unwrap();
		assert_eq!(plain.trace_index, None);
		assert!(plain.deposit < traced.deposit);
		assert_eq!(Traces::<Test>::iter().count(), 1);
	});
}

#[test]
fn every_anchor_without_subject_is_weighed_without_a_trace() {
	use frame_support::{dispatch::GetDispatchInfo, weights::constants::RocksDbWeight};
	let weights = |subject: Option<SubjectId>| {
		let anchor = Call::<Test>::anchor {
			digest: digest(1),
			subject,
			kind: 0,
			metadata: metadata(b"m"),
		};
		let batch = Call::<Test>::anchor_batch {
			root: digest(1),
			leaf_count: 4,
			subject,
			kind: 0,
			metadata: metadata(b"m"),
		};
		let signature = DeviceSignature::Sr25519([0; 64]);
		let device = Call::<Test>::anchor_from_device {
			device: [1; 32],
			digest: digest(1),
			subject,
			kind: 0,
			signature: signature.clone(),
		};
		let scan = Call::<Test>::anchor_scan {
			tag_device: [1; 32],
			reader_device: [2; 32],
			digest: digest(1),
			subject,
			kind: 0,
			tag_signature: signature.clone(),
			reader_signature: signature,
		};
		[anchor, batch, device, scan].map(|call| call.get_dispatch_info().call_weight.ref_time())
	};
	// A trace costs at least its counter's read and write and the entry's write.
	let trace = RocksDbWeight::get().reads_writes(1, 2).ref_time();
	for (plain, traced) in weights(None).into_iter().zip(weights(Some(item(1)))) {
		assert!(plain + trace <= traced, "{plain} + {trace} > {traced}");
	}
}

#[test]
fn each_attester_attests_a_digest_once() {
	run(|| {
		assert_ok!(anchor(ALICE, digest(1), Some(item(1)), kind::SHIPPED));
		assert_noop!(
			anchor(ALICE, digest(1), Some(item(2)), kind::SOLD),
			Error::<Test>::AlreadyAnchored
		);
		assert_noop!(
			DataAnchoring::anchor_batch(
				RuntimeOrigin::signed(ALICE),
				digest(1),
				5,
				None,
				0,
				metadata(b"")
			),
			Error::<Test>::AlreadyAnchored
		);
		assert_eq!(DataAnchoring::trace_length(item(2)), 0);
	});
}

/// The attack: someone who sees a pending anchor anchors the same digest first, to block the
/// real attestation, take its place or change what it says.
#[test]
fn anchoring_a_digest_first_blocks_or_replaces_nobody() {
	run(|| {
		assert_ok!(anchor(BOB, digest(1), Some(item(2)), kind::SOLD));
		System::set_block_number(2);
		assert_ok!(anchor(ALICE, digest(1), Some(item(1)), kind::SHIPPED));
		let alice = DataAnchoring::anchor_of(digest(1), by(ALICE)).unwrap();
		assert_eq!(
			(alice.owner, alice.block, alice.kind, alice.subject),
			(ALICE, 2, kind::SHIPPED, Some(item(1)))
		);
		let bob = DataAnchoring::anchor_of(digest(1), by(BOB)).unwrap();
		assert_eq!((bob.owner, bob.block), (BOB, 1));
		// Both attestations, earliest first.
		let all = DataAnchoring::attestations(digest(1), 10);
		assert_eq!(
			all.iter().map(|a| (a.owner, a.block)).collect::<Vec<_>>(),
			vec![(BOB, 1), (ALICE, 2)]
		);
		assert_eq!(DataAnchoring::attestations(digest(1), 1).len(), 1);
		assert!(DataAnchoring::attestations(digest(2), 10).is_empty());
		// Alice's trace entry points at Alice's attestation.
		let trace = DataAnchoring::trace(item(1), 0, 10);
		assert_eq!(trace.len(), 1);
		assert_eq!(trace[0].anchor.owner, ALICE);
	});
}

/// The attack: a squatter anchors a gateway's batch root (seen in the pool) first, with another
/// leaf count, so that every inclusion proof of the real batch fails.
#[test]
fn a_squatted_batch_root_breaks_no_proof_of_the_real_batch() {
	run(|| {
		let leaves: Vec<H256> = (0..8).map(digest).collect();
		let root = merkle_root(&leaves);
		assert_ok!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(BOB),
			root,
			9,
			None,
			0,
			metadata(b"squatted")
		));
		assert_ok!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(ALICE),
			root,
			8,
			None,
			0,
			metadata(b"")
		));
		for index in 0..8u32 {
			let proof = merkle_proof(&leaves, index).unwrap();
			let info =
				DataAnchoring::verify_inclusion(leaves[index as usize], proof.clone(), ALICE)
					.unwrap();
			assert_eq!(info.owner, ALICE);
			assert_eq!(
				DataAnchoring::verify_inclusion(leaves[index as usize], proof, BOB),
				Err(InclusionError::BadProof),
				"the squatter's count does not match the batch"
			);
		}
	});
}

#[test]
fn an_anchor_nobody_can_pay_for_is_not_stored() {
	run(|| {
		assert_noop!(
			DataAnchoring::anchor(
				RuntimeOrigin::signed(POOR),
				digest(1),
				Some(item(1)),
				0,
				metadata(&[7; 64])
			),
			TokenError::FundsUnavailable
		);
		assert_eq!(DataAnchoring::trace_length(item(1)), 0);
	});
}

#[test]
fn unsigned_origins_cannot_anchor() {
	run(|| {
		assert_noop!(
			DataAnchoring::anchor(RuntimeOrigin::none(), digest(1), None, 0, metadata(b"")),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_batch_root_proves_every_record_of_the_batch() {
	run(|| {
		let leaves: Vec<H256> = (0..1_000).map(digest).collect();
		let root = merkle_root(&leaves);
		assert_ok!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(ALICE),
			root,
			1_000,
			Some(item(9)),
			kind::SENSOR_READING,
			metadata(b"readings 2026-11-25")
		));
		assert_eq!(
			Anchors::<Test>::get(root, by(ALICE)).unwrap().leaf_count,
			Some(1_000)
		);
		for index in [0u32, 1, 499, 998, 999] {
			let proof = merkle_proof(&leaves, index).unwrap();
			let info =
				DataAnchoring::verify_inclusion(leaves[index as usize], proof, ALICE).unwrap();
			assert_eq!(info.digest, root);
			assert_eq!(info.owner, ALICE);
			assert_eq!(info.leaf_count, Some(1_000));
		}
	});
}

#[test]
fn bad_inclusion_proofs_are_named() {
	run(|| {
		let leaves: Vec<H256> = (0..10).map(digest).collect();
		let root = merkle_root(&leaves);
		let proof = merkle_proof(&leaves, 3).unwrap();
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[3], proof.clone(), ALICE),
			Err(InclusionError::NotAnchored)
		);
		assert_ok!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(ALICE),
			root,
			10,
			None,
			0,
			metadata(b"")
		));
		assert!(DataAnchoring::verify_inclusion(leaves[3], proof.clone(), ALICE).is_ok());
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[3], proof.clone(), BOB),
			Err(InclusionError::NotAnchored),
			"another attester's batch"
		);
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[4], proof.clone(), ALICE),
			Err(InclusionError::BadProof),
			"a record that is not the proven one"
		);
		let mut tampered = proof.clone();
		tampered.siblings[0].0[0] ^= 1;
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[3], tampered, ALICE),
			Err(InclusionError::BadProof)
		);
		let mut wrong_count = proof.clone();
		wrong_count.leaf_count = 11;
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[3], wrong_count, ALICE),
			Err(InclusionError::BadProof)
		);
		// A single anchor is not a batch, even if a proof names it as a root.
		assert_ok!(anchor(ALICE, digest(100), None, 0));
		let mut single = proof;
		single.root = digest(100);
		assert_eq!(
			DataAnchoring::verify_inclusion(leaves[3], single, ALICE),
			Err(InclusionError::NotABatch)
		);
	});
}

#[test]
fn an_empty_batch_is_refused() {
	run(|| {
		assert_noop!(
			DataAnchoring::anchor_batch(
				RuntimeOrigin::signed(ALICE),
				digest(1),
				0,
				None,
				0,
				metadata(b"")
			),
			Error::<Test>::EmptyBatch
		);
	});
}

fn anchor_action(d: H256, subject: Option<SubjectId>, k: u16) -> DeviceAction {
	DeviceAction::Anchor {
		digest: d,
		subject,
		kind: k,
	}
}

#[test]
fn a_device_of_every_key_type_signs_an_anchor_a_gateway_submits() {
	run(|| {
		for (n, kind_of_key) in [
			KeyKind::Sr25519,
			KeyKind::Ed25519,
			KeyKind::Ecdsa,
			KeyKind::P256,
		]
		.into_iter()
		.enumerate()
		{
			let (device, key) = new_device(kind_of_key, n as u8 + 1);
			let d = digest(n as u32);
			let signature = sign(
				&key,
				device,
				anchor_action(d, Some(item(1)), kind::INSPECTED),
			);
			assert_ok!(DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(GATEWAY),
				device,
				d,
				Some(item(1)),
				kind::INSPECTED,
				signature
			));
			let record = Anchors::<Test>::get(d, Attester::Device(device)).unwrap();
			assert_eq!(record.source, AnchorSource::Device(device));
			assert_eq!(record.owner, GATEWAY);
			assert_eq!(MockDevices::nonce(device), 1);
		}
		assert_eq!(DataAnchoring::trace_length(item(1)), 4);
	});
}

#[test]
fn device_anchors_need_the_devices_fresh_signature_over_exactly_this_anchor() {
	run(|| {
		let (device, key) = new_device(KeyKind::Sr25519, 1);
		let (_, other_key) = new_device(KeyKind::Sr25519, 2);
		let d = digest(1);
		let submit = |d: H256, subject, signature| {
			DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(GATEWAY),
				device,
				d,
				subject,
				kind::SHIPPED,
				signature,
			)
		};
		// Another device's key.
		let forged = sign(&other_key, device, anchor_action(d, None, kind::SHIPPED));
		assert_noop!(
			submit(d, None, forged),
			DispatchError::Other("BadSignature")
		);
		// A signature over another digest, subject or kind.
		let signature = sign(&key, device, anchor_action(d, None, kind::SHIPPED));
		assert_noop!(
			submit(digest(2), None, signature.clone()),
			DispatchError::Other("BadSignature")
		);
		assert_noop!(
			submit(d, Some(item(1)), signature.clone()),
			DispatchError::Other("BadSignature")
		);
		assert_ok!(submit(d, None, signature.clone()));
		// The same signature again: the digest is anchored, and the nonce has moved on.
		assert_noop!(
			submit(d, None, signature.clone()),
			Error::<Test>::AlreadyAnchored
		);
		let replay_elsewhere = anchor_action(digest(3), None, kind::SHIPPED);
		let old_nonce_signature =
			key.sign_payload(&DevicePayload::new(GENESIS, device, 0, replay_elsewhere));
		assert_noop!(
			submit(digest(3), None, old_nonce_signature),
			DispatchError::Other("BadSignature")
		);
	});
}

/// The attack: an account that sees a device's signed anchor in the pool anchors the digest
/// first, to block the device's attestation and its pre-signed follow-ups.
#[test]
fn a_device_attestation_survives_a_front_run_of_its_digest() {
	run(|| {
		let (device, key) = new_device(KeyKind::P256, 1);
		let first = sign(&key, device, anchor_action(digest(1), None, kind::SHIPPED));
		// The follow-up the device signed at its next nonce, before the first landed.
		let follow_up = key.sign_payload(&DevicePayload::new(
			GENESIS,
			device,
			1,
			anchor_action(digest(2), None, kind::RECEIVED),
		));
		for d in [digest(1), digest(2)] {
			assert_ok!(anchor(BOB, d, None, kind::SOLD));
		}
		for (d, k, signature) in [
			(digest(1), kind::SHIPPED, first),
			(digest(2), kind::RECEIVED, follow_up),
		] {
			assert_ok!(DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(GATEWAY),
				device,
				d,
				None,
				k,
				signature
			));
			let attested = DataAnchoring::anchor_of(d, Attester::Device(device)).unwrap();
			assert_eq!(attested.kind, k);
			assert_eq!(attested.source, AnchorSource::Device(device));
		}
		// Bob's anchor is his own attestation, not the device's.
		assert_eq!(
			DataAnchoring::anchor_of(digest(1), by(BOB)).unwrap().source,
			AnchorSource::Account
		);
	});
}

#[test]
fn unknown_and_suspended_devices_cannot_anchor() {
	run(|| {
		let (device, key) = new_device(KeyKind::Ed25519, 1);
		let d = digest(1);
		let signature = sign(&key, device, anchor_action(d, None, 0));
		assert_noop!(
			DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(GATEWAY),
				[99; 32],
				d,
				None,
				0,
				signature.clone()
			),
			DispatchError::Other("UnknownDevice")
		);
		MockDevices::suspend(device);
		assert_noop!(
			DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(GATEWAY),
				device,
				d,
				None,
				0,
				signature
			),
			DispatchError::Other("DeviceNotActive")
		);
	});
}

fn scan_action(
	tag: DeviceId,
	reader: DeviceId,
	d: H256,
	subject: Option<SubjectId>,
) -> DeviceAction {
	DeviceAction::Scan {
		tag,
		reader,
		digest: d,
		subject,
		kind: kind::SCANNED,
	}
}

#[test]
fn a_scan_signed_by_tag_and_reader_names_both() {
	run(|| {
		for (n, kind_of_key) in [
			KeyKind::Sr25519,
			KeyKind::Ed25519,
			KeyKind::Ecdsa,
			KeyKind::P256,
		]
		.into_iter()
		.enumerate()
		{
			let seed = 2 * n as u8 + 1;
			let (tag, tag_key) = new_device(kind_of_key, seed);
			// Readers of another key type than their tags.
			let (reader, reader_key) = new_device(KeyKind::P256, seed + 1);
			let d = digest(n as u32);
			let action = scan_action(tag, reader, d, Some(item(5)));
			let tag_signature = sign(&tag_key, tag, action.clone());
			let reader_signature = sign(&reader_key, reader, action);
			assert_ok!(DataAnchoring::anchor_scan(
				RuntimeOrigin::signed(GATEWAY),
				tag,
				reader,
				d,
				Some(item(5)),
				kind::SCANNED,
				tag_signature,
				reader_signature
			));
			assert_eq!(
				Anchors::<Test>::get(d, Attester::Scan { tag, reader })
					.unwrap()
					.source,
				AnchorSource::Scan { tag, reader }
			);
			assert_eq!(
				(MockDevices::nonce(tag), MockDevices::nonce(reader)),
				(1, 1)
			);
		}
	});
}

#[test]
fn a_scan_needs_two_devices_and_both_their_signatures() {
	run(|| {
		let (tag, tag_key) = new_device(KeyKind::Sr25519, 1);
		let (reader, reader_key) = new_device(KeyKind::Sr25519, 2);
		let d = digest(1);
		let action = scan_action(tag, reader, d, None);
		let tag_signature = sign(&tag_key, tag, action.clone());
		let reader_signature = sign(&reader_key, reader, action);
		let scan = |tag_device, reader_device, tag_signature, reader_signature| {
			DataAnchoring::anchor_scan(
				RuntimeOrigin::signed(GATEWAY),
				tag_device,
				reader_device,
				d,
				None,
				kind::SCANNED,
				tag_signature,
				reader_signature,
			)
		};
		assert_noop!(
			scan(tag, tag, tag_signature.clone(), tag_signature.clone()),
			Error::<Test>::SameDevice
		);
		// The reader signed something else: nothing is stored, and the tag's nonce is kept.
		let other = sign(
			&reader_key,
			reader,
			scan_action(tag, reader, digest(2), None),
		);
		assert_noop!(
			scan(tag, reader, tag_signature.clone(), other),
			DispatchError::Other("BadSignature")
		);
		assert_eq!(MockDevices::nonce(tag), 0);
		// The tag's signature presented as the reader's.
		assert_noop!(
			scan(tag, reader, tag_signature.clone(), tag_signature.clone()),
			DispatchError::Other("BadSignature")
		);
		// Roles swapped: the signed action names the tag and the reader.
		assert_noop!(
			scan(reader, tag, reader_signature.clone(), tag_signature.clone()),
			DispatchError::Other("BadSignature")
		);
		MockDevices::suspend(reader);
		assert_noop!(
			scan(tag, reader, tag_signature, reader_signature),
			DispatchError::Other("DeviceNotActive")
		);
	});
}

#[test]
fn a_products_trace_reads_back_in_order_across_every_kind_of_anchor() {
	run(|| {
		let product = item(7);
		assert_ok!(anchor(ALICE, digest(1), Some(product), kind::MANUFACTURED));
		let (device, key) = new_device(KeyKind::Ed25519, 1);
		let signature = sign(
			&key,
			device,
			anchor_action(digest(2), Some(product), kind::SHIPPED),
		);
		assert_ok!(DataAnchoring::anchor_from_device(
			RuntimeOrigin::signed(GATEWAY),
			device,
			digest(2),
			Some(product),
			kind::SHIPPED,
			signature
		));
		let (tag, tag_key) = new_device(KeyKind::P256, 2);
		let (reader, reader_key) = new_device(KeyKind::Sr25519, 3);
		let action = scan_action(tag, reader, digest(3), Some(product));
		assert_ok!(DataAnchoring::anchor_scan(
			RuntimeOrigin::signed(GATEWAY),
			tag,
			reader,
			digest(3),
			Some(product),
			kind::SCANNED,
			sign(&tag_key, tag, action.clone()),
			sign(&reader_key, reader, action)
		));
		System::set_block_number(2);
		assert_ok!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(BOB),
			digest(4),
			3,
			Some(product),
			kind::SOLD,
			metadata(b"")
		));
		// Another item's anchors do not mix in.
		assert_ok!(anchor(ALICE, digest(5), Some(item(8)), kind::SOLD));

		let trace = DataAnchoring::trace(product, 0, 100);
		let kinds: Vec<u16> = trace.iter().map(|e| e.anchor.kind).collect();
		assert_eq!(
			kinds,
			[kind::MANUFACTURED, kind::SHIPPED, kind::SCANNED, kind::SOLD]
		);
		let indices: Vec<u32> = trace.iter().map(|e| e.index).collect();
		assert_eq!(indices, [0, 1, 2, 3]);
		assert_eq!(trace[3].anchor.block, 2);
		assert_eq!(trace[3].anchor.owner, BOB);
		assert_eq!(DataAnchoring::trace_length(product), 4);
		// Pages.
		let page: Vec<u32> = DataAnchoring::trace(product, 1, 2)
			.iter()
			.map(|e| e.index)
			.collect();
		assert_eq!(page, [1, 2]);
		assert!(DataAnchoring::trace(product, 4, 10).is_empty());
		assert!(DataAnchoring::trace(product, u32::MAX, u32::MAX).is_empty());
		assert!(DataAnchoring::trace(item(99), 0, 10).is_empty());
	});
}

#[test]
fn a_trace_page_is_bounded() {
	run(|| {
		for n in 0..(MAX_PAGE + 5) {
			assert_ok!(anchor(ALICE, digest(n), Some(item(1)), 0));
		}
		assert_eq!(
			DataAnchoring::trace(item(1), 0, u32::MAX).len() as u32,
			MAX_PAGE
		);
		assert_eq!(DataAnchoring::trace(item(1), MAX_PAGE, u32::MAX).len(), 5);
	});
}

#[test]
fn a_full_trace_refuses_more_entries() {
	run(|| {
		TraceCounters::<Test>::insert(
			item(1),
			TraceCounter {
				next: u32::MAX,
				live: 0,
			},
		);
		assert_noop!(
			anchor(ALICE, digest(1), Some(item(1)), 0),
			Error::<Test>::TraceFull
		);
	});
}

#[test]
fn the_owner_releases_an_anchor_after_its_retention() {
	run(|| {
		let before = Balances::balance(&ALICE);
		assert_ok!(anchor(ALICE, digest(1), Some(item(1)), kind::MANUFACTURED));
		assert_ok!(anchor(ALICE, digest(2), Some(item(1)), kind::SOLD));
		let deposit = Anchors::<Test>::get(digest(1), by(ALICE)).unwrap().deposit;
		let release =
			|who, d| DataAnchoring::release_anchor(RuntimeOrigin::signed(who), d, by(ALICE));

		assert_noop!(release(ALICE, digest(9)), Error::<Test>::NotAnchored);
		assert_noop!(release(BOB, digest(1)), Error::<Test>::NotOwner);
		assert_noop!(
			DataAnchoring::release_anchor(RuntimeOrigin::signed(BOB), digest(1), by(BOB)),
			Error::<Test>::NotAnchored
		);
		System::set_block_number(RETENTION);
		assert_noop!(release(ALICE, digest(1)), Error::<Test>::RetentionNotOver);

		System::set_block_number(1 + RETENTION);
		assert_ok!(release(ALICE, digest(1)));
		assert_eq!(
			last_event(),
			Event::AnchorReleased {
				digest: digest(1),
				attester: by(ALICE),
				owner: ALICE,
				released: deposit,
			}
		);
		assert!(DataAnchoring::anchor_of(digest(1), by(ALICE)).is_none());
		assert_eq!(
			held(ALICE),
			Anchors::<Test>::get(digest(2), by(ALICE)).unwrap().deposit + counter_deposit(item(1))
		);
		// The trace keeps its order and a gap where the released anchor was.
		let trace = DataAnchoring::trace(item(1), 0, 10);
		assert_eq!(trace.len(), 1);
		assert_eq!(trace[0].index, 1);
		assert_eq!(
			TraceCounters::<Test>::get(item(1)),
			TraceCounter { next: 2, live: 1 }
		);
		// The digest may be anchored again, at the end of the trace.
		assert_ok!(anchor(ALICE, digest(1), Some(item(1)), kind::RETURNED));
		assert_eq!(
			Anchors::<Test>::get(digest(1), by(ALICE))
				.unwrap()
				.trace_index,
			Some(2)
		);
		System::set_block_number(2 + 2 * RETENTION);
		assert_ok!(release(ALICE, digest(1)));
		assert_ok!(release(ALICE, digest(2)));
		// Every anchor is released; the trace counter stays, with its deposit.
		let counter = counter_deposit(item(1));
		assert_eq!(held(ALICE), counter);
		assert_eq!(Balances::balance(&ALICE), before - counter);
	});
}

#[test]
fn scan_weights_add_one_verification_of_each_key_type() {
	let sr = DeviceSignature::Sr25519([0; 64]);
	let p = DeviceSignature::P256([0; 64]);
	let weights = <Test as Config>::WeightInfo::anchor_scan_sr25519();
	assert_eq!(DataAnchoring::scan_weight(&sr, &sr), weights);
	let mixed = DataAnchoring::scan_weight(&sr, &p);
	assert!(mixed.ref_time() > weights.ref_time());
	assert!(mixed.ref_time() < <Test as Config>::WeightInfo::anchor_scan_p256().ref_time());
	assert!(
		DataAnchoring::device_anchor_weight(&p).ref_time()
			> DataAnchoring::device_anchor_weight(&sr).ref_time()
	);
}

#[test]
fn try_state_catches_a_broken_trace() {
	run(|| {
		assert_ok!(anchor(ALICE, digest(1), Some(item(1)), 0));
		TraceCounters::<Test>::mutate(item(1), |c| c.live = 2);
		assert!(DataAnchoring::do_try_state().is_err());
		TraceCounters::<Test>::mutate(item(1), |c| c.live = 1);
		Traces::<Test>::insert(item(1), 0, (digest(2), by(ALICE)));
		assert!(DataAnchoring::do_try_state().is_err());
		Traces::<Test>::insert(item(1), 0, (digest(1), by(BOB)));
		assert!(DataAnchoring::do_try_state().is_err());
		Traces::<Test>::insert(item(1), 0, (digest(1), by(ALICE)));
	});
}

#[test]
fn try_state_catches_a_deposit_that_does_not_match() {
	run(|| {
		assert_ok!(anchor(ALICE, digest(1), None, 0));
		Anchors::<Test>::mutate(digest(1), by(ALICE), |a| a.as_mut().unwrap().deposit += 1);
		assert!(DataAnchoring::do_try_state().is_err());
		Anchors::<Test>::mutate(digest(1), by(ALICE), |a| a.as_mut().unwrap().deposit -= 1);
		// An anchor stored under another attester than its record names.
		let record = Anchors::<Test>::take(digest(1), by(ALICE)).unwrap();
		Anchors::<Test>::insert(digest(1), by(BOB), record.clone());
		assert!(DataAnchoring::do_try_state().is_err());
		Anchors::<Test>::remove(digest(1), by(BOB));
		Anchors::<Test>::insert(digest(1), by(ALICE), record);
	});
}

#[test]
fn a_subjects_trace_counter_is_paid_for_once_by_its_first_anchor() {
	run(|| {
		assert_ok!(anchor(ALICE, digest(1), None, 0));
		assert!(TraceCounterDeposits::<Test>::get(item(1)).is_none());
		assert_ok!(anchor(BOB, digest(2), Some(item(1)), 0));
		let (payer, deposit) = TraceCounterDeposits::<Test>::get(item(1)).unwrap();
		assert_eq!(payer, BOB);
		let bob_record = Anchors::<Test>::get(digest(2), by(BOB)).unwrap().deposit;
		assert_eq!(held(BOB), bob_record + deposit);
		// Later anchors of the subject pay only for themselves.
		assert_ok!(anchor(ALICE, digest(3), Some(item(1)), 0));
		assert_eq!(
			held(ALICE),
			Anchors::<Test>::get(digest(1), by(ALICE)).unwrap().deposit
				+ Anchors::<Test>::get(digest(3), by(ALICE)).unwrap().deposit
		);
		// A counter nobody can pay for is not created.
		assert_noop!(
			anchor(POOR, digest(4), Some(item(2)), 0),
			TokenError::FundsUnavailable
		);
		assert!(!TraceCounters::<Test>::contains_key(item(2)));
	});
}

#[test]
fn a_genesis_population_is_anchors_on_traces_with_their_deposits_held() {
	use frame_support::traits::BuildGenesisConfig;
	const OWNER: AccountId = 77;
	new_test_ext().execute_with(|| {
		crate::GenesisConfig::<Test> {
			population: Some((OWNER, 250, 10)),
		}
		.build();
		assert_eq!(Anchors::<Test>::iter().count(), 250);
		assert_eq!(TraceCounters::<Test>::iter().count(), 25);
		let (digest, subject) = crate::population_anchor(249, 10);
		let label = [&b"viot/population/subject"[..], &24u32.to_le_bytes()].concat();
		assert_eq!(subject, blake2_256(&label));
		let trace = DataAnchoring::trace(subject, 0, 100);
		assert_eq!(trace.len(), 10);
		assert_eq!((trace[9].index, trace[9].anchor.digest), (9, digest));
		let anchor = DataAnchoring::anchor_of(digest, Attester::Account(OWNER)).unwrap();
		assert_eq!((anchor.owner, anchor.trace_index), (OWNER, Some(9)));
		assert!(Balances::balance_on_hold(&HoldReason::AnchorDeposit.into(), &OWNER) > 0);
		assert_ok!(DataAnchoring::do_try_state());
	});
}
