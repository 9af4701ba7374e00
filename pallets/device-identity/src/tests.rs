//! Tests of every call, its errors and the invariants.

use crate::{
	mock::*, Attributes, BatchDevice, Batches, DeviceOfKey, Devices, DevicesByOwner, Error, Event,
	HoldReason, Manufacturers, Tombstones,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold, Mutate},
	BoundedVec,
};
use sp_runtime::{traits::Get, DispatchError};
use viot_primitives::{
	anchor::{merkle_proof, merkle_range_proof, merkle_root},
	device::{
		BatchLeaf, DeviceAction, DeviceCheckError, DeviceId, DevicePayload, DevicePublicKey,
		DeviceSignature, DeviceStatus, VerifyDevice,
	},
};

const DEVICE: DeviceId = [7; 32];
const SECOND: DeviceId = [8; 32];

fn bounded<S: Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().unwrap()
}

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(
		&RuntimeHoldReason::DeviceIdentity(HoldReason::DeviceDeposit),
		&who,
	)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn add_maker(who: AccountId) {
	assert_ok!(DeviceIdentity::add_manufacturer(
		RuntimeOrigin::root(),
		who,
		bounded(b"Acme Chips")
	));
}

/// MAKER registers DEVICE with `key`, owned by OWNER.
fn register(key: &DeviceKey) {
	add_maker(MAKER);
	assert_ok!(DeviceIdentity::register_device(
		origin(MAKER),
		DEVICE,
		key.public(),
		OWNER,
		bounded(b"tag v2")
	));
}

/// A y-coordinate with no point on edwards25519.
fn not_on_curve() -> [u8; 32] {
	let mut bytes = [0u8; 32];
	bytes[0] = 2;
	bytes
}

fn check_invariants() {
	DeviceIdentity::do_try_state().expect("invariants hold");
}

#[test]
fn admin_adds_and_removes_manufacturers() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			DeviceIdentity::add_manufacturer(origin(STRANGER), MAKER, bounded(b"x")),
			DispatchError::BadOrigin
		);
		add_maker(MAKER);
		assert_eq!(
			last_event(),
			Event::ManufacturerAdded {
				manufacturer: MAKER,
				name: bounded(b"Acme Chips")
			}
			.into()
		);
		assert_eq!(Manufacturers::<Test>::get(MAKER).unwrap().since, 1);
		assert_noop!(
			DeviceIdentity::add_manufacturer(RuntimeOrigin::root(), MAKER, bounded(b"again")),
			Error::<Test>::AlreadyManufacturer
		);
		assert_noop!(
			DeviceIdentity::remove_manufacturer(origin(MAKER), MAKER),
			DispatchError::BadOrigin
		);
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		assert_eq!(
			last_event(),
			Event::ManufacturerRemoved {
				manufacturer: MAKER
			}
			.into()
		);
		assert_noop!(
			DeviceIdentity::remove_manufacturer(RuntimeOrigin::root(), MAKER),
			Error::<Test>::NotManufacturer
		);
	});
}

#[test]
fn manufacturer_registers_devices_of_every_key_type_and_pays_a_deposit() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		for (index, key) in DeviceKey::all(1).iter().enumerate() {
			let device = [index as u8 + 1; 32];
			assert_ok!(DeviceIdentity::register_device(
				origin(MAKER),
				device,
				key.public(),
				OWNER,
				bounded(b"sensor")
			));
			let record = Devices::<Test>::get(device).unwrap();
			assert_eq!(record.owner, OWNER);
			assert_eq!(record.issuer, MAKER);
			assert_eq!(record.status, DeviceStatus::Active);
			assert_eq!(record.nonce, 0);
			assert!(
				record.deposit > DepositBase::get(),
				"deposit grows with the stored bytes"
			);
			assert_eq!(
				last_event(),
				Event::DeviceRegistered {
					device,
					issuer: MAKER,
					owner: OWNER,
					key: key.public(),
					deposit: record.deposit
				}
				.into()
			);
			assert_eq!(DeviceOfKey::<Test>::get(key.public()), Some(device));
			assert!(DevicesByOwner::<Test>::contains_key(OWNER, device));
		}
		let total: Balance = Devices::<Test>::iter_values().map(|d| d.deposit).sum();
		assert_eq!(held(MAKER), total);
		assert_eq!(Balances::balance(&MAKER), INITIAL - total);
		check_invariants();
	});
}

#[test]
fn larger_metadata_costs_a_larger_deposit() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let small = DeviceKey::sr25519(1);
		let large = DeviceKey::sr25519(2);
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			DEVICE,
			small.public(),
			OWNER,
			bounded(b"")
		));
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			SECOND,
			large.public(),
			OWNER,
			bounded(&[0u8; 40])
		));
		let difference = Devices::<Test>::get(SECOND).unwrap().deposit
			- Devices::<Test>::get(DEVICE).unwrap().deposit;
		// 40 more bytes at 1 per byte (both lengths fit a one-byte compact prefix).
		assert_eq!(difference, 40);
	});
}

#[test]
fn registration_errors() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::sr25519(1);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				DEVICE,
				key.public(),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::NotManufacturer
		);
		register(&key);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				DEVICE,
				DeviceKey::sr25519(2).public(),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::DeviceAlreadyExists
		);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				SECOND,
				key.public(),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::KeyInUse
		);
		for invalid in [
			DevicePublicKey::P256([0xff; 33]),
			DevicePublicKey::Ecdsa([0x05; 33]),
			DevicePublicKey::Ed25519(not_on_curve()),
			DevicePublicKey::Sr25519([0xff; 32]),
			// Keys anyone can sign for: the sr25519 identity and a small-order Ed25519 point
			// (the order-2 point, y = -1).
			DevicePublicKey::Sr25519([0; 32]),
			DevicePublicKey::Ed25519({
				let mut minus_one = [0xff; 32];
				minus_one[0] = 0xec;
				minus_one[31] = 0x7f;
				minus_one
			}),
		] {
			assert_noop!(
				DeviceIdentity::register_device(
					origin(MAKER),
					SECOND,
					invalid,
					OWNER,
					bounded(b"")
				),
				Error::<Test>::InvalidPublicKey
			);
		}
	});
}

#[test]
fn a_poor_manufacturer_cannot_register() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let _ = Balances::set_balance(&MAKER, 1);
		assert!(DeviceIdentity::register_device(
			origin(MAKER),
			DEVICE,
			DeviceKey::sr25519(1).public(),
			OWNER,
			bounded(b"")
		)
		.is_err());
		assert!(Devices::<Test>::get(DEVICE).is_none());
	});
}

#[test]
fn removed_manufacturer_registers_no_more_but_its_devices_stay_valid() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::ed25519(3);
		register(&key);
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				SECOND,
				DeviceKey::ed25519(4).public(),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::NotManufacturer
		);
		let signature = key.sign_action(DEVICE, 0, DeviceAction::Authenticate);
		assert_ok!(DeviceIdentity::authenticate(
			origin(GATEWAY),
			DEVICE,
			signature
		));
	});
}

#[test]
fn owner_transfers_a_device() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		assert_noop!(
			DeviceIdentity::transfer_device(origin(STRANGER), DEVICE, BUYER),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			DeviceIdentity::transfer_device(origin(OWNER), DEVICE, OWNER),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			DeviceIdentity::transfer_device(origin(OWNER), SECOND, BUYER),
			Error::<Test>::UnknownDevice
		);
		assert_ok!(DeviceIdentity::transfer_device(
			origin(OWNER),
			DEVICE,
			BUYER
		));
		assert_eq!(
			last_event(),
			Event::DeviceTransferred {
				device: DEVICE,
				from: OWNER,
				to: BUYER
			}
			.into()
		);
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().owner, BUYER);
		assert!(!DevicesByOwner::<Test>::contains_key(OWNER, DEVICE));
		assert!(DevicesByOwner::<Test>::contains_key(BUYER, DEVICE));
		check_invariants();
	});
}

