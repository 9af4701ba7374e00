//! A bounded fuzz harness on the mock runtime: arbitrary sequences of every call with arbitrary
//! arguments and origins (valid and forged device signatures, colliding digests and subjects,
//! oversized metadata, time passing), checking after every step that nothing panicked, that a
//! failed call changed no state, and that the pallet's invariants (`do_try_state`) hold; and
//! arbitrary bytes decoded as every SCALE type users submit to the pallet.
//!
//! Inputs come from `arbitrary` over a deterministic byte stream per case, so a failing case is
//! reproduced by its number. `VIOT_FUZZ_CASES` sets how many cases run (default 300, a few
//! seconds); longer runs are documented in docs/RELIABILITY.md.

use crate::{mock::*, *};
use codec::Decode;
use frame_support::traits::UnfilteredDispatchable;
use sp_io::hashing::blake2_256;
use sp_runtime::traits::Dispatchable;
use viot_primitives::fuzzing::{
	arbitrary::{Result, Unstructured},
	case_input, cases, run_cases, run_steps,
};
use viot_primitives::{anchor::merkle_proof, keys::DeviceKeyPair};

/// Steps per case at most.
const MAX_STEPS: usize = 40;

/// The devices every case registers: two of each key type.
fn devices() -> Vec<(DeviceId, DeviceKeyPair)> {
	[
		KeyKind::Sr25519,
		KeyKind::Ed25519,
		KeyKind::Ecdsa,
		KeyKind::P256,
	]
	.into_iter()
	.enumerate()
	.flat_map(|(n, kind)| {
		[
			new_device(kind, 2 * n as u8 + 1),
			new_device(kind, 2 * n as u8 + 2),
		]
	})
	.collect()
}

/// A digest or subject from a small pool, so that collisions happen often.
fn pooled(u: &mut Unstructured) -> Result<[u8; 32]> {
	Ok([u.int_in_range(0u8..=11)?; 32])
}

fn origin(u: &mut Unstructured) -> Result<RuntimeOrigin> {
	Ok(match u.int_in_range(0u8..=9)? {
		0 => RuntimeOrigin::none(),
		1 => RuntimeOrigin::root(),
		2 => RuntimeOrigin::signed(POOR),
		3 => RuntimeOrigin::signed(99), // no account at all
		4 | 5 => RuntimeOrigin::signed(BOB),
		6 | 7 => RuntimeOrigin::signed(GATEWAY),
		_ => RuntimeOrigin::signed(ALICE),
	})
}

fn subject(u: &mut Unstructured) -> Result<Option<SubjectId>> {
	Ok(if u.arbitrary()? {
		Some(pooled(u)?)
	} else {
		None
	})
}

/// A signature: by the device's key over the right payload, over a wrong one, or random.
fn signature(
	u: &mut Unstructured,
	key: &DeviceKeyPair,
	device: DeviceId,
	action: DeviceAction,
) -> Result<DeviceSignature> {
	Ok(match u.int_in_range(0u8..=3)? {
		0 | 1 => sign(key, device, action),
		2 => {
			let mut payload = MockDevices::payload(&device, action).expect("registered");
			payload.nonce = payload.nonce.wrapping_add(u.int_in_range(1..=3)?);
			key.sign_payload(&payload)
		}
		_ => {
			let len = u.int_in_range(0..=70)?;
			DeviceSignature::decode(&mut u.bytes(len)?).unwrap_or(DeviceSignature::Ed25519([0; 64]))
		}
	})
}

