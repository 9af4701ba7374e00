//! A bounded fuzz harness on the mock runtime: arbitrary sequences of every call with arbitrary
//! arguments and origins (valid, stale and forged device signatures, invalid keys, colliding ids,
//! keys and attributes), checking after every step that nothing panicked, that a failed call
//! changed no state, and that the pallet's invariants (`do_try_state`) hold.
//!
//! Inputs come from `arbitrary` over a deterministic byte stream per case, so a failing case is
//! reproduced by its number. `VIOT_FUZZ_CASES` sets how many cases run (default 300).

use crate::{mock::*, *};
use codec::Decode;
use frame_support::{traits::UnfilteredDispatchable, BoundedVec};
use viot_primitives::fuzzing::{
	arbitrary::{Result, Unstructured},
	case_input, cases, run_cases, run_steps,
};

/// Steps per case at most.
const MAX_STEPS: usize = 40;

const ACCOUNTS: [AccountId; 7] = [MAKER, OTHER_MAKER, OWNER, BUYER, GATEWAY, STRANGER, 99];

fn account(u: &mut Unstructured) -> Result<AccountId> {
	u.choose(&ACCOUNTS).copied()
}

/// Origins, weighted towards the accounts that hold roles: manufacturers and the owner.
fn origin(u: &mut Unstructured) -> Result<RuntimeOrigin> {
	Ok(match u.int_in_range(0u8..=9)? {
		0 => RuntimeOrigin::none(),
		1 => RuntimeOrigin::root(),
		2..=4 => RuntimeOrigin::signed(MAKER),
		5 | 6 => RuntimeOrigin::signed(OWNER),
		7 => RuntimeOrigin::signed(OTHER_MAKER),
		8 => RuntimeOrigin::signed(GATEWAY),
		_ => RuntimeOrigin::signed(account(u)?),
	})
}

fn device(u: &mut Unstructured) -> Result<DeviceId> {
	Ok([u.int_in_range(1u8..=4)?; 32])
}

fn bounded<S: Get<u32>>(u: &mut Unstructured, max: usize) -> Result<BoundedVec<u8, S>> {
	let len = u.int_in_range(0..=max)?;
	Ok(BoundedVec::truncate_from(u.bytes(len)?.to_vec()))
}

/// A key from the pool, or arbitrary bytes that may not be a point of their curve.
fn public_key(u: &mut Unstructured, keys: &[DeviceKey]) -> Result<DevicePublicKey> {
	if u.ratio(1u8, 5u8)? {
		let len = u.int_in_range(0..=40)?;
		if let Ok(key) = DevicePublicKey::decode(&mut u.bytes(len)?) {
			return Ok(key);
		}
	}
	Ok(u.choose(keys)?.public())
}

/// A signature over `action` for `device`: by `signer` at the device's nonce, at another nonce,
/// or arbitrary bytes.
fn signature(
	u: &mut Unstructured,
	signer: &DeviceKey,
	device: DeviceId,
	action: DeviceAction,
) -> Result<DeviceSignature> {
	let nonce = Devices::<Test>::get(device).map_or(0, |record| record.nonce);
	Ok(match u.int_in_range(0u8..=3)? {
		0 | 1 => signer.sign_action(device, nonce, action),
		2 => signer.sign_action(device, nonce.wrapping_add(u.int_in_range(1..=2)?), action),
		_ => {
			let len = u.int_in_range(0..=70)?;
			DeviceSignature::decode(&mut u.bytes(len)?).unwrap_or(DeviceSignature::Sr25519([0; 64]))
		}
	})
}

/// The pool key that is `device`'s current key, or any pool key.
fn signer<'k>(
	u: &mut Unstructured,
	keys: &'k [DeviceKey],
	device: DeviceId,
) -> Result<&'k DeviceKey> {
	let current = Devices::<Test>::get(device)
		.and_then(|record| keys.iter().find(|key| key.public() == record.key));
	match current {
		Some(key) if u.ratio(3u8, 4u8)? => Ok(key),
		_ => u.choose(keys),
	}
}

fn call(u: &mut Unstructured, keys: &[DeviceKey]) -> Result<Call<Test>> {
	let device = device(u)?;
	// Registrations are drawn more often: most other calls need a registered device.
	Ok(match u.int_in_range(0u8..=14)? {
		0 => Call::add_manufacturer {
			manufacturer: account(u)?,
			name: bounded(u, 40)?,
		},
		1 => Call::remove_manufacturer {
			manufacturer: account(u)?,
		},
		2 | 12 | 13 | 14 => Call::register_device {
			device,
			key: public_key(u, keys)?,
			owner: *u.choose(&[OWNER, OWNER, BUYER, MAKER])?,
			metadata: bounded(u, 80)?,
		},
		3 => Call::transfer_device {
			device,
			new_owner: account(u)?,
		},
		4 => {
			let new_key = public_key(u, keys)?;
			let prover = u.choose(keys)?;
			let action = DeviceAction::RotateKey {
				new_key: new_key.clone(),
			};
			let proof = signature(u, prover, device, action.clone())?;
			if u.arbitrary()? {
				// The owner's path, with the current key's consent (right or wrong).
				let current = signer(u, keys, device)?;
				Call::rotate_key {
					device,
					new_key,
					proof,
					current_key_signature: signature(u, current, device, action)?,
				}
			} else {
				// The issuer's path, refused to anyone else.
				Call::replace_key {
					device,
					new_key,
					proof,
				}
			}
		}
		5 => Call::set_attribute {
			device,
			key: BoundedVec::truncate_from(vec![u.int_in_range(0u8..=4)?]),
			value: bounded(u, 40)?,
		},
		6 => Call::clear_attribute {
			device,
			key: BoundedVec::truncate_from(vec![u.int_in_range(0u8..=4)?]),
		},
		7 => Call::suspend_device { device },
		8 => Call::resume_device { device },
		9 => Call::revoke_device { device },
		10 => Call::remove_device { device },
		11 => {
			let signer = signer(u, keys, device)?;
			Call::authenticate {
				device,
				signature: signature(u, signer, device, DeviceAction::Authenticate)?,
			}
		}
		_ => unreachable!("drawn from 0..=14"),
	})
}

/// Runs one case and returns how many calls succeeded and failed.
fn run_case(case: u64) -> (u64, u64) {
	let input = case_input(case);
	let mut u = Unstructured::new(&input);
	let keys: Vec<DeviceKey> = (1..=2).flat_map(DeviceKey::all).collect();
	new_test_ext().execute_with(|| {
		for maker in [MAKER, OTHER_MAKER] {
			DeviceIdentity::add_manufacturer(RuntimeOrigin::root(), maker, Default::default())
				.expect("a new manufacturer");
		}
		run_steps(
			case,
			&mut u,
			MAX_STEPS,
			|u| Ok(Some((origin(u)?, call(u, &keys)?))),
			|(origin, call)| call.clone().dispatch_bypass_filter(origin.clone()).is_ok(),
			DeviceIdentity::do_try_state,
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
		for case in 0..cases() * 10 {
			let input = case_input(case);
			let bytes = &input[1..1 + (input[0] as usize % 200)];
			let _ = Call::<Test>::decode(&mut &bytes[..]);
			let _ = DevicePayload::decode(&mut &bytes[..]);
			if let (Ok(key), Ok(signature)) = (
				DevicePublicKey::decode(&mut &bytes[..]),
				DeviceSignature::decode(&mut bytes.get(1..).unwrap_or_default()),
			) {
				let _ = key.is_valid();
				let _ = key.verify(bytes, &signature);
			}
		}
	});
}