#[test]
fn every_key_type_authenticates_once_per_nonce() {
	for key in DeviceKey::all(5) {
		new_test_ext().execute_with(|| {
			register(&key);
			let challenge = DeviceIdentity::challenge(DEVICE).unwrap();
			assert_eq!(
				challenge,
				DevicePayload::new(GENESIS, DEVICE, 0, DeviceAction::Authenticate)
			);
			let signature = key.sign(&challenge.to_bytes());
			assert_ok!(DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				signature.clone()
			));
			assert_eq!(
				last_event(),
				Event::DeviceAuthenticated {
					device: DEVICE,
					nonce: 0,
					submitter: GATEWAY
				}
				.into()
			);
			assert_eq!(Devices::<Test>::get(DEVICE).unwrap().nonce, 1);
			// The same signature again is a replay.
			assert_noop!(
				DeviceIdentity::authenticate(origin(GATEWAY), DEVICE, signature),
				Error::<Test>::BadSignature
			);
			// The next challenge works.
			let next = key.sign(&DeviceIdentity::challenge(DEVICE).unwrap().to_bytes());
			assert_ok!(DeviceIdentity::authenticate(origin(GATEWAY), DEVICE, next));
		});
	}
}

#[test]
fn wrong_key_wrong_chain_and_wrong_type_signatures_fail() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::p256(6);
		register(&key);
		let impostor = DeviceKey::p256(9);
		assert_noop!(
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				impostor.sign_action(DEVICE, 0, DeviceAction::Authenticate)
			),
			Error::<Test>::BadSignature
		);
		let other_chain = DevicePayload::new(
			sp_core::H256::repeat_byte(1),
			DEVICE,
			0,
			DeviceAction::Authenticate,
		);
		assert_noop!(
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				key.sign(&other_chain.to_bytes())
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				DeviceSignature::Sr25519([0; 64])
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				SECOND,
				key.sign_action(SECOND, 0, DeviceAction::Authenticate)
			),
			Error::<Test>::UnknownDevice
		);
	});
}

/// The rotation action to `new`.
fn rotation(new: &DeviceKey) -> DeviceAction {
	DeviceAction::RotateKey {
		new_key: new.public(),
	}
}

#[test]
fn key_rotation_needs_a_proof_of_possession_of_the_new_key() {
	new_test_ext().execute_with(|| {
		let old = DeviceKey::sr25519(1);
		let new = DeviceKey::p256(2);
		register(&old);
		let consent = old.sign_action(DEVICE, 0, rotation(&new));
		// Signed by the old key instead of the new one.
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				new.public(),
				consent.clone(),
				consent.clone()
			),
			Error::<Test>::BadSignature
		);
		let proof = new.sign_action(DEVICE, 0, rotation(&new));
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(STRANGER),
				DEVICE,
				new.public(),
				proof.clone(),
				consent.clone()
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				old.public(),
				proof.clone(),
				consent.clone()
			),
			Error::<Test>::SameKey
		);
		assert_ok!(DeviceIdentity::rotate_key(
			origin(OWNER),
			DEVICE,
			new.public(),
			proof.clone(),
			consent
		));
		assert_eq!(
			last_event(),
			Event::KeyRotated {
				device: DEVICE,
				old_key: old.public(),
				new_key: new.public(),
				by_issuer: false
			}
			.into()
		);
		let record = Devices::<Test>::get(DEVICE).unwrap();
		assert_eq!(record.key, new.public());
		assert_eq!(record.nonce, 1);
		assert_eq!(DeviceOfKey::<Test>::get(old.public()), None);
		// The old key no longer authenticates; the new one does.
		assert_noop!(
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				old.sign_action(DEVICE, 1, DeviceAction::Authenticate)
			),
			Error::<Test>::BadSignature
		);
		assert_ok!(DeviceIdentity::authenticate(
			origin(GATEWAY),
			DEVICE,
			new.sign_action(DEVICE, 1, DeviceAction::Authenticate)
		));
		check_invariants();
	});
}

/// The attack: a counterfeiter buys one genuine tag and moves its identity, with the
/// manufacturer's certification, to a key it holds in software.
#[test]
fn the_owner_cannot_rotate_a_key_without_the_chip() {
	new_test_ext().execute_with(|| {
		let chip = DeviceKey::p256(1);
		let software = DeviceKey::sr25519(9);
		register(&chip);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"genuine"),
			bounded(b"yes")
		));
		let proof = software.sign_action(DEVICE, 0, rotation(&software));
		// The issuer's path is the issuer's alone.
		assert_noop!(
			DeviceIdentity::replace_key(origin(OWNER), DEVICE, software.public(), proof.clone()),
			Error::<Test>::NotIssuer
		);
		// Any key but the chip's, as the "current key's" consent.
		for forger in [&software, &DeviceKey::p256(7)] {
			assert_noop!(
				DeviceIdentity::rotate_key(
					origin(OWNER),
					DEVICE,
					software.public(),
					proof.clone(),
					forger.sign_action(DEVICE, 0, rotation(&software))
				),
				Error::<Test>::BadCurrentKeySignature
			);
		}
		// The chip's consent to another rotation, or at another nonce, does not transfer.
		let elsewhere = DeviceKey::ed25519(5);
		for consent in [
			chip.sign_action(DEVICE, 0, rotation(&elsewhere)),
			chip.sign_action(DEVICE, 1, rotation(&software)),
		] {
			assert_noop!(
				DeviceIdentity::rotate_key(
					origin(OWNER),
					DEVICE,
					software.public(),
					proof.clone(),
					consent
				),
				Error::<Test>::BadCurrentKeySignature
			);
		}
		let record = Devices::<Test>::get(DEVICE).unwrap();
		assert_eq!(record.key, chip.public());
		assert_eq!(record.nonce, 0);
	});
}

#[test]
fn the_issuer_replaces_a_lost_chip_and_certified_attributes_stay() {
	new_test_ext().execute_with(|| {
		let lost = DeviceKey::sr25519(1);
		let replacement = DeviceKey::p256(2);
		register(&lost);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"genuine"),
			bounded(b"yes")
		));
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		let proof = replacement.sign_action(DEVICE, 0, rotation(&replacement));
		// Another manufacturer is not the issuer.
		add_maker(OTHER_MAKER);
		assert_noop!(
			DeviceIdentity::replace_key(
				origin(OTHER_MAKER),
				DEVICE,
				replacement.public(),
				proof.clone()
			),
			Error::<Test>::NotIssuer
		);
		assert_ok!(DeviceIdentity::replace_key(
			origin(MAKER),
			DEVICE,
			replacement.public(),
			proof
		));
		assert_eq!(
			last_event(),
			Event::KeyRotated {
				device: DEVICE,
				old_key: lost.public(),
				new_key: replacement.public(),
				by_issuer: true
			}
			.into()
		);
		let record = Devices::<Test>::get(DEVICE).unwrap();
		assert_eq!(record.key, replacement.public());
		assert_eq!(record.status, DeviceStatus::Suspended, "the status is kept");
		assert!(
			Attributes::<Test>::get(DEVICE, bounded::<_>(b"genuine"))
				.unwrap()
				.certified
		);
		// A manufacturer governance dropped replaces no more keys.
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		let next = DeviceKey::ed25519(3);
		assert_noop!(
			DeviceIdentity::replace_key(
				origin(MAKER),
				DEVICE,
				next.public(),
				next.sign_action(DEVICE, 1, rotation(&next))
			),
			Error::<Test>::NotIssuer
		);
		check_invariants();
	});
}

#[test]
fn key_rotation_refuses_keys_in_use_invalid_keys_and_inactive_devices() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::ed25519(1);
		let taken = DeviceKey::ed25519(2);
		register(&key);
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			SECOND,
			taken.public(),
			OWNER,
			bounded(b"")
		));
		let rotate = |new: &DeviceKey| {
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				new.public(),
				new.sign_action(DEVICE, 0, rotation(new)),
				key.sign_action(DEVICE, 0, rotation(new)),
			)
		};
		assert_noop!(rotate(&taken), Error::<Test>::KeyInUse);
		for invalid in [
			DevicePublicKey::P256([0; 33]),
			DevicePublicKey::Sr25519([0; 32]),
			// The Ed25519 identity, a small-order point every signature verifies against.
			DevicePublicKey::Ed25519({
				let mut identity = [0; 32];
				identity[0] = 1;
				identity
			}),
		] {
			assert_noop!(
				DeviceIdentity::rotate_key(
					origin(OWNER),
					DEVICE,
					invalid,
					DeviceSignature::P256([0; 64]),
					DeviceSignature::P256([0; 64])
				),
				Error::<Test>::InvalidPublicKey
			);
		}
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_noop!(
			rotate(&DeviceKey::ed25519(3)),
			Error::<Test>::DeviceNotActive
		);
		assert_ok!(DeviceIdentity::revoke_device(origin(MAKER), DEVICE));
		assert_noop!(rotate(&DeviceKey::ed25519(3)), Error::<Test>::DeviceRevoked);
	});
}