/// One arbitrary call of the pallet.
fn call(u: &mut Unstructured, devices: &[(DeviceId, DeviceKeyPair)]) -> Result<Call<Test>> {
	let digest = H256(pooled(u)?);
	let kind = u.arbitrary()?;
	let metadata_len = u.int_in_range(0..=80)?;
	let metadata = AnchorMetadata::<Test>::truncate_from(u.bytes(metadata_len)?.to_vec());
	Ok(match u.int_in_range(0u8..=4)? {
		0 => Call::anchor {
			digest,
			subject: subject(u)?,
			kind,
			metadata,
		},
		1 => Call::anchor_batch {
			root: digest,
			leaf_count: u.int_in_range(0..=3)?,
			subject: subject(u)?,
			kind,
			metadata,
		},
		2 => {
			let (device, key) = u.choose(devices)?;
			let subject = subject(u)?;
			let action = DeviceAction::Anchor {
				digest,
				subject,
				kind,
			};
			Call::anchor_from_device {
				device: *device,
				digest,
				subject,
				kind,
				signature: signature(u, key, *device, action)?,
			}
		}
		3 => {
			let (tag, tag_key) = u.choose(devices)?;
			let (reader, reader_key) = u.choose(devices)?;
			let subject = subject(u)?;
			let action = DeviceAction::Scan {
				tag: *tag,
				reader: *reader,
				digest,
				subject,
				kind,
			};
			Call::anchor_scan {
				tag_device: *tag,
				reader_device: *reader,
				digest,
				subject,
				kind,
				tag_signature: signature(u, tag_key, *tag, action.clone())?,
				reader_signature: signature(u, reader_key, *reader, action)?,
			}
		}
		_ => {
			let (device, _) = u.choose(devices)?;
			let attester = match u.int_in_range(0u8..=2)? {
				0 => Attester::Account(ALICE),
				1 => Attester::Account(BOB),
				_ => Attester::Device(*device),
			};
			Call::release_anchor { digest, attester }
		}
	})
}

/// Runs one case and returns how many calls succeeded and failed.
fn run_case(case: u64) -> (u64, u64) {
	let input = case_input(case);
	let mut u = Unstructured::new(&input);
	new_test_ext().execute_with(|| {
		let devices = devices();
		run_steps(
			case,
			&mut u,
			MAX_STEPS,
			|u| {
				// Now and then let blocks pass, so that retentions end.
				if u.ratio(1u8, 6u8)? {
					let now = System::block_number();
					System::set_block_number(now + u.int_in_range(1..=2 * RETENTION)?);
					return Ok(None);
				}
				Ok(Some((origin(u)?, call(u, &devices)?)))
			},
			|(origin, call)| call.clone().dispatch_bypass_filter(origin.clone()).is_ok(),
			DataAnchoring::do_try_state,
		)
	})
}

#[test]
fn arbitrary_call_sequences_keep_the_invariants() {
	run_cases(run_case);
}

#[test]
fn arbitrary_bytes_never_panic_as_user_input() {
	new_test_ext().execute_with(|| {
		let leaves: Vec<H256> = (0..7u8).map(H256::repeat_byte).collect();
		let root = viot_primitives::anchor::merkle_root(&leaves);
		assert!(DataAnchoring::anchor_batch(
			RuntimeOrigin::signed(ALICE),
			root,
			7,
			None,
			0,
			Default::default()
		)
		.is_ok());
		let valid = merkle_proof(&leaves, 3).unwrap();
		for case in 0..cases() * 10 {
			let input = case_input(case);
			let len = (input[0] as usize) % 200;
			let bytes = &input[1..1 + len];
			// Every type a user hands the runtime: calls, device payloads and signatures,
			// inclusion proofs.
			let _ = RuntimeCall::decode(&mut &bytes[..]);
			let _ = Call::<Test>::decode(&mut &bytes[..]);
			let _ = viot_primitives::device::DevicePayload::decode(&mut &bytes[..]);
			let _ = DeviceSignature::decode(&mut &bytes[..]);
			if let Ok(proof) = InclusionProof::decode(&mut &bytes[..]) {
				let _ = DataAnchoring::verify_inclusion(H256(blake2_256(bytes)), proof, ALICE);
			}
			// A valid proof with arbitrary changes is refused, never accepted for another leaf.
			let mut proof = valid.clone();
			proof.leaf_index = u32::from(input[1]) % 9;
			let sibling = input[2] as usize % proof.siblings.len();
			proof.siblings[sibling].0[input[3] as usize % 32] ^= input[4] | 1;
			assert!(DataAnchoring::verify_inclusion(leaves[3], proof, ALICE).is_err());
			let _ = RuntimeCall::decode(&mut &bytes[..]).map(|call| {
				// Decoded calls dispatched from a plain account never panic either.
				let _ = call.dispatch(RuntimeOrigin::signed(BOB));
			});
		}
		DataAnchoring::do_try_state().unwrap();
	});
}
