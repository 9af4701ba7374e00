//! Tests of every call, its errors and the invariants.

use crate::{
	mock::*, Attributes, DeviceOfKey, Devices, DevicesByOwner, Error, Event, HoldReason,
	Manufacturers,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold, Mutate},
	BoundedVec,
};
use sp_runtime::{traits::Get, DispatchError};
use viot_primitives::device::{
	DeviceAction, DeviceCheckError, DeviceId, DevicePayload, DevicePublicKey, DeviceSignature,
	DeviceStatus, VerifyDevice,
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

#[test]
fn key_rotation_needs_a_proof_of_possession_of_the_new_key() {
	new_test_ext().execute_with(|| {
		let old = DeviceKey::sr25519(1);
		let new = DeviceKey::p256(2);
		register(&old);
		let action = DeviceAction::RotateKey {
			new_key: new.public(),
		};
		// Signed by the old key instead of the new one.
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				new.public(),
				old.sign_action(DEVICE, 0, action.clone())
			),
			Error::<Test>::BadSignature
		);
		let proof = new.sign_action(DEVICE, 0, action);
		assert_noop!(
			DeviceIdentity::rotate_key(origin(STRANGER), DEVICE, new.public(), proof.clone()),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			DeviceIdentity::rotate_key(origin(OWNER), DEVICE, old.public(), proof.clone()),
			Error::<Test>::SameKey
		);
		assert_ok!(DeviceIdentity::rotate_key(
			origin(OWNER),
			DEVICE,
			new.public(),
			proof.clone()
		));
		assert_eq!(
			last_event(),
			Event::KeyRotated {
				device: DEVICE,
				old_key: old.public(),
				new_key: new.public()
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
			let proof = new.sign_action(
				DEVICE,
				0,
				DeviceAction::RotateKey {
					new_key: new.public(),
				},
			);
			DeviceIdentity::rotate_key(origin(OWNER), DEVICE, new.public(), proof)
		};
		assert_noop!(rotate(&taken), Error::<Test>::KeyInUse);
		assert_noop!(
			DeviceIdentity::rotate_key(
				origin(OWNER),
				DEVICE,
				DevicePublicKey::P256([0; 33]),
				DeviceSignature::P256([0; 64])
			),
			Error::<Test>::InvalidPublicKey
		);
		assert_ok!(DeviceIdentity::suspend_device(origin(OWNER), DEVICE));
		assert_noop!(
			rotate(&DeviceKey::ed25519(3)),
			Error::<Test>::DeviceNotActive
		);
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
				by: OWNER
			}
			.into()
		);
		assert_noop!(
			DeviceIdentity::suspend_device(origin(MAKER), DEVICE),
			Error::<Test>::DeviceNotActive
		);
		assert_noop!(authenticate(0), Error::<Test>::DeviceNotActive);
		assert!(!<DeviceIdentity as VerifyDevice>::is_active(&DEVICE));

		assert_ok!(DeviceIdentity::resume_device(origin(MAKER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceResumed {
				device: DEVICE,
				by: MAKER
			}
			.into()
		);
		assert_ok!(authenticate(0));

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
			DeviceIdentity::revoke_device(RuntimeOrigin::root(), DEVICE),
			Error::<Test>::DeviceRevoked
		);
		assert_noop!(
			DeviceIdentity::set_attribute(origin(OWNER), DEVICE, bounded(b"a"), bounded(b"b")),
			Error::<Test>::DeviceRevoked
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
		let expected = held(MAKER) + held(OWNER);
		assert_noop!(
			DeviceIdentity::remove_device(origin(STRANGER), DEVICE),
			Error::<Test>::NotOwnerOrIssuer
		);
		assert_ok!(DeviceIdentity::remove_device(origin(OWNER), DEVICE));
		assert_eq!(
			last_event(),
			Event::DeviceRemoved {
				device: DEVICE,
				released: expected
			}
			.into()
		);
		assert!(record.deposit < expected);
		assert_eq!(held(MAKER), 0);
		assert_eq!(held(OWNER), 0);
		assert_eq!(Balances::balance(&MAKER), INITIAL);
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