#[test]
fn attributes_set_by_the_issuer_are_certified_and_protected_from_the_owner() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"batch"),
			bounded(b"B-2026-11")
		));
		assert_eq!(
			last_event(),
			Event::AttributeSet {
				device: DEVICE,
				key: bounded(b"batch"),
				value: bounded(b"B-2026-11"),
				certified: true
			}
			.into()
		);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"location"),
			bounded(b"warehouse 4")
		));
		assert!(
			!Attributes::<Test>::get(DEVICE, bounded::<_>(b"location"))
				.unwrap()
				.certified
		);
		assert_noop!(
			DeviceIdentity::set_attribute(
				origin(OWNER),
				DEVICE,
				bounded(b"batch"),
				bounded(b"fake")
			),
			Error::<Test>::AttributeCertified
		);
		assert_noop!(
			DeviceIdentity::clear_attribute(origin(OWNER), DEVICE, bounded(b"batch")),
			Error::<Test>::AttributeCertified
		);
		assert_noop!(
			DeviceIdentity::set_attribute(origin(STRANGER), DEVICE, bounded(b"x"), bounded(b"y")),
			Error::<Test>::NotOwnerOrIssuer
		);
		// The owner overwrites its own attribute; the deposit follows the new value.
		let before = held(OWNER);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"location"),
			bounded(b"dock")
		));
		assert_eq!(
			held(OWNER),
			before - (b"warehouse 4".len() - b"dock".len()) as Balance
		);
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().attribute_count, 2);
		check_invariants();

		assert_ok!(DeviceIdentity::clear_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"location")
		));
		assert_eq!(
			last_event(),
			Event::AttributeCleared {
				device: DEVICE,
				key: bounded(b"location")
			}
			.into()
		);
		assert_eq!(held(OWNER), 0);
		assert_noop!(
			DeviceIdentity::clear_attribute(origin(OWNER), DEVICE, bounded(b"location")),
			Error::<Test>::UnknownAttribute
		);
		assert_ok!(DeviceIdentity::clear_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"batch")
		));
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().attribute_count, 0);
		check_invariants();
	});
}

#[test]
fn attributes_are_bounded() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		for key in [b"a", b"b", b"c"] {
			assert_ok!(DeviceIdentity::set_attribute(
				origin(OWNER),
				DEVICE,
				bounded(key),
				bounded(b"1")
			));
		}
		assert_noop!(
			DeviceIdentity::set_attribute(origin(OWNER), DEVICE, bounded(b"d"), bounded(b"1")),
			Error::<Test>::TooManyAttributes
		);
		// Overwriting an existing one is still allowed.
		assert_ok!(DeviceIdentity::set_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"a"),
			bounded(b"2")
		));
	});
}

#[test]
fn suspend_resume_and_revoke() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::ecdsa(1);
		register(&key);
		let authenticate = |nonce| {
			DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				key.sign_action(DEVICE, nonce, DeviceAction::Authenticate),
			)
		};
		assert_noop!(
			DeviceIdentity::suspend_device(origin(STRANGER), DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_noop!(
			DeviceIdentity::resume_device(origin(OWNER), DEVICE),
			Error::<Test>::DeviceNotSuspended
		);
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceSuspended {
				device: DEVICE,
				by: OWNER,
				by_issuer: false
			}
			.into()
		);
		assert_noop!(
			DeviceIdentity::suspend_device(origin(OWNER), DEVICE),
			Error::<Test>::DeviceNotActive
		);
		assert_noop!(authenticate(0), Error::<Test>::DeviceNotActive);
		assert!(!<DeviceIdentity as VerifyDevice>::is_active(&DEVICE));

		// The issuer lifts the owner's suspension.
		assert_ok!(DeviceIdentity::resume_device(origin(MAKER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceResumed {
				device: DEVICE,
				by: Some(MAKER)
			}
			.into()
		);
		assert_ok!(authenticate(0));
		// So does the admin origin; the owner lifts its own.
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_ok!(DeviceIdentity::resume_device(RuntimeOrigin::root(), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceResumed {
				device: DEVICE,
				by: None
			}
			.into()
		);
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_ok!(DeviceIdentity::resume_device(origin(OWNER), DEVICE));

		// Only the issuer (while a manufacturer) or the admin revokes.
		add_maker(OTHER_MAKER);
		assert_noop!(
			DeviceIdentity::revoke_device(origin(OWNER), DEVICE),
			Error::<Test>::NotIssuerOrAdmin
		);
		assert_noop!(
			DeviceIdentity::revoke_device(origin(OTHER_MAKER), DEVICE),
			Error::<Test>::NotIssuerOrAdmin
		);
		assert_ok!(DeviceIdentity::revoke_device(origin(MAKER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceRevoked {
				device: DEVICE,
				by: Some(MAKER)
			}
			.into()
		);
		assert_noop!(authenticate(1), Error::<Test>::DeviceNotActive);
		assert_noop!(
			DeviceIdentity::resume_device(origin(OWNER), DEVICE),
			Error::<Test>::DeviceRevoked
		);
		assert_noop!(
			DeviceIdentity::resume_device(RuntimeOrigin::root(), DEVICE),
			Error::<Test>::DeviceRevoked
		);
		assert_noop!(
			DeviceIdentity::suspend_device(origin(MAKER), DEVICE),
			Error::<Test>::DeviceRevoked
		);
		assert_noop!(
			DeviceIdentity::revoke_device(RuntimeOrigin::root(), DEVICE),
			Error::<Test>::DeviceRevoked
		);
		assert_noop!(
			DeviceIdentity::set_attribute(origin(OWNER), DEVICE, bounded(b"a"), bounded(b"b")),
			Error::<Test>::DeviceRevoked
		);
	});
}

/// The attack: an owner undoes the suspension its manufacturer imposed (or erases the device to
/// hide it).
#[test]
fn only_the_issuer_or_governance_lifts_an_issuer_suspension() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::sr25519(1);
		register(&key);
		// The issuer's suspension overrides the owner's.
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_ok!(DeviceIdentity::suspend_device(origin(MAKER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceSuspended {
				device: DEVICE,
				by: MAKER,
				by_issuer: true
			}
			.into()
		);
		let status = || Devices::<Test>::get(DEVICE).unwrap().status;
		assert_eq!(status(), DeviceStatus::SuspendedByIssuer);
		assert_eq!(
			DeviceIdentity::device_info(DEVICE).unwrap().status,
			DeviceStatus::SuspendedByIssuer
		);
		assert_noop!(
			DeviceIdentity::suspend_device(origin(MAKER), DEVICE),
			Error::<Test>::DeviceNotActive
		);
		assert_noop!(
			DeviceIdentity::resume_device(origin(OWNER), DEVICE),
			Error::<Test>::SuspendedByIssuer
		);
		assert_noop!(
			DeviceIdentity::remove_device(origin(OWNER), DEVICE),
			Error::<Test>::SuspendedByIssuer
		);
		// Nor can the owner sidestep it with a new key.
		let new = DeviceKey::sr25519(2);
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				new.public(),
				new.sign_action(DEVICE, 0, rotation(&new)),
				key.sign_action(DEVICE, 0, rotation(&new))
			),
			Error::<Test>::DeviceNotActive
		);
		assert_ok!(DeviceIdentity::resume_device(RuntimeOrigin::root(), DEVICE));
		assert_eq!(status(), DeviceStatus::Active);
		assert_ok!(DeviceIdentity::suspend_device(origin(MAKER), DEVICE));
		assert_ok!(DeviceIdentity::resume_device(origin(MAKER), DEVICE));
		assert_eq!(status(), DeviceStatus::Active);
	});
}

