//! Records the pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec, DebugNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use viot_primitives::device::{DeviceId, DevicePublicKey, DeviceStatus};

use crate::Config;

/// A balance of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A manufacturer's display name.
pub type ManufacturerName<T> = BoundedVec<u8, <T as Config>::MaxNameLength>;
/// A device's free-form metadata (model, batch, firmware, ...).
pub type DeviceMetadata<T> = BoundedVec<u8, <T as Config>::MaxMetadataLength>;
/// An attribute's key.
pub type AttributeKey<T> = BoundedVec<u8, <T as Config>::MaxAttributeKeyLength>;
/// An attribute's value.
pub type AttributeValue<T> = BoundedVec<u8, <T as Config>::MaxAttributeValueLength>;

/// A manufacturer trusted by governance to register devices.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Manufacturer<T: Config> {
	/// Display name.
	pub name: ManufacturerName<T>,
	/// Block at which governance added it.
	pub since: BlockNumberFor<T>,
}

/// A registered device.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Device<T: Config> {
	/// The device's current public key.
	pub key: DevicePublicKey,
	/// Who owns the device now.
	pub owner: T::AccountId,
	/// The manufacturer that registered it.
	pub issuer: T::AccountId,
	/// Active, suspended or revoked.
	pub status: DeviceStatus,
	/// Number of device signatures accepted so far; the next payload must carry this value.
	pub nonce: u64,
	/// Free-form metadata set at registration.
	pub metadata: DeviceMetadata<T>,
	/// Number of attributes stored for the device.
	pub attribute_count: u32,
	/// Who paid the record's deposit; it is released to them when the device is removed.
	pub depositor: T::AccountId,
	/// The deposit held for the record.
	pub deposit: BalanceOf<T>,
	/// Block of registration.
	pub registered_at: BlockNumberFor<T>,
}

/// A key/value attribute of a device.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Attribute<T: Config> {
	/// The value.
	pub value: AttributeValue<T>,
	/// Set by the issuing manufacturer: the owner cannot change or clear it.
	pub certified: bool,
	/// Who paid the deposit.
	pub depositor: T::AccountId,
	/// The deposit held for this attribute.
	pub deposit: BalanceOf<T>,
}

/// A provisioning batch: devices committed to by a Merkle root, stored when claimed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct ProvisioningBatch<T: Config> {
	/// The manufacturer that provisioned it; it pays the batch's deposit.
	pub issuer: T::AccountId,
	/// The first owner of each of its devices.
	pub owner: T::AccountId,
	/// The Merkle root over its devices' [`viot_primitives::device::BatchLeaf`] hashes.
	pub root: sp_core::H256,
	/// Its number of devices (leaves).
	pub device_count: u32,
	/// The deposit held for the batch's record.
	pub deposit: BalanceOf<T>,
	/// Block it was provisioned in.
	pub created_at: BlockNumberFor<T>,
}

/// What stays of a removed device: the nonce its id continues from if it is registered again,
/// so no signature the device made before is accepted again.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Tombstone<T: Config> {
	/// The nonce the device's next signature would have carried.
	pub nonce: u64,
	/// Who paid the removed record's deposit and pays the tombstone's, released to it when the
	/// id is registered again.
	pub depositor: T::AccountId,
	/// The deposit held for the tombstone until the id is registered again.
	pub deposit: BalanceOf<T>,
	/// The manufacturer that issued the removed device: only it registers the id again. The
	/// depositor, for a device claimed from a provisioning batch, is whoever claimed it.
	pub issuer: T::AccountId,
}

/// One device of a `claim_devices` range: the parts of its leaf in the batch.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct BatchDevice<T: Config> {
	/// The device's id.
	pub device: DeviceId,
	/// Its public key.
	pub key: DevicePublicKey,
	/// Its metadata, whose digest is in the leaf; the record stores it.
	pub metadata: DeviceMetadata<T>,
}
