//! Only the admin origin authorizes; frame_system records and announces the authorization.

use crate::mock::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn governance_authorizes_an_upgrade_with_version_checks() {
	new_test_ext().execute_with(|| {
		let code_hash = [7u8; 32].into();
		assert_ok!(Upgrades::authorize_upgrade(
			RuntimeOrigin::root(),
			code_hash
		));
		assert!(System::authorized_upgrade().is_some());
		System::assert_last_event(
			frame_system::Event::UpgradeAuthorized {
				code_hash,
				check_version: true,
			}
			.into(),
		);
	});
}

#[test]
fn governance_may_authorize_without_version_checks() {
	new_test_ext().execute_with(|| {
		let code_hash = [8u8; 32].into();
		assert_ok!(Upgrades::authorize_upgrade_without_checks(
			RuntimeOrigin::root(),
			code_hash
		));
		System::assert_last_event(
			frame_system::Event::UpgradeAuthorized {
				code_hash,
				check_version: false,
			}
			.into(),
		);
	});
}

#[test]
fn nobody_else_authorizes() {
	new_test_ext().execute_with(|| {
		let code_hash = [9u8; 32].into();
		for call in [
			Upgrades::authorize_upgrade,
			Upgrades::authorize_upgrade_without_checks,
		] {
			assert_noop!(
				call(RuntimeOrigin::signed(1), code_hash),
				DispatchError::BadOrigin
			);
			assert_noop!(
				call(RuntimeOrigin::none(), code_hash),
				DispatchError::BadOrigin
			);
		}
		assert!(System::authorized_upgrade().is_none());
	});
}

#[test]
fn other_code_is_refused_when_applied() {
	new_test_ext().execute_with(|| {
		assert_ok!(Upgrades::authorize_upgrade(
			RuntimeOrigin::root(),
			[1u8; 32].into()
		));
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::signed(1), b"other code".to_vec()),
			frame_system::Error::<Test>::Unauthorized
		);
	});
}