/// The attack: a manufacturer governance dropped (a stolen key, say) keeps using the powers of
/// an issuer over the devices it registered.
#[test]
fn a_removed_manufacturer_loses_every_issuer_power() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"genuine"),
			bounded(b"yes")
		));
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		let issuer = origin(MAKER);
		assert_noop!(
			DeviceIdentity::resume_device(issuer.clone(), DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_noop!(
			DeviceIdentity::remove_device(issuer.clone(), DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_noop!(
			DeviceIdentity::revoke_device(issuer.clone(), DEVICE),
			Error::<Test>::NotIssuerOrAdmin
		);
		assert_noop!(
			DeviceIdentity::set_attribute(
				issuer.clone(),
				DEVICE,
				bounded(b"genuine"),
				bounded(b"no")
			),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_noop!(
			DeviceIdentity::clear_attribute(issuer.clone(), DEVICE, bounded(b"genuine")),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_ok!(DeviceIdentity::resume_device(origin(OWNER), DEVICE));
		assert_noop!(
			DeviceIdentity::suspend_device(issuer, DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_eq!(
			Devices::<Test>::get(DEVICE).unwrap().status,
			DeviceStatus::Active
		);
	});
}

#[test]
fn admin_revokes_any_device() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		// A removed manufacturer can no longer revoke; the admin can.
		assert_noop!(
			DeviceIdentity::revoke_device(origin(MAKER), DEVICE),
			Error::<Test>::NotIssuerOrAdmin
		);
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceRevoked {
				device: DEVICE,
				by: None
			}
			.into()
		);
		assert_eq!(
			Devices::<Test>::get(DEVICE).unwrap().status,
			DeviceStatus::Revoked
		);
	});
}

#[test]
fn removing_a_device_releases_every_deposit() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::sr25519(1);
		register(&key);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"a"),
			bounded(b"1")
		));
		assert_ok!(DeviceIdentity::set_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"b"),
			bounded(b"2")
		));
		let record = Devices::<Test>::get(DEVICE).unwrap();
		let before = held(MAKER) + held(OWNER);
		assert_noop!(
			DeviceIdentity::remove_device(origin(STRANGER), DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_ok!(DeviceIdentity::remove_device(origin(OWNER), DEVICE));
		// The tombstone: the id, its next nonce, its depositor, deposit and issuer (base +
		// bytes).
		let kept = DepositBase::get() + 32 + 8 + 8 + 8 + 8;
		assert_eq!(
			last_event(),
			Event::DeviceRemoved {
				device: DEVICE,
				released: before - kept,
				kept
			}
			.into()
		);
		assert!(record.deposit < before);
		let tombstone = Tombstones::<Test>::get(DEVICE).unwrap();
		assert_eq!(
			(tombstone.nonce, tombstone.depositor, tombstone.deposit),
			(0, MAKER, kept)
		);
		assert_eq!(held(MAKER), kept);
		assert_eq!(held(OWNER), 0);
		assert_eq!(Balances::balance(&MAKER), INITIAL - kept);
		assert_eq!(Balances::balance(&OWNER), INITIAL);
		assert!(Devices::<Test>::get(DEVICE).is_none());
		assert_eq!(Attributes::<Test>::iter_prefix(DEVICE).count(), 0);
		assert_eq!(DeviceOfKey::<Test>::get(key.public()), None);
		assert!(!DevicesByOwner::<Test>::contains_key(OWNER, DEVICE));
		assert_noop!(
			DeviceIdentity::remove_device(origin(OWNER), DEVICE),
			Error::<Test>::UnknownDevice
		);
		check_invariants();
	});
}

#[test]
fn verify_device_trait_consumes_signatures_for_other_pallets() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::sr25519(1);
		register(&key);
		let signature = key.sign_action(DEVICE, 0, DeviceAction::Authenticate);
		assert_eq!(
			DeviceIdentity::check_signature(DEVICE, DeviceAction::Authenticate, signature.clone()),
			Ok(())
		);
		// The read-only check does not consume the nonce.
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().nonce, 0);
		assert_ok!(<DeviceIdentity as VerifyDevice>::verify_and_consume(
			&DEVICE,
			DeviceAction::Authenticate,
			&signature
		));
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().nonce, 1);
		assert_noop!(
			<DeviceIdentity as VerifyDevice>::verify_and_consume(
				&DEVICE,
				DeviceAction::Authenticate,
				&signature
			),
			Error::<Test>::BadSignature
		);
		assert_eq!(
			DeviceIdentity::check_signature(DEVICE, DeviceAction::Authenticate, signature),
			Err(DeviceCheckError::BadSignature)
		);
		assert_eq!(
			DeviceIdentity::check_signature(
				SECOND,
				DeviceAction::Authenticate,
				DeviceSignature::P256([0; 64])
			),
			Err(DeviceCheckError::UnknownDevice)
		);
	});
}

#[test]
fn runtime_api_helpers_report_devices_and_pages() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let ids: Vec<DeviceId> = (1..=5u8).map(|i| [i; 32]).collect();
		for (i, id) in ids.iter().enumerate() {
			assert_ok!(DeviceIdentity::register_device(
				origin(MAKER),
				*id,
				DeviceKey::ed25519(i as u8 + 1).public(),
				OWNER,
				bounded(b"meta")
			));
		}
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			ids[0],
			bounded(b"k"),
			bounded(b"v")
		));
		let info = DeviceIdentity::device_info(ids[0]).unwrap();
		assert_eq!(info.owner, OWNER);
		assert_eq!(info.metadata, b"meta".to_vec());
		assert_eq!(info.attributes.len(), 1);
		assert!(info.attributes[0].certified);
		assert!(DeviceIdentity::device_info([99; 32]).is_none());
		assert_eq!(
			DeviceIdentity::manufacturer_info(MAKER).unwrap().name,
			b"Acme Chips".to_vec()
		);
		assert!(DeviceIdentity::manufacturer_info(STRANGER).is_none());

		let first = DeviceIdentity::devices_of(OWNER, None, 2);
		assert_eq!(first.len(), 2);
		let second = DeviceIdentity::devices_of(OWNER, first.last().copied(), 2);
		let third = DeviceIdentity::devices_of(OWNER, second.last().copied(), 2);
		assert_eq!(third.len(), 1);
		let mut all: Vec<DeviceId> = [first, second, third].concat();
		all.sort();
		assert_eq!(all, ids);
		assert!(DeviceIdentity::devices_of(BUYER, None, 10).is_empty());
	});
}

/// The attack: a device is removed and its id registered again with the same key, and every
/// signature it ever published (authentications, anchors, scans) verifies again at nonce 0.
#[test]
fn a_removed_device_never_accepts_an_old_signature_again() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::ed25519(1);
		register(&key);
		let published: Vec<DeviceSignature> = (0..3)
			.map(|nonce| key.sign_action(DEVICE, nonce, DeviceAction::Authenticate))
			.collect();
		for signature in &published {
			assert_ok!(DeviceIdentity::authenticate(
				origin(GATEWAY),
				DEVICE,
				signature.clone()
			));
		}
		assert_ok!(DeviceIdentity::remove_device(origin(OWNER), DEVICE));
		assert!(DeviceIdentity::device_info(DEVICE).is_none());
		let kept = held(MAKER);
		assert!(kept > 0, "the tombstone's deposit");

		// Another manufacturer cannot take the id (and the removed device's attestations).
		add_maker(OTHER_MAKER);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(OTHER_MAKER),
				DEVICE,
				DeviceKey::ed25519(2).public(),
				OWNER,
				bounded(b"mine")
			),
			Error::<Test>::IdOfAnotherIssuer
		);
		// Its issuer registers the same id with the same key.
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			DEVICE,
			key.public(),
			OWNER,
			bounded(b"again")
		));
		assert_eq!(Devices::<Test>::get(DEVICE).unwrap().nonce, 3);
		assert!(Tombstones::<Test>::get(DEVICE).is_none());
		assert_eq!(
			held(MAKER),
			Devices::<Test>::get(DEVICE).unwrap().deposit,
			"the tombstone's deposit went back; the new record's is held"
		);
		for signature in published {
			assert_noop!(
				DeviceIdentity::authenticate(origin(GATEWAY), DEVICE, signature.clone()),
				Error::<Test>::BadSignature
			);
			assert_eq!(
				DeviceIdentity::check_signature(DEVICE, DeviceAction::Authenticate, signature),
				Err(DeviceCheckError::BadSignature)
			);
		}
		assert_eq!(
			DeviceIdentity::challenge(DEVICE).unwrap().nonce,
			3,
			"the next challenge continues the old nonces"
		);
		assert_ok!(DeviceIdentity::authenticate(
			origin(GATEWAY),
			DEVICE,
			key.sign_action(DEVICE, 3, DeviceAction::Authenticate)
		));
		check_invariants();
	});
}

/// The attack: the owner of a revoked device removes it, so it reads as unknown and its
/// compromised key can be bound to a "new" device.
#[test]
fn a_revoked_device_stays_revoked_and_its_key_stays_bound() {
	new_test_ext().execute_with(|| {
		let key = DeviceKey::p256(1);
		register(&key);
		assert_ok!(DeviceIdentity::set_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"note"),
			bounded(b"x")
		));
		assert_ok!(DeviceIdentity::revoke_device(RuntimeOrigin::root(), DEVICE));
		for who in [OWNER, MAKER] {
			assert_noop!(
				DeviceIdentity::remove_device(origin(who), DEVICE),
				Error::<Test>::RevokedDeviceStays
			);
		}
		assert_eq!(
			DeviceIdentity::device_info(DEVICE).unwrap().status,
			DeviceStatus::Revoked
		);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				SECOND,
				key.public(),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::KeyInUse
		);
		// Nor under another encoding of the same point (`0x05 || x`, which RustCrypto reads).
		let DevicePublicKey::P256(mut compact) = key.public() else {
			unreachable!()
		};
		compact[0] = 0x05;
		assert_noop!(
			DeviceIdentity::register_device(
				origin(MAKER),
				SECOND,
				DevicePublicKey::P256(compact),
				OWNER,
				bounded(b"")
			),
			Error::<Test>::InvalidPublicKey
		);
		// The owner still gets its own attribute deposits back.
		assert_ok!(DeviceIdentity::clear_attribute(
			origin(OWNER),
			DEVICE,
			bounded(b"note")
		));
		assert_eq!(held(OWNER), 0);
		check_invariants();
	});
}

#[test]
fn the_deposit_covers_the_record_and_its_index_entries() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::p256(1));
		let record = Devices::<Test>::get(DEVICE).unwrap();
		// Record, key index (key and id), owner index (account and id).
		let bytes = codec::Encode::encoded_size(&record) as Balance + 34 + 32 + 8 + 32;
		assert_eq!(record.deposit, DepositBase::get() + bytes);
		assert_eq!(held(MAKER), record.deposit);
	});
}

#[test]
fn a_transfer_returns_the_previous_owners_attribute_deposits() {
	new_test_ext().execute_with(|| {
		register(&DeviceKey::sr25519(1));
		assert_ok!(DeviceIdentity::set_attribute(
			origin(MAKER),
			DEVICE,
			bounded(b"batch"),
			bounded(b"B-1")
		));
		for key in [b"a", b"b"] {
			assert_ok!(DeviceIdentity::set_attribute(
				origin(OWNER),
				DEVICE,
				bounded(key),
				bounded(b"1")
			));
		}
		let issuer_held = held(MAKER);
		assert!(held(OWNER) > 0);
		assert_ok!(DeviceIdentity::transfer_device(
			origin(OWNER),
			DEVICE,
			BUYER
		));
		assert_eq!(held(OWNER), 0);
		assert_eq!(Balances::balance(&OWNER), INITIAL);
		assert_eq!(held(MAKER), issuer_held, "certified attributes stay");
		let record = Devices::<Test>::get(DEVICE).unwrap();
		assert_eq!(record.attribute_count, 1);
		assert!(Attributes::<Test>::get(DEVICE, bounded::<_>(b"batch")).is_some());
		assert!(Attributes::<Test>::get(DEVICE, bounded::<_>(b"a")).is_none());
		let cleared = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::DeviceIdentity(Event::AttributeCleared { .. })
				)
			})
			.count();
		assert_eq!(cleared, 2);
		check_invariants();
	});
}

/// The attack: a P-256 signature that was accepted once is turned into its high-S twin, which
/// a plain ECDSA verifier also accepts, to be submitted as a "new" signature.
#[test]
fn a_high_s_p256_signature_is_refused() {
	use p256::elliptic_curve::PrimeField;
	new_test_ext().execute_with(|| {
		let key = DeviceKey::p256(1);
		register(&key);
		let DeviceSignature::P256(low) = key.sign_action(DEVICE, 0, DeviceAction::Authenticate)
		else {
			unreachable!()
		};
		let s = p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&low[32..])).unwrap();
		let mut high = low;
		high[32..].copy_from_slice(&(-s).to_repr());
		assert_noop!(
			DeviceIdentity::authenticate(origin(GATEWAY), DEVICE, DeviceSignature::P256(high)),
			Error::<Test>::BadSignature
		);
		assert_ok!(DeviceIdentity::authenticate(
			origin(GATEWAY),
			DEVICE,
			DeviceSignature::P256(low)
		));
	});
}

/// A provisioning batch as its manufacturer builds it: `size` devices with P-256 and sr25519
/// keys, ids `[i; 32]`-like, metadata naming the index.
struct TestBatch {
	keys: Vec<DeviceKey>,
	leaves: Vec<sp_core::H256>,
}

impl TestBatch {
	fn new(size: u32) -> Self {
		let keys: Vec<DeviceKey> = (0..size)
			.map(|i| {
				if i % 2 == 0 {
					DeviceKey::p256(i as u8 + 1)
				} else {
					DeviceKey::sr25519(i as u8 + 1)
				}
			})
			.collect();
		let leaves = (0..size)
			.map(|i| {
				BatchLeaf::new(Self::id(i), keys[i as usize].public(), &Self::metadata(i)).hash()
			})
			.collect();
		Self { keys, leaves }
	}

	fn id(i: u32) -> DeviceId {
		let mut id = [0xbb; 32];
		id[..4].copy_from_slice(&i.to_le_bytes());
		id
	}

	fn metadata(i: u32) -> Vec<u8> {
		format!("lot 7, item {i}").into_bytes()
	}

	fn root(&self) -> sp_core::H256 {
		merkle_root(&self.leaves)
	}

	/// MAKER provisions the batch for OWNER; returns its number.
	fn provision(&self) -> u32 {
		let batch = crate::NextBatchId::<Test>::get();
		assert_ok!(DeviceIdentity::provision_batch(
			origin(MAKER),
			self.root(),
			self.leaves.len() as u32,
			OWNER
		));
		batch
	}

	fn proof(&self, i: u32) -> crate::BatchProof {
		merkle_proof(&self.leaves, i)
			.unwrap()
			.siblings
			.try_into()
			.unwrap()
	}

	/// Devices `first..first + count`, as `claim_devices` takes them.
	fn range(&self, first: u32, count: u32) -> Vec<BatchDevice<Test>> {
		(first..first + count)
			.map(|i| BatchDevice {
				device: Self::id(i),
				key: self.keys[i as usize].public(),
				metadata: bounded(&Self::metadata(i)),
			})
			.collect()
	}

	fn range_proof(&self, first: u32, count: u32) -> crate::RangeProof {
		merkle_range_proof(&self.leaves, first, count)
			.unwrap()
			.try_into()
			.unwrap()
	}

	/// `who` claims devices `first..first + count` of `batch` with their range proof.
	fn claim_range(
		&self,
		who: AccountId,
		batch: u32,
		first: u32,
		count: u32,
	) -> frame_support::dispatch::DispatchResult {
		DeviceIdentity::claim_devices(
			origin(who),
			batch,
			first,
			self.range(first, count).try_into().unwrap(),
			self.range_proof(first, count),
		)
	}

	/// `who` claims device `i` of `batch` with its own leaf and proof.
	fn claim(&self, who: AccountId, batch: u32, i: u32) -> frame_support::dispatch::DispatchResult {
		DeviceIdentity::claim_device(
			origin(who),
			batch,
			Self::id(i),
			self.keys[i as usize].public(),
			bounded(&Self::metadata(i)),
			i,
			self.proof(i),
		)
	}
}

#[test]
fn a_batch_is_provisioned_with_one_deposit_and_its_devices_are_claimed_and_used_at_once() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(37);
		let batch = devices.provision();
		let batch_deposit = held(MAKER);
		assert!(batch_deposit > 0);
		assert!(matches!(
			last_event(),
			RuntimeEvent::DeviceIdentity(Event::BatchProvisioned {
				device_count: 37,
				owner: OWNER,
				..
			})
		));
		// Nothing of the devices is stored yet.
		assert!(Devices::<Test>::get(TestBatch::id(5)).is_none());
		// A gateway claims device 5 and authenticates it right away; it pays the record.
		assert_ok!(devices.claim(GATEWAY, batch, 5));
		let record = Devices::<Test>::get(TestBatch::id(5)).unwrap();
		assert_eq!(
			(record.issuer, record.owner, record.nonce),
			(MAKER, OWNER, 0)
		);
		assert_eq!(
			(record.depositor, record.status),
			(GATEWAY, DeviceStatus::Active)
		);
		assert_eq!(record.metadata.to_vec(), TestBatch::metadata(5));
		assert_eq!(held(GATEWAY), record.deposit);
		assert_eq!(held(MAKER), batch_deposit);
		assert_eq!(
			DeviceOfKey::<Test>::get(devices.keys[5].public()),
			Some(TestBatch::id(5))
		);
		assert!(DevicesByOwner::<Test>::contains_key(
			OWNER,
			TestBatch::id(5)
		));
		let signature =
			devices.keys[5].sign_action(TestBatch::id(5), 0, DeviceAction::Authenticate);
		assert_ok!(DeviceIdentity::authenticate(
			origin(GATEWAY),
			TestBatch::id(5),
			signature
		));
		// Every device of the batch, every tree position, both key types.
		Balances::set_balance(&STRANGER, 1_000_000);
		for i in (0..37).filter(|i| *i != 5) {
			assert_ok!(devices.claim(STRANGER, batch, i));
		}
		assert_eq!(DevicesByOwner::<Test>::iter_prefix(OWNER).count(), 37);
		check_invariants();
		// Closing returns the batch's deposit; the devices stay.
		assert_ok!(DeviceIdentity::close_batch(origin(MAKER), batch));
		assert_eq!(held(MAKER), 0);
		assert!(Devices::<Test>::contains_key(TestBatch::id(36)));
		check_invariants();
	});
}

#[test]
fn a_claim_needs_the_leaf_the_manufacturer_committed_to() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(8);
		let batch = devices.provision();
		let claim = |device: DeviceId, key: DevicePublicKey, metadata: &[u8], index, proof| {
			DeviceIdentity::claim_device(
				origin(STRANGER),
				batch,
				device,
				key,
				bounded(metadata),
				index,
				proof,
			)
		};
		let (id, key, metadata) = (
			TestBatch::id(3),
			devices.keys[3].public(),
			TestBatch::metadata(3),
		);
		// Another key (a counterfeiter's), other metadata, another id, another position, a
		// proof of another leaf, a truncated proof, an index beyond the batch.
		let forged = DeviceKey::p256(99).public();
		for (device, key, metadata, index, proof) in [
			(id, forged, metadata.clone(), 3, devices.proof(3)),
			(
				id,
				key.clone(),
				b"lot 7, item 4".to_vec(),
				3,
				devices.proof(3),
			),
			(
				TestBatch::id(4),
				key.clone(),
				metadata.clone(),
				3,
				devices.proof(3),
			),
			(id, key.clone(), metadata.clone(), 2, devices.proof(3)),
			(id, key.clone(), metadata.clone(), 3, devices.proof(2)),
			(
				id,
				key.clone(),
				metadata.clone(),
				3,
				devices.proof(3)[..2].to_vec().try_into().unwrap(),
			),
			(id, key.clone(), metadata.clone(), 3 + 8, devices.proof(3)),
		] {
			assert_noop!(
				claim(device, key, &metadata, index, proof),
				Error::<Test>::BadBatchProof
			);
		}
		// Another batch's proof is no proof here.
		assert_noop!(
			claim(id, key.clone(), &metadata, 3, TestBatch::new(9).proof(3)),
			Error::<Test>::BadBatchProof
		);
		assert_noop!(
			DeviceIdentity::claim_device(
				origin(STRANGER),
				batch + 1,
				id,
				key,
				bounded(&metadata),
				3,
				devices.proof(3)
			),
			Error::<Test>::UnknownBatch
		);
		check_invariants();
	});
}

#[test]
fn a_device_is_claimed_once_and_never_brought_back() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(4);
		let batch = devices.provision();
		assert_ok!(devices.claim(GATEWAY, batch, 1));
		// The same claim again (someone racing the gateway's first use) changes nothing.
		let record = Devices::<Test>::get(TestBatch::id(1));
		assert_ok!(devices.claim(STRANGER, batch, 1));
		assert_eq!(Devices::<Test>::get(TestBatch::id(1)), record);
		assert_eq!(held(STRANGER), 0);
		// The owner removes it: nobody claims it back from the batch (it would come back with
		// the batch's owner and a fresh record).
		assert_ok!(DeviceIdentity::remove_device(
			origin(OWNER),
			TestBatch::id(1)
		));
		assert_noop!(
			devices.claim(STRANGER, batch, 1),
			Error::<Test>::IdUsedBefore
		);
		// An id or key another registration took first is not claimed over it.
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			TestBatch::id(2),
			DeviceKey::sr25519(200).public(),
			OWNER,
			bounded(b"")
		));
		assert_noop!(
			devices.claim(STRANGER, batch, 2),
			Error::<Test>::DeviceAlreadyExists
		);
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			SECOND,
			devices.keys[3].public(),
			OWNER,
			bounded(b"")
		));
		assert_noop!(devices.claim(STRANGER, batch, 3), Error::<Test>::KeyInUse);
		check_invariants();
	});
}

#[test]
fn a_batch_holds_only_valid_keys_and_is_claimed_only_while_its_manufacturer_is_trusted() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		// An invalid key in a leaf (a compact P-256 encoding) is refused at its claim.
		let DevicePublicKey::P256(mut compact) = DeviceKey::p256(1).public() else {
			unreachable!()
		};
		compact[0] = 0x05;
		let leaves = vec![BatchLeaf::new(DEVICE, DevicePublicKey::P256(compact), b"").hash()];
		assert_ok!(DeviceIdentity::provision_batch(
			origin(MAKER),
			merkle_root(&leaves),
			1,
			OWNER
		));
		assert_noop!(
			DeviceIdentity::claim_device(
				origin(STRANGER),
				0,
				DEVICE,
				DevicePublicKey::P256(compact),
				bounded(b""),
				0,
				Default::default()
			),
			Error::<Test>::InvalidPublicKey
		);
		// Governance removes the manufacturer: its batches' unclaimed devices stay out.
		let devices = TestBatch::new(2);
		let batch = devices.provision();
		assert_ok!(devices.claim(GATEWAY, batch, 0));
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		assert_noop!(
			devices.claim(GATEWAY, batch, 1),
			Error::<Test>::NotManufacturer
		);
		// Only manufacturers provision, and no empty batch.
		assert_noop!(
			DeviceIdentity::provision_batch(origin(MAKER), devices.root(), 2, OWNER),
			Error::<Test>::NotManufacturer
		);
		add_maker(OTHER_MAKER);
		assert_noop!(
			DeviceIdentity::provision_batch(origin(OTHER_MAKER), devices.root(), 0, OWNER),
			Error::<Test>::EmptyBatch
		);
		check_invariants();
	});
}

#[test]
fn the_manufacturer_revokes_single_devices_of_a_batch_before_or_after_their_claim() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		add_maker(OTHER_MAKER);
		let devices = TestBatch::new(6);
		let batch = devices.provision();
		let revoke = |who, i: u32| {
			DeviceIdentity::revoke_batch_device(
				origin(who),
				batch,
				TestBatch::id(i),
				devices.keys[i as usize].public(),
				bounded(&TestBatch::metadata(i)),
				i,
				devices.proof(i),
			)
		};
		for who in [OTHER_MAKER, OWNER, STRANGER] {
			assert_noop!(revoke(who, 4), Error::<Test>::NotBatchIssuer);
		}
		// Unclaimed: stored as revoked, paid by the manufacturer, never usable.
		assert_ok!(revoke(MAKER, 4));
		let record = Devices::<Test>::get(TestBatch::id(4)).unwrap();
		assert_eq!(
			(record.status, record.depositor),
			(DeviceStatus::Revoked, MAKER)
		);
		assert_noop!(
			devices.claim(GATEWAY, batch, 4),
			Error::<Test>::DeviceRevoked
		);
		let signature =
			devices.keys[4].sign_action(TestBatch::id(4), 0, DeviceAction::Authenticate);
		assert_noop!(
			DeviceIdentity::authenticate(origin(GATEWAY), TestBatch::id(4), signature),
			Error::<Test>::DeviceNotActive
		);
		assert_noop!(
			DeviceIdentity::remove_device(origin(OWNER), TestBatch::id(4)),
			Error::<Test>::RevokedDeviceStays
		);
		// Claimed first (whoever holds a leaked key races the revocation): revoked all the same.
		assert_ok!(devices.claim(GATEWAY, batch, 2));
		assert_ok!(revoke(MAKER, 2));
		assert_eq!(
			Devices::<Test>::get(TestBatch::id(2)).unwrap().status,
			DeviceStatus::Revoked
		);
		assert_noop!(revoke(MAKER, 2), Error::<Test>::DeviceRevoked);
		// A revoked device is not "claimed again" as a no-op for a first use: it stays revoked.
		let signature =
			devices.keys[2].sign_action(TestBatch::id(2), 0, DeviceAction::Authenticate);
		assert_noop!(
			DeviceIdentity::authenticate(origin(GATEWAY), TestBatch::id(2), signature),
			Error::<Test>::DeviceNotActive
		);
		check_invariants();
	});
}

#[test]
fn only_the_manufacturer_or_governance_closes_a_batch_and_then_nothing_more_is_claimed() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		add_maker(OTHER_MAKER);
		let devices = TestBatch::new(3);
		let first = devices.provision();
		let second = devices.provision();
		for who in [OTHER_MAKER, OWNER, STRANGER] {
			assert_noop!(
				DeviceIdentity::close_batch(origin(who), first),
				Error::<Test>::NotBatchIssuer
			);
		}
		assert_ok!(devices.claim(GATEWAY, first, 0));
		assert_ok!(DeviceIdentity::close_batch(origin(MAKER), first));
		assert_eq!(
			last_event(),
			RuntimeEvent::DeviceIdentity(Event::BatchClosed {
				batch: first,
				released: Batches::<Test>::get(second).unwrap().deposit
			})
		);
		assert_noop!(
			devices.claim(GATEWAY, first, 1),
			Error::<Test>::UnknownBatch
		);
		assert_ok!(DeviceIdentity::close_batch(RuntimeOrigin::root(), second));
		assert_noop!(
			devices.claim(GATEWAY, second, 1),
			Error::<Test>::UnknownBatch
		);
		assert_noop!(
			DeviceIdentity::close_batch(origin(MAKER), second),
			Error::<Test>::UnknownBatch
		);
		assert_eq!(held(MAKER), 0);
		check_invariants();
	});
}

#[test]
fn a_claimer_without_the_deposit_stores_nothing() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(2);
		let batch = devices.provision();
		let poor = 99;
		Balances::set_balance(&poor, 2);
		assert!(devices.claim(poor, batch, 0).is_err());
		assert!(Devices::<Test>::get(TestBatch::id(0)).is_none());
		assert!(DeviceOfKey::<Test>::get(devices.keys[0].public()).is_none());
		check_invariants();
	});
}

/// A device claimed by another account than its manufacturer and then removed: its tombstone
/// names the manufacturer, so only the manufacturer registers the id again, and the claimer's
/// share of the deposit comes back to the claimer then.
#[test]
fn a_claimed_devices_id_goes_back_to_its_manufacturer_not_to_its_claimer() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		add_maker(OTHER_MAKER);
		let devices = TestBatch::new(2);
		let batch = devices.provision();
		// A rival manufacturer claims (and pays for) MAKER's device; the owner removes it.
		assert_ok!(devices.claim(OTHER_MAKER, batch, 1));
		assert_ok!(DeviceIdentity::remove_device(
			origin(OWNER),
			TestBatch::id(1)
		));
		let tombstone = Tombstones::<Test>::get(TestBatch::id(1)).unwrap();
		assert_eq!(
			(tombstone.issuer, tombstone.depositor),
			(MAKER, OTHER_MAKER)
		);
		assert_eq!(held(OTHER_MAKER), tombstone.deposit);
		assert_noop!(
			DeviceIdentity::register_device(
				origin(OTHER_MAKER),
				TestBatch::id(1),
				DeviceKey::sr25519(77).public(),
				OTHER_MAKER,
				bounded(b"")
			),
			Error::<Test>::IdOfAnotherIssuer
		);
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			TestBatch::id(1),
			DeviceKey::sr25519(78).public(),
			OWNER,
			bounded(b"")
		));
		assert_eq!(
			held(OTHER_MAKER),
			0,
			"the claimer's tombstone deposit is back"
		);
		check_invariants();
	});
}

#[test]
fn the_v2_migration_names_every_tombstones_issuer_once() {
	use crate::migrations::v2::{MigrateToV2, TombstoneV1};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		StorageVersion::new(1).put::<DeviceIdentity>();
		for (id, who) in [(DEVICE, MAKER), (SECOND, OTHER_MAKER)] {
			let old = TombstoneV1 {
				nonce: 5,
				depositor: who,
				deposit: 42u128 as Balance,
			};
			frame_support::storage::unhashed::put_raw(
				&Tombstones::<Test>::hashed_key_for(id),
				&old.encode(),
			);
		}
		MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(
			DeviceIdentity::on_chain_storage_version(),
			StorageVersion::new(2)
		);
		for (id, who) in [(DEVICE, MAKER), (SECOND, OTHER_MAKER)] {
			let tombstone = Tombstones::<Test>::get(id).unwrap();
			assert_eq!(
				(
					tombstone.nonce,
					tombstone.depositor,
					tombstone.deposit,
					tombstone.issuer
				),
				(5, who, 42, who)
			);
		}
		// At version 2 it does nothing.
		let before = Tombstones::<Test>::get(DEVICE);
		MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Tombstones::<Test>::get(DEVICE), before);
	});
}

#[test]
fn a_genesis_population_is_a_manufacturers_registered_devices_with_their_deposits_held() {
	use frame_support::traits::BuildGenesisConfig;
	const ISSUER: AccountId = 77;
	new_test_ext().execute_with(|| {
		crate::GenesisConfig::<Test> {
			population: Some((ISSUER, 300)),
		}
		.build();
		assert!(Manufacturers::<Test>::contains_key(ISSUER));
		assert_eq!(Devices::<Test>::iter().count(), 300);
		let (id, key) = crate::population_device(299);
		let record = Devices::<Test>::get(id).unwrap();
		assert_eq!(
			(
				record.key.clone(),
				record.owner,
				record.issuer,
				record.status
			),
			(key.clone(), ISSUER, ISSUER, DeviceStatus::Active)
		);
		assert_eq!(DeviceOfKey::<Test>::get(&key), Some(id));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::DeviceDeposit.into(), &ISSUER),
			300 * record.deposit
		);
		// Ids are the documented hashes (the scale tool derives the same ones).
		let label = [&b"viot/population/device"[..], &299u32.to_le_bytes()].concat();
		assert_eq!(id, sp_io::hashing::blake2_256(&label));
		assert_ok!(DeviceIdentity::do_try_state());
		// The population's manufacturer acts like any other: it transfers its devices.
		assert_ok!(DeviceIdentity::transfer_device(
			RuntimeOrigin::signed(ISSUER),
			id,
			BUYER
		));
		assert_ok!(DeviceIdentity::do_try_state());
	});
}

#[test]
fn a_carton_of_adjacent_devices_is_claimed_with_one_range_proof_and_one_hold() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(37);
		let batch = devices.provision();
		// Device 2 is claimed on its own; the carton starts next to it.
		assert_ok!(devices.claim(STRANGER, batch, 2));
		let carton = devices.range_proof(3, 8);
		let separate: usize = (3..11).map(|i| devices.proof(i).len()).sum();
		assert!(
			carton.len() * 4 <= separate,
			"{} vs {separate}",
			carton.len()
		);
		let before = System::events().len();
		assert_ok!(devices.claim_range(GATEWAY, batch, 3, 8));
		let claimed = System::events()[before..]
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::DeviceIdentity(Event::DeviceClaimed {
						submitter: GATEWAY,
						..
					})
				)
			})
			.count();
		assert_eq!(claimed, 8, "one DeviceClaimed a device");
		let mut deposits = 0;
		for i in 3..11 {
			let record = Devices::<Test>::get(TestBatch::id(i)).unwrap();
			assert_eq!(
				(&record.issuer, &record.owner, record.nonce, record.status),
				(&MAKER, &OWNER, 0, DeviceStatus::Active)
			);
			assert_eq!(record.depositor, GATEWAY);
			assert_eq!(record.metadata.to_vec(), TestBatch::metadata(i));
			assert_eq!(
				record.deposit,
				crate::Pallet::<Test>::record_deposit(TestBatch::id(i), &record),
				"what claim_device holds for it"
			);
			assert_eq!(
				DeviceOfKey::<Test>::get(devices.keys[i as usize].public()),
				Some(TestBatch::id(i))
			);
			assert!(DevicesByOwner::<Test>::contains_key(
				OWNER,
				TestBatch::id(i)
			));
			deposits += record.deposit;
			// Each is used at once, with no proof.
			let signature = devices.keys[i as usize].sign_action(
				TestBatch::id(i),
				0,
				DeviceAction::Authenticate,
			);
			assert_ok!(DeviceIdentity::authenticate(
				origin(GATEWAY),
				TestBatch::id(i),
				signature
			));
		}
		assert_eq!(held(GATEWAY), deposits);
		// A device's removal releases its own deposit (less its tombstone's) to the carton's
		// claimer.
		assert_ok!(DeviceIdentity::remove_device(
			origin(OWNER),
			TestBatch::id(3)
		));
		let RuntimeEvent::DeviceIdentity(Event::DeviceRemoved { released, .. }) = last_event()
		else {
			panic!("the removal's event")
		};
		assert!(released > 0);
		assert_eq!(held(GATEWAY), deposits - released);
		// The last devices of the batch (the odd node that moves up alone), one at a time.
		assert_ok!(devices.claim_range(GATEWAY, batch, 36, 1));
		assert_ok!(devices.claim_range(GATEWAY, batch, 29, 7));
		check_invariants();
	});
}

#[test]
fn a_carton_claim_leaves_claimed_and_revoked_devices_as_they_are() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(12);
		let batch = devices.provision();
		// Someone claims device 4 first; the manufacturer revokes device 6.
		assert_ok!(devices.claim(STRANGER, batch, 4));
		assert_ok!(DeviceIdentity::revoke_batch_device(
			origin(MAKER),
			batch,
			TestBatch::id(6),
			devices.keys[6].public(),
			bounded(&TestBatch::metadata(6)),
			6,
			devices.proof(6),
		));
		let (four, six) = (
			Devices::<Test>::get(TestBatch::id(4)),
			Devices::<Test>::get(TestBatch::id(6)),
		);
		let maker_held = held(MAKER);
		assert_ok!(devices.claim_range(GATEWAY, batch, 2, 8));
		assert_eq!(Devices::<Test>::get(TestBatch::id(4)), four);
		assert_eq!(Devices::<Test>::get(TestBatch::id(6)), six);
		assert_eq!(six.unwrap().status, DeviceStatus::Revoked);
		let claimed: Balance = [2, 3, 5, 7, 8, 9]
			.iter()
			.map(|i| {
				let record = Devices::<Test>::get(TestBatch::id(*i)).unwrap();
				assert_eq!(record.depositor, GATEWAY);
				record.deposit
			})
			.sum();
		assert_eq!(held(GATEWAY), claimed);
		assert_eq!(held(MAKER), maker_held);
		// The same carton again: nothing to do, nothing paid.
		assert_ok!(devices.claim_range(STRANGER, batch, 2, 8));
		assert_eq!(held(GATEWAY), claimed);
		check_invariants();
	});
}

#[test]
fn a_carton_claim_needs_the_manufacturers_leaves_in_order_and_fails_whole() {
	new_test_ext().execute_with(|| {
		add_maker(MAKER);
		let devices = TestBatch::new(20);
		let batch = devices.provision();
		let claim = |first: u32, range: Vec<BatchDevice<Test>>, proof: crate::RangeProof| {
			DeviceIdentity::claim_devices(
				origin(GATEWAY),
				batch,
				first,
				range.try_into().unwrap(),
				proof,
			)
		};
		let (range, proof) = (devices.range(5, 6), devices.range_proof(5, 6));
		let mut counterfeit = range.clone();
		counterfeit[2].key = DeviceKey::p256(99).public();
		let mut relabelled = range.clone();
		relabelled[5].metadata = bounded(b"lot 8");
		let mut reordered = range.clone();
		reordered.swap(0, 1);
		let mut truncated = proof.clone();
		truncated.pop();
		for (first, range, proof) in [
			(5, counterfeit, proof.clone()),
			(5, relabelled, proof.clone()),
			(5, reordered, proof.clone()),
			(4, range.clone(), proof.clone()),
			(5, range[1..].to_vec(), proof.clone()),
			(5, range.clone(), devices.range_proof(6, 6)),
			(5, range.clone(), truncated),
			(5, range.clone(), TestBatch::new(21).range_proof(5, 6)),
			(5 + 20, range.clone(), proof.clone()),
			(u32::MAX - 2, range.clone(), proof.clone()),
		] {
			assert_noop!(claim(first, range, proof), Error::<Test>::BadBatchProof);
		}
		assert_noop!(
			claim(5, Vec::new(), Default::default()),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			DeviceIdentity::claim_devices(
				origin(GATEWAY),
				batch + 1,
				5,
				range.clone().try_into().unwrap(),
				proof.clone()
			),
			Error::<Test>::UnknownBatch
		);
		// The manufacturer's own devices under the range's ids stay as they are: one removed
		// by its owner (a tombstone), one whose key was rotated since its claim.
		assert_ok!(devices.claim(STRANGER, batch, 7));
		assert_ok!(DeviceIdentity::remove_device(
			origin(OWNER),
			TestBatch::id(7)
		));
		assert_ok!(devices.claim(STRANGER, batch, 8));
		let rotated = DeviceKey::sr25519(201);
		let action = DeviceAction::RotateKey {
			new_key: rotated.public(),
		};
		assert_ok!(DeviceIdentity::rotate_key(
			origin(OWNER),
			TestBatch::id(8),
			rotated.public(),
			rotated.sign_action(TestBatch::id(8), 0, action.clone()),
			devices.keys[8].sign_action(TestBatch::id(8), 0, action),
		));
		assert_ok!(claim(5, range.clone(), proof.clone()));
		assert!(Devices::<Test>::get(TestBatch::id(7)).is_none());
		assert_eq!(
			Devices::<Test>::get(TestBatch::id(8)).unwrap().key,
			rotated.public()
		);
		// One device of the range another manufacturer registered first, or whose key another
		// device holds, refuses the whole range.
		add_maker(OTHER_MAKER);
		assert_ok!(DeviceIdentity::register_device(
			origin(OTHER_MAKER),
			TestBatch::id(13),
			DeviceKey::sr25519(200).public(),
			OWNER,
			bounded(b"")
		));
		assert_noop!(
			devices.claim_range(GATEWAY, batch, 12, 3),
			Error::<Test>::DeviceAlreadyExists
		);
		assert_ok!(DeviceIdentity::register_device(
			origin(MAKER),
			SECOND,
			devices.keys[16].public(),
			OWNER,
			bounded(b"")
		));
		assert_noop!(
			devices.claim_range(GATEWAY, batch, 15, 3),
			Error::<Test>::KeyInUse
		);
		// A claimer who cannot hold the deposits claims nothing.
		let poor = 77;
		Balances::set_balance(&poor, 10);
		assert!(DeviceIdentity::claim_devices(
			origin(poor),
			batch,
			0,
			devices.range(0, 4).try_into().unwrap(),
			devices.range_proof(0, 4),
		)
		.is_err());
		assert!(Devices::<Test>::get(TestBatch::id(0)).is_none());
		// Governance removes the manufacturer: no more claims of its batches.
		assert_ok!(DeviceIdentity::remove_manufacturer(
			RuntimeOrigin::root(),
			MAKER
		));
		assert_noop!(
			devices.claim_range(GATEWAY, batch, 0, 4),
			Error::<Test>::NotManufacturer
		);
		check_invariants();
	});
}
