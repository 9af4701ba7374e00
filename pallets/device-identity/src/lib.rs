//! # Device identity pallet
//!
//! On-chain identities for physical devices — RFID tags with authentication chips, sensors,
//! gateways — issued by manufacturers that governance trusts, so anyone can tell a genuine
//! device from a clone.
//!
//! - The admin origin adds and removes **manufacturers**.
//! - A manufacturer **registers** a device: its 32-byte id, its public key (sr25519, ed25519,
//!   secp256k1 ECDSA or NIST P-256) and metadata, and names its first owner. A deposit
//!   proportional to the stored bytes is held from the manufacturer until the device is removed.
//! - The owner **transfers** the device (its own attributes are cleared and their deposits
//!   returned), **rotates** its key with the consent of the chip (the current key and the new
//!   key both sign the rotation), sets **attributes** (those set by the issuer are *certified*
//!   and the owner cannot change them), and **suspends** or **resumes** it.
//! - The issuing manufacturer, while governance still trusts it, certifies attributes,
//!   **replaces** a lost chip's key, suspends the device (a suspension the owner cannot lift) and
//!   **revokes** it for good; the admin origin can revoke any device and lift any suspension.
//! - A removed device leaves a **tombstone** with its next nonce, so registering the id again
//!   never makes an old signature valid again; a revoked device is never removed.
//! - Any account submits a device's **authentication**: the device signs the challenge returned
//!   by the `DeviceIdentityApi::challenge` runtime API, a gateway pays the fee.
//! - A manufacturer **provisions a batch** of up to 2^32 − 1 devices in one transaction with one
//!   deposit: the Merkle root over each device's [`BatchLeaf`] (id, key, metadata digest). Any
//!   account **claims** a device of the batch with its membership proof, which stores the
//!   device's record exactly as if the manufacturer had registered it (the claimer pays its
//!   deposit); a device's first use is its claim and its first signature in one `utility`
//!   batch. The manufacturer revokes single devices of a batch (claimed or not) and closes the
//!   batch when no more devices of it may be claimed.
//!
//! Every device signature, here and in other pallets (through [`VerifyDevice`]), covers a
//! [`DevicePayload`]: the chain's genesis hash, the device id, the device's nonce and the action,
//! so a signature is accepted once, on one chain, for one purpose.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod fuzz;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	dispatch::DispatchResult,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Precision,
		EnsureOrigin, Get,
	},
	weights::Weight,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};
use viot_primitives::anchor::MAX_RANGE_PROOF;
use viot_primitives::device::{
	AttributeInfo, BatchId, BatchInfo, BatchLeaf, DeviceAction, DeviceCheckError, DeviceId,
	DeviceInfo, DevicePayload, DevicePublicKey, DeviceSignature, DeviceStatus, ManufacturerInfo,
	VerifyDevice, MAX_BATCH_PROOF,
};

/// A batch membership proof: the sibling hashes from the leaf up.
pub type BatchProof =
	frame_support::BoundedVec<H256, frame_support::traits::ConstU32<MAX_BATCH_PROOF>>;

/// A range proof for adjacent devices of a batch (`claim_devices`): the siblings from the
/// range up, at most two a level ([`viot_primitives::anchor::merkle_range_root`]).
pub type RangeProof =
	frame_support::BoundedVec<H256, frame_support::traits::ConstU32<MAX_RANGE_PROOF>>;

/// Most devices one `devices_of` page returns.
pub const MAX_PAGE: u32 = 1_000;

/// Device `number` of a genesis population (`GenesisConfig::population`): its id is
/// `blake2_256("viot/population/device" ‖ number as u32 LE)` and its key, stored as an sr25519
/// key, the 32 bytes `blake2_256("viot/population/key" ‖ number as u32 LE)`: mostly not a valid
/// point, so nobody signs for these devices (they exist to be stored and read).
pub fn population_device(number: u32) -> (DeviceId, DevicePublicKey) {
	let derive =
		|label: &[u8]| sp_io::hashing::blake2_256(&[label, &number.to_le_bytes()].concat());
	(
		derive(b"viot/population/device"),
		DevicePublicKey::Sr25519(derive(b"viot/population/key")),
	)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version: 2 since tombstones name their issuer
	/// ([`migrations::v2`]).
	#[cfg(not(feature = "upgrade-test"))]
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);
	/// Version 3 exists only in the runtime's end-to-end upgrade test (feature `upgrade-test`),
	/// whose test migration the runtime holds.
	#[cfg(feature = "upgrade-test")]
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<Hash = H256> {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Adds and removes manufacturers and may revoke any device (root on a dev chain).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held for every stored record, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Deposit held per stored byte.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Longest manufacturer name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// Longest device metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLength: Get<u32>;

		/// Most attributes per device.
		#[pallet::constant]
		type MaxAttributes: Get<u32>;

		/// Longest attribute key, in bytes.
		#[pallet::constant]
		type MaxAttributeKeyLength: Get<u32>;

		/// Longest attribute value, in bytes.
		#[pallet::constant]
		type MaxAttributeValueLength: Get<u32>;

		/// Most devices one `claim_devices` claims.
		#[pallet::constant]
		type MaxDevicesPerClaim: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a device record or attribute.
		#[codec(index = 0)]
		DeviceDeposit,
	}

	/// Manufacturers allowed to register devices.
	#[pallet::storage]
	pub type Manufacturers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Manufacturer<T>, OptionQuery>;

	/// Registered devices.
	#[pallet::storage]
	pub type Devices<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, Device<T>, OptionQuery>;

	/// The device each public key belongs to: a key identifies at most one device.
	#[pallet::storage]
	pub type DeviceOfKey<T: Config> =
		StorageMap<_, Blake2_128Concat, DevicePublicKey, DeviceId, OptionQuery>;

	/// Index of the devices each account owns.
	#[pallet::storage]
	pub type DevicesByOwner<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		DeviceId,
		(),
		OptionQuery,
	>;

	/// What stays of removed devices: the nonce a re-registration of the id starts from, so no
	/// signature the device ever made is accepted again.
	#[pallet::storage]
	pub type Tombstones<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, Tombstone<T>, OptionQuery>;

	/// Provisioning batches not closed yet: devices committed to by a Merkle root, whose records
	/// are stored when they are claimed.
	#[pallet::storage]
	pub type Batches<T: Config> =
		StorageMap<_, Twox64Concat, BatchId, ProvisioningBatch<T>, OptionQuery>;

	/// The number the next provisioning batch gets.
	#[pallet::storage]
	pub type NextBatchId<T: Config> = StorageValue<_, BatchId, ValueQuery>;

	/// Attributes of devices.
	#[pallet::storage]
	pub type Attributes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DeviceId,
		Blake2_128Concat,
		AttributeKey<T>,
		Attribute<T>,
		OptionQuery,
	>;

	/// Genesis: no device unless `population` is set.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(manufacturer, n)`: a synthetic population for measuring how the chain's costs grow
		/// with its state (`scripts/bench/scale.mjs`); no real chain sets it. `manufacturer`
		/// becomes a manufacturer that issued and owns devices `0..n`, whose ids and keys come
		/// from [`population_device`] (nobody can sign for them); their deposits are minted to it
		/// and held, as `register_device` holds them.
		pub population: Option<(T::AccountId, u32)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use frame_support::traits::fungible::Inspect;
			let Some((manufacturer, count)) = &self.population else {
				return;
			};
			Manufacturers::<T>::insert(
				manufacturer,
				Manufacturer {
					name: BoundedVec::truncate_from(b"population".to_vec()),
					since: Zero::zero(),
				},
			);
			let record = |key| Device::<T> {
				key,
				owner: manufacturer.clone(),
				issuer: manufacturer.clone(),
				status: DeviceStatus::Active,
				nonce: 0,
				metadata: Default::default(),
				attribute_count: 0,
				depositor: manufacturer.clone(),
				deposit: Zero::zero(),
				registered_at: Zero::zero(),
			};
			// Every record has the same size, so the same deposit.
			let (id, key) = population_device(0);
			let deposit = Pallet::<T>::record_deposit(id, &record(key));
			let minted = deposit
				.saturating_mul((*count).into())
				.saturating_add(T::Currency::minimum_balance());
			T::Currency::mint_into(manufacturer, minted).expect("the population's deposits mint");
			for number in 0..*count {
				let (id, key) = population_device(number);
				Pallet::<T>::store_device(id, record(key)).expect("a population device stores");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance trusts a new manufacturer.
		ManufacturerAdded {
			/// The manufacturer's account.
			manufacturer: T::AccountId,
			/// Its name.
			name: ManufacturerName<T>,
		},
		/// A manufacturer was removed; its devices stay valid.
		ManufacturerRemoved {
			/// The manufacturer's account.
			manufacturer: T::AccountId,
		},
		/// A manufacturer registered a device.
		DeviceRegistered {
			/// The device.
			device: DeviceId,
			/// The manufacturer that registered it.
			issuer: T::AccountId,
			/// Its first owner.
			owner: T::AccountId,
			/// Its public key.
			key: DevicePublicKey,
			/// The deposit held from the manufacturer.
			deposit: BalanceOf<T>,
		},
		/// A device changed hands.
		DeviceTransferred {
			/// The device.
			device: DeviceId,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// A device's key was replaced after a proof of possession of the new key: with the
		/// consent of the old key (`rotate_key`) or, for a lost chip, by the issuing manufacturer
		/// (`replace_key`, `by_issuer`).
		KeyRotated {
			/// The device.
			device: DeviceId,
			/// The key replaced.
			old_key: DevicePublicKey,
			/// The key now in use.
			new_key: DevicePublicKey,
			/// Whether the issuing manufacturer did it.
			by_issuer: bool,
		},
		/// An attribute was set; `certified` when the issuing manufacturer set it.
		AttributeSet {
			/// The device.
			device: DeviceId,
			/// The attribute's key.
			key: AttributeKey<T>,
			/// The attribute's value.
			value: AttributeValue<T>,
			/// Whether the issuing manufacturer set it.
			certified: bool,
		},
		/// An attribute was removed.
		AttributeCleared {
			/// The device.
			device: DeviceId,
			/// The attribute's key.
			key: AttributeKey<T>,
		},
		/// A device was suspended; `by_issuer` when its issuing manufacturer suspended it, which
		/// the owner cannot undo.
		DeviceSuspended {
			/// The device.
			device: DeviceId,
			/// Who suspended it.
			by: T::AccountId,
			/// Whether the issuing manufacturer did it.
			by_issuer: bool,
		},
		/// A suspended device was made active again; `by` is `None` when the admin origin
		/// resumed it.
		DeviceResumed {
			/// The device.
			device: DeviceId,
			/// Who resumed it (`None`: the admin origin).
			by: Option<T::AccountId>,
		},
		/// A device was revoked for good; `by` is `None` when the admin origin revoked it.
		DeviceRevoked {
			/// The device.
			device: DeviceId,
			/// Who revoked it (`None`: the admin origin).
			by: Option<T::AccountId>,
		},
		/// A device record was removed and its deposits released, except `kept`, held from the
		/// record's depositor for the tombstone that keeps the device's next nonce.
		DeviceRemoved {
			/// The device.
			device: DeviceId,
			/// The deposits released.
			released: BalanceOf<T>,
			/// What stays held for the tombstone.
			kept: BalanceOf<T>,
		},
		/// A manufacturer provisioned a batch of devices (their records are stored when claimed).
		BatchProvisioned {
			/// The batch's number.
			batch: BatchId,
			/// The manufacturer.
			issuer: T::AccountId,
			/// The first owner of each of its devices.
			owner: T::AccountId,
			/// The Merkle root over the devices' leaves.
			root: H256,
			/// The number of devices.
			device_count: u32,
			/// The deposit held from the manufacturer for the batch.
			deposit: BalanceOf<T>,
		},
		/// A device of a batch was claimed: its record is stored as the batch's manufacturer
		/// committed to it, with the deposit held from `submitter`.
		DeviceClaimed {
			/// The device.
			device: DeviceId,
			/// The batch it came from.
			batch: BatchId,
			/// The manufacturer that provisioned it.
			issuer: T::AccountId,
			/// Its first owner.
			owner: T::AccountId,
			/// Its public key.
			key: DevicePublicKey,
			/// Who claimed it and pays the record's deposit.
			submitter: T::AccountId,
			/// The deposit held from the submitter.
			deposit: BalanceOf<T>,
		},
		/// A batch was closed: no more of its devices can be claimed; its deposit is released.
		BatchClosed {
			/// The batch.
			batch: BatchId,
			/// The deposit released to the manufacturer.
			released: BalanceOf<T>,
		},
		/// A device proved it holds its key; `nonce` is the nonce its signature used.
		DeviceAuthenticated {
			/// The device.
			device: DeviceId,
			/// The nonce its signature used.
			nonce: u64,
			/// Who submitted the proof.
			submitter: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a manufacturer.
		AlreadyManufacturer,
		/// The account is not a manufacturer.
		NotManufacturer,
		/// A device with this id is already registered.
		DeviceAlreadyExists,
		/// No device has this id.
		UnknownDevice,
		/// The public key is not a valid point of its curve.
		InvalidPublicKey,
		/// The public key already belongs to a device.
		KeyInUse,
		/// Only the device's owner may do this.
		NotOwner,
		/// Only the device's owner or issuing manufacturer may do this.
		NotOwnerOrIssuer,
		/// Only the device's issuing manufacturer or the admin may do this.
		NotIssuerOrAdmin,
		/// The device is suspended or revoked.
		DeviceNotActive,
		/// The device is revoked; nothing can change that.
		DeviceRevoked,
		/// The device is not suspended.
		DeviceNotSuspended,
		/// The signature does not verify against the device's key, this chain and the device's
		/// current nonce (wrong key, tampered payload or replay).
		BadSignature,
		/// The new owner is the current owner.
		AlreadyOwner,
		/// The new key is the current key.
		SameKey,
		/// The device has the most attributes allowed.
		TooManyAttributes,
		/// The attribute was certified by the manufacturer; the owner cannot change it.
		AttributeCertified,
		/// The device has no such attribute.
		UnknownAttribute,
		/// The device's nonce cannot go higher.
		NonceOverflow,
		/// Only the device's issuing manufacturer, while it is one, may do this.
		NotIssuer,
		/// The current key's signature over the rotation payload does not verify: the chip did
		/// not consent to the new key.
		BadCurrentKeySignature,
		/// The device's issuing manufacturer suspended it: only that manufacturer or the admin
		/// origin may resume it, and the owner may not remove it.
		SuspendedByIssuer,
		/// The id belonged to a device another manufacturer issued and removed; only that
		/// manufacturer registers it again (its attestations keep naming the same device).
		IdOfAnotherIssuer,
		/// A revoked device stays on chain as revoked for good and cannot be removed.
		RevokedDeviceStays,
		/// No open provisioning batch has this number (never provisioned, or closed).
		UnknownBatch,
		/// A batch holds at least one device.
		EmptyBatch,
		/// A claim names at least one device.
		NothingToClaim,
		/// The proof does not lead from this device's leaf (id, key, metadata) at this position
		/// to the batch's root.
		BadBatchProof,
		/// The id had a device that was removed: a batch does not bring it back (its
		/// manufacturer registers it again with `register_device`).
		IdUsedBefore,
		/// Only the batch's manufacturer may do this.
		NotBatchIssuer,
		/// Every batch number is taken.
		TooManyBatches,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Trusts `manufacturer` to register devices. Admin origin only.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_manufacturer())]
		pub fn add_manufacturer(
			origin: OriginFor<T>,
			manufacturer: T::AccountId,
			name: ManufacturerName<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				!Manufacturers::<T>::contains_key(&manufacturer),
				Error::<T>::AlreadyManufacturer
			);
			let since = frame_system::Pallet::<T>::block_number();
			Manufacturers::<T>::insert(
				&manufacturer,
				Manufacturer {
					name: name.clone(),
					since,
				},
			);
			Self::deposit_event(Event::ManufacturerAdded { manufacturer, name });
			Ok(())
		}

		/// Stops trusting `manufacturer`: it registers no more devices; the devices it
		/// registered stay valid unless revoked. Admin origin only.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_manufacturer())]
		pub fn remove_manufacturer(
			origin: OriginFor<T>,
			manufacturer: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Manufacturers::<T>::take(&manufacturer).ok_or(Error::<T>::NotManufacturer)?;
			Self::deposit_event(Event::ManufacturerRemoved { manufacturer });
			Ok(())
		}

		/// Registers a device with its public key and metadata and names its first owner.
		/// Manufacturers only; the deposit for the record and its key and owner index entries is
		/// held from the manufacturer. An id that was removed before is registered again only by
		/// the manufacturer that issued it, and starts from its tombstone's nonce (the tombstone's
		/// deposit goes back), so no signature the earlier registration accepted is valid again
		/// and nobody else's device takes over its attestations.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::register_device(metadata.len() as u32)
				.saturating_add(Pallet::<T>::key_check_weight(key))
		)]
		pub fn register_device(
			origin: OriginFor<T>,
			device: DeviceId,
			key: DevicePublicKey,
			owner: T::AccountId,
			metadata: DeviceMetadata<T>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			ensure!(
				Manufacturers::<T>::contains_key(&issuer),
				Error::<T>::NotManufacturer
			);
			ensure!(
				!Devices::<T>::contains_key(device),
				Error::<T>::DeviceAlreadyExists
			);
			ensure!(key.is_valid(), Error::<T>::InvalidPublicKey);
			ensure!(!DeviceOfKey::<T>::contains_key(&key), Error::<T>::KeyInUse);

			let tombstone = Tombstones::<T>::take(device);
			if let Some(tombstone) = &tombstone {
				ensure!(tombstone.issuer == issuer, Error::<T>::IdOfAnotherIssuer);
			}
			let record = Device::<T> {
				key: key.clone(),
				owner: owner.clone(),
				issuer: issuer.clone(),
				status: DeviceStatus::Active,
				nonce: tombstone.as_ref().map_or(0, |tombstone| tombstone.nonce),
				metadata,
				attribute_count: 0,
				depositor: issuer.clone(),
				deposit: Zero::zero(),
				registered_at: frame_system::Pallet::<T>::block_number(),
			};
			if let Some(tombstone) = tombstone {
				Self::release(&tombstone.depositor, tombstone.deposit)?;
			}
			let deposit = Self::store_device(device, record)?;
			Self::deposit_event(Event::DeviceRegistered {
				device,
				issuer,
				owner,
				key,
				deposit,
			});
			Ok(())
		}

		/// Transfers a device to `new_owner`. Owner only. The attributes the previous owner set
		/// (not certified) are cleared and their deposits returned to whoever paid them; the
		/// issuer's certified attributes stay with the device.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::transfer_weight(T::MaxAttributes::get()))]
		pub fn transfer_device(
			origin: OriginFor<T>,
			device: DeviceId,
			new_owner: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			ensure!(record.owner != new_owner, Error::<T>::AlreadyOwner);
			let mut cleared = Vec::new();
			for (key, attribute) in Attributes::<T>::iter_prefix(device) {
				if !attribute.certified {
					Self::release(&attribute.depositor, attribute.deposit)?;
					cleared.push(key);
				}
			}
			for key in &cleared {
				Attributes::<T>::remove(device, key);
			}
			record.attribute_count = record.attribute_count.saturating_sub(cleared.len() as u32);
			record.owner = new_owner.clone();
			Devices::<T>::insert(device, record);
			DevicesByOwner::<T>::remove(&who, device);
			DevicesByOwner::<T>::insert(&new_owner, device, ());
			let count = cleared.len() as u32;
			for key in cleared {
				Self::deposit_event(Event::AttributeCleared { device, key });
			}
			Self::deposit_event(Event::DeviceTransferred {
				device,
				from: who,
				to: new_owner,
			});
			Ok(Some(Self::transfer_weight(count)).into())
		}

		/// Replaces the device's key with `new_key`, with the chip's consent. Owner only, active
		/// devices only. `proof` is the new key's signature over the device's
		/// `RotateKey { new_key }` payload at its current nonce (nobody binds a key they do not
		/// hold) and `current_key_signature` the current key's signature over the same payload
		/// (nobody moves a device's identity, with its certified attributes, away from the chip
		/// without the chip). A lost chip's key is replaced by its issuer: `replace_key`.
		/// Weighed for the costliest signatures: the proof and the consent both P-256,
		/// verified in the runtime.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::rotate_key().saturating_add(Pallet::<T>::key_check_weight(new_key)))]
		pub fn rotate_key(
			origin: OriginFor<T>,
			device: DeviceId,
			new_key: DevicePublicKey,
			proof: DeviceSignature,
			current_key_signature: DeviceSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			ensure!(
				record.status != DeviceStatus::Revoked,
				Error::<T>::DeviceRevoked
			);
			ensure!(
				record.status == DeviceStatus::Active,
				Error::<T>::DeviceNotActive
			);
			Self::replace_device_key(
				device,
				record,
				new_key,
				&proof,
				Some(&current_key_signature),
			)
		}

		/// Replaces a lost or broken chip's key with `new_key`, without the old key: the issuing
		/// manufacturer only, while governance still trusts it (an active or suspended device).
		/// `proof` is the new key's signature over the device's `RotateKey { new_key }` payload
		/// at its current nonce. The issuer vouches for the new chip, so certified attributes
		/// stay. Weighed as `rotate_key`, which verifies one P-256 signature more than this call
		/// and reads one record less (the manufacturer's).
		#[pallet::call_index(12)]
		#[pallet::weight(
			T::WeightInfo::rotate_key()
				.saturating_add(T::DbWeight::get().reads(1))
				.saturating_add(Pallet::<T>::key_check_weight(new_key))
		)]
		pub fn replace_key(
			origin: OriginFor<T>,
			device: DeviceId,
			new_key: DevicePublicKey,
			proof: DeviceSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(Self::is_acting_issuer(&record, &who), Error::<T>::NotIssuer);
			ensure!(
				record.status != DeviceStatus::Revoked,
				Error::<T>::DeviceRevoked
			);
			Self::replace_device_key(device, record, new_key, &proof, None)
		}

		/// Sets an attribute. The owner sets ordinary attributes; the issuing manufacturer sets
		/// certified ones, which the owner cannot change. The setter pays the deposit.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_attribute())]
		pub fn set_attribute(
			origin: OriginFor<T>,
			device: DeviceId,
			key: AttributeKey<T>,
			value: AttributeValue<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			ensure!(
				record.status != DeviceStatus::Revoked,
				Error::<T>::DeviceRevoked
			);
			let certified = Self::attribute_role(&record, &who)?;

			let previous = Attributes::<T>::get(device, &key);
			if let Some(previous) = &previous {
				ensure!(
					certified || !previous.certified,
					Error::<T>::AttributeCertified
				);
				Self::release(&previous.depositor, previous.deposit)?;
			} else {
				ensure!(
					record.attribute_count < T::MaxAttributes::get(),
					Error::<T>::TooManyAttributes
				);
				record.attribute_count.saturating_inc();
				Devices::<T>::insert(device, &record);
			}

			let mut attribute = Attribute::<T> {
				value,
				certified,
				depositor: who.clone(),
				deposit: Zero::zero(),
			};
			let deposit = Self::deposit_for(key.encoded_size() + attribute.encoded_size());
			T::Currency::hold(&HoldReason::DeviceDeposit.into(), &who, deposit)?;
			attribute.deposit = deposit;
			let value = attribute.value.clone();
			Attributes::<T>::insert(device, &key, attribute);
			Self::deposit_event(Event::AttributeSet {
				device,
				key,
				value,
				certified,
			});
			Ok(())
		}

		/// Removes an attribute and releases its deposit. The owner clears ordinary
		/// attributes; only the issuing manufacturer clears certified ones.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::clear_attribute())]
		pub fn clear_attribute(
			origin: OriginFor<T>,
			device: DeviceId,
			key: AttributeKey<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			let certified = Self::attribute_role(&record, &who)?;
			let attribute =
				Attributes::<T>::get(device, &key).ok_or(Error::<T>::UnknownAttribute)?;
			ensure!(
				certified || !attribute.certified,
				Error::<T>::AttributeCertified
			);

			Self::release(&attribute.depositor, attribute.deposit)?;
			Attributes::<T>::remove(device, &key);
			record.attribute_count.saturating_dec();
			Devices::<T>::insert(device, record);
			Self::deposit_event(Event::AttributeCleared { device, key });
			Ok(())
		}

		/// Suspends a device: it can no longer authenticate or sign. The owner suspends an active
		/// device (`Suspended`); the issuing manufacturer, while it is one, suspends an active or
		/// owner-suspended device (`SuspendedByIssuer`), which the owner can neither resume nor
		/// remove.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::suspend_device())]
		pub fn suspend_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let by_issuer = Devices::<T>::try_mutate(device, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownDevice)?;
				let by_issuer = Self::is_acting_issuer(record, &who);
				ensure!(
					by_issuer || record.owner == who,
					Error::<T>::NotOwnerOrIssuer
				);
				record.status = match (record.status, by_issuer) {
					(DeviceStatus::Revoked, _) => return Err(Error::<T>::DeviceRevoked.into()),
					(DeviceStatus::Active | DeviceStatus::Suspended, true) => {
						DeviceStatus::SuspendedByIssuer
					}
					(DeviceStatus::Active, false) => DeviceStatus::Suspended,
					_ => return Err(Error::<T>::DeviceNotActive.into()),
				};
				Ok::<_, DispatchError>(by_issuer)
			})?;
			Self::deposit_event(Event::DeviceSuspended {
				device,
				by: who,
				by_issuer,
			});
			Ok(())
		}

		/// Makes a suspended device active again. The admin origin or the issuing manufacturer
		/// (while it is one) lifts any suspension; the owner lifts only its own.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::resume_device())]
		pub fn resume_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let by = Self::admin_or_signed(origin)?;
			Devices::<T>::try_mutate(device, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownDevice)?;
				let authority = match &by {
					None => true,
					Some(who) if Self::is_acting_issuer(record, who) => true,
					Some(who) if record.owner == *who => false,
					Some(_) => return Err(Error::<T>::NotOwnerOrIssuer.into()),
				};
				match record.status {
					DeviceStatus::Revoked => return Err(Error::<T>::DeviceRevoked.into()),
					DeviceStatus::Active => return Err(Error::<T>::DeviceNotSuspended.into()),
					DeviceStatus::SuspendedByIssuer if !authority => {
						return Err(Error::<T>::SuspendedByIssuer.into())
					}
					DeviceStatus::Suspended | DeviceStatus::SuspendedByIssuer => {}
				}
				record.status = DeviceStatus::Active;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::DeviceResumed { device, by });
			Ok(())
		}

		/// Revokes a device for good (a cloned or compromised chip). The issuing manufacturer,
		/// while it is one, or the admin origin.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::revoke_device())]
		pub fn revoke_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let by = Self::admin_or_signed(origin)?;
			Devices::<T>::try_mutate(device, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownDevice)?;
				if let Some(who) = &by {
					ensure!(
						Self::is_acting_issuer(record, who),
						Error::<T>::NotIssuerOrAdmin
					);
				}
				ensure!(
					record.status != DeviceStatus::Revoked,
					Error::<T>::DeviceRevoked
				);
				record.status = DeviceStatus::Revoked;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::DeviceRevoked { device, by });
			Ok(())
		}

		/// Removes a device record with its attributes and releases every deposit to whoever
		/// paid it, but for a small one the record's depositor keeps held for the device's
		/// tombstone (its next nonce, so the id never accepts an old signature again). The owner,
		/// or the issuing manufacturer while it is one. A revoked device is never removed (it
		/// stays readable as revoked and its key stays bound); a device its issuer suspended is
		/// removed only by the issuer. The device's history stays in the events.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_device(T::MaxAttributes::get()))]
		pub fn remove_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let record = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?;
			let by_issuer = Self::is_acting_issuer(&record, &who);
			ensure!(
				by_issuer || record.owner == who,
				Error::<T>::NotOwnerOrIssuer
			);
			match record.status {
				DeviceStatus::Revoked => return Err(Error::<T>::RevokedDeviceStays.into()),
				DeviceStatus::SuspendedByIssuer if !by_issuer => {
					return Err(Error::<T>::SuspendedByIssuer.into())
				}
				_ => {}
			}

			let mut tombstone = Tombstone::<T> {
				nonce: record.nonce,
				depositor: record.depositor.clone(),
				deposit: Zero::zero(),
				issuer: record.issuer.clone(),
			};
			let kept = Self::deposit_for(device.encoded_size() + tombstone.encoded_size())
				.min(record.deposit);
			tombstone.deposit = kept;
			let mut released = record.deposit.saturating_sub(kept);
			Self::release(&record.depositor, released)?;
			let mut removed = 0u32;
			for (_, attribute) in Attributes::<T>::drain_prefix(device) {
				Self::release(&attribute.depositor, attribute.deposit)?;
				released = released.saturating_add(attribute.deposit);
				removed.saturating_inc();
			}
			Devices::<T>::remove(device);
			DeviceOfKey::<T>::remove(&record.key);
			DevicesByOwner::<T>::remove(&record.owner, device);
			Tombstones::<T>::insert(device, tombstone);
			Self::deposit_event(Event::DeviceRemoved {
				device,
				released,
				kept,
			});
			Ok(Some(T::WeightInfo::remove_device(removed)).into())
		}

		/// Provisions a batch of `device_count` devices in one transaction: `root` is the Merkle root
		/// (`binary_merkle_tree`, BLAKE2b-256) over each device's [`BatchLeaf::hash`], and every
		/// device gets `owner` as its first owner. Manufacturers only. One deposit, for the
		/// batch's record, is held from the manufacturer until it closes the batch; each device's
		/// record is stored, and paid for, when the device is claimed (`claim_device`).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::provision_batch())]
		pub fn provision_batch(
			origin: OriginFor<T>,
			root: H256,
			device_count: u32,
			owner: T::AccountId,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			ensure!(
				Manufacturers::<T>::contains_key(&issuer),
				Error::<T>::NotManufacturer
			);
			ensure!(device_count > 0, Error::<T>::EmptyBatch);
			let batch = NextBatchId::<T>::get();
			let next = batch.checked_add(1).ok_or(Error::<T>::TooManyBatches)?;
			let mut record = ProvisioningBatch::<T> {
				issuer: issuer.clone(),
				owner: owner.clone(),
				root,
				device_count,
				deposit: Zero::zero(),
				created_at: frame_system::Pallet::<T>::block_number(),
			};
			let deposit = Self::deposit_for(batch.encoded_size() + record.encoded_size());
			T::Currency::hold(&HoldReason::DeviceDeposit.into(), &issuer, deposit)?;
			record.deposit = deposit;
			Batches::<T>::insert(batch, record);
			NextBatchId::<T>::put(next);
			Self::deposit_event(Event::BatchProvisioned {
				batch,
				issuer,
				owner,
				root,
				device_count,
				deposit,
			});
			Ok(())
		}

		/// Claims device `leaf_index` of `batch`: `device`, `key` and `metadata` are its leaf
		/// (the metadata's BLAKE2b-256 digest is in the leaf) and `proof` the siblings from the
		/// leaf up. Stores the device's record as `register_device` would have, with the batch's
		/// manufacturer as issuer and the batch's owner as owner, nonce 0; the record's deposit is
		/// held from the submitter. Any account: the record is what the manufacturer committed
		/// to, so claiming someone else's device only pays for it. Refused while the batch's
		/// manufacturer is not one (governance removed it), for an id with another record or a
		/// tombstone, and for a key in use; a device claimed already with this key is a no-op. A
		/// device's first use is this call followed by the device's signed call in one
		/// `utility.batchAll`.
		#[pallet::call_index(14)]
		#[pallet::weight(
			T::WeightInfo::claim_device(proof.len() as u32, metadata.len() as u32)
				.saturating_add(Pallet::<T>::key_check_weight(key))
		)]
		pub fn claim_device(
			origin: OriginFor<T>,
			batch: BatchId,
			device: DeviceId,
			key: DevicePublicKey,
			metadata: DeviceMetadata<T>,
			leaf_index: u32,
			proof: BatchProof,
		) -> DispatchResult {
			let submitter = ensure_signed(origin)?;
			Self::claim(
				batch,
				device,
				key,
				metadata,
				leaf_index,
				proof,
				submitter,
				DeviceStatus::Active,
			)
		}

		/// Claims adjacent devices of `batch` at once (a carton, a reel of tags): `devices` are
		/// the leaves' parts of devices `first..first + devices.len()`, in order, and `proof` their
		/// range proof ([`viot_primitives::anchor::merkle_range_root`]; the SDK's
		/// `Batch::range_proof`), a few siblings for the whole range where `claim_device` takes
		/// a full proof for each device. Each record is stored as `claim_device` stores it, and
		/// one hold of all their deposits is taken from the submitter. A device of the range
		/// whose id has a record or a tombstone of the batch's manufacturer (claimed before,
		/// revoked by `revoke_batch_device`, its key rotated since, removed) is left as it is,
		/// so neither a claim that got there first nor the owner can make the range fail; another
		/// manufacturer's record or tombstone under an id, or a key in use or not valid, refuses
		/// the whole claim. The weight assumes the longest proof.
		#[pallet::call_index(17)]
		#[pallet::weight(
			T::WeightInfo::claim_devices(devices.len() as u32).saturating_add(
				devices.iter().fold(Weight::zero(), |weight, leaf| {
					weight.saturating_add(Pallet::<T>::key_check_weight(&leaf.key))
				})
			)
		)]
		pub fn claim_devices(
			origin: OriginFor<T>,
			batch: BatchId,
			first: u32,
			devices: BoundedVec<BatchDevice<T>, T::MaxDevicesPerClaim>,
			proof: RangeProof,
		) -> DispatchResult {
			use frame_support::ensure;
			let submitter = ensure_signed(origin)?;
			ensure!(!devices.is_empty(), Error::<T>::NothingToClaim);
			let info = Batches::<T>::get(batch).ok_or(Error::<T>::UnknownBatch)?;
			ensure!(
				Manufacturers::<T>::contains_key(&info.issuer),
				Error::<T>::NotManufacturer
			);
			let leaves: alloc::vec::Vec<BatchLeaf> = devices
				.iter()
				.map(|leaf| BatchLeaf::new(leaf.device, leaf.key.clone(), &leaf.metadata))
				.collect();
			ensure!(
				BatchLeaf::are_in_batch(&leaves, info.root, info.device_count, first, &proof),
				Error::<T>::BadBatchProof
			);
			let mut total = BalanceOf::<T>::zero();
			for BatchDevice {
				device,
				key,
				metadata,
			} in devices
			{
				// The batch's manufacturer's own devices under the id (claimed before, revoked,
				// rotated since or removed) stay as they are.
				if let Some(record) = Devices::<T>::get(device) {
					ensure!(
						record.issuer == info.issuer,
						Error::<T>::DeviceAlreadyExists
					);
					continue;
				}
				if Tombstones::<T>::get(device).is_some_and(|gone| gone.issuer == info.issuer) {
					continue;
				}
				Self::ensure_claimable(&device, &key)?;
				let record = Self::batch_record(
					&info,
					key.clone(),
					metadata,
					&submitter,
					DeviceStatus::Active,
				);
				let deposit = Self::insert_device(device, record);
				total.saturating_accrue(deposit);
				Self::deposit_event(Event::DeviceClaimed {
					device,
					batch,
					issuer: info.issuer.clone(),
					owner: info.owner.clone(),
					key,
					submitter: submitter.clone(),
					deposit,
				});
			}
			// One hold for the range; a failure undoes the whole call.
			T::Currency::hold(&HoldReason::DeviceDeposit.into(), &submitter, total)?;
			Ok(())
		}

		/// Revokes device `leaf_index` of `batch` for good: if nobody claimed it yet, its record
		/// is stored as revoked (the manufacturer pays its deposit), so it can never be used and
		/// its key stays bound; if a claim got there first, that record is revoked, as
		/// `revoke_device` would. The batch's manufacturer, while it is one.
		#[pallet::call_index(15)]
		#[pallet::weight(
			T::WeightInfo::claim_device(proof.len() as u32, metadata.len() as u32)
				.saturating_add(Pallet::<T>::key_check_weight(key))
				.saturating_add(T::WeightInfo::revoke_device())
		)]
		pub fn revoke_batch_device(
			origin: OriginFor<T>,
			batch: BatchId,
			device: DeviceId,
			key: DevicePublicKey,
			metadata: DeviceMetadata<T>,
			leaf_index: u32,
			proof: BatchProof,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let issuer = Batches::<T>::get(batch)
				.ok_or(Error::<T>::UnknownBatch)?
				.issuer;
			ensure!(issuer == who, Error::<T>::NotBatchIssuer);
			if let Some(mut record) = Devices::<T>::get(device) {
				// Claimed first (e.g. by whoever holds a leaked key, racing the revocation): its
				// issuer revokes it as `revoke_device` would.
				ensure!(
					Self::is_acting_issuer(&record, &who),
					Error::<T>::DeviceAlreadyExists
				);
				ensure!(
					record.status != DeviceStatus::Revoked,
					Error::<T>::DeviceRevoked
				);
				record.status = DeviceStatus::Revoked;
				Devices::<T>::insert(device, record);
			} else {
				Self::claim(
					batch,
					device,
					key,
					metadata,
					leaf_index,
					proof,
					who.clone(),
					DeviceStatus::Revoked,
				)?;
			}
			Self::deposit_event(Event::DeviceRevoked {
				device,
				by: Some(who),
			});
			Ok(())
		}

		/// Closes a batch: none of its devices that are not claimed yet can be claimed any more,
		/// and the batch's deposit goes back to its manufacturer. Claimed devices stay. The
		/// batch's manufacturer (also after governance removed it) or the admin origin.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::close_batch())]
		pub fn close_batch(origin: OriginFor<T>, batch: BatchId) -> DispatchResult {
			let by = Self::admin_or_signed(origin)?;
			let record = Batches::<T>::get(batch).ok_or(Error::<T>::UnknownBatch)?;
			if let Some(who) = &by {
				ensure!(record.issuer == *who, Error::<T>::NotBatchIssuer);
			}
			// Whatever is still held of the deposit: a batch always closes.
			let released = T::Currency::release(
				&HoldReason::DeviceDeposit.into(),
				&record.issuer,
				record.deposit,
				Precision::BestEffort,
			)?;
			Batches::<T>::remove(batch);
			Self::deposit_event(Event::BatchClosed { batch, released });
			Ok(())
		}

		/// Submits a device's answer to its challenge: its signature over the `Authenticate`
		/// payload at its current nonce (`DeviceIdentityApi::challenge`). Any account may
		/// submit it, so a gateway pays and the device holds no funds.
		#[pallet::call_index(11)]
		#[pallet::weight(Pallet::<T>::verify_weight(signature))]
		pub fn authenticate(
			origin: OriginFor<T>,
			device: DeviceId,
			signature: DeviceSignature,
		) -> DispatchResult {
			let submitter = ensure_signed(origin)?;
			let nonce = Self::consume_signature(&device, DeviceAction::Authenticate, &signature)?;
			Self::deposit_event(Event::DeviceAuthenticated {
				device,
				nonce,
				submitter,
			});
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// This chain's genesis hash, which every device payload names.
	pub fn genesis_hash() -> H256 {
		frame_system::Pallet::<T>::block_hash(
			frame_system::pallet_prelude::BlockNumberFor::<T>::zero(),
		)
	}

	/// The payload `device` signs for `action` at `nonce` on this chain.
	pub fn payload(device: DeviceId, nonce: u64, action: DeviceAction) -> DevicePayload {
		DevicePayload::new(Self::genesis_hash(), device, nonce, action)
	}

	/// Checks `proof` (and `current_key_signature`, when given) over the device's rotation
	/// payload at its nonce and makes `new_key` the device's key.
	fn replace_device_key(
		device: DeviceId,
		mut record: Device<T>,
		new_key: DevicePublicKey,
		proof: &DeviceSignature,
		current_key_signature: Option<&DeviceSignature>,
	) -> DispatchResult {
		frame_support::ensure!(record.key != new_key, Error::<T>::SameKey);
		frame_support::ensure!(new_key.is_valid(), Error::<T>::InvalidPublicKey);
		frame_support::ensure!(
			!DeviceOfKey::<T>::contains_key(&new_key),
			Error::<T>::KeyInUse
		);
		let action = DeviceAction::RotateKey {
			new_key: new_key.clone(),
		};
		let message = Self::payload(device, record.nonce, action).to_bytes();
		frame_support::ensure!(new_key.verify(&message, proof), Error::<T>::BadSignature);
		if let Some(signature) = current_key_signature {
			frame_support::ensure!(
				record.key.verify(&message, signature),
				Error::<T>::BadCurrentKeySignature
			);
		}
		record.nonce = record
			.nonce
			.checked_add(1)
			.ok_or(Error::<T>::NonceOverflow)?;
		let old_key = core::mem::replace(&mut record.key, new_key.clone());
		DeviceOfKey::<T>::remove(&old_key);
		DeviceOfKey::<T>::insert(&new_key, device);
		Devices::<T>::insert(device, record);
		Self::deposit_event(Event::KeyRotated {
			device,
			old_key,
			new_key,
			by_issuer: current_key_signature.is_none(),
		});
		Ok(())
	}

	/// Stores the record of device `leaf_index` of `batch` after checking its membership proof,
	/// with `status`, the deposit held from `payer`.
	#[allow(clippy::too_many_arguments)]
	fn claim(
		batch: BatchId,
		device: DeviceId,
		key: DevicePublicKey,
		metadata: DeviceMetadata<T>,
		leaf_index: u32,
		proof: BatchProof,
		payer: T::AccountId,
		status: DeviceStatus,
	) -> DispatchResult {
		use frame_support::ensure;
		let info = Batches::<T>::get(batch).ok_or(Error::<T>::UnknownBatch)?;
		ensure!(
			Manufacturers::<T>::contains_key(&info.issuer),
			Error::<T>::NotManufacturer
		);
		ensure!(
			BatchLeaf::new(device, key.clone(), &metadata).is_in_batch(
				info.root,
				info.device_count,
				leaf_index,
				proof.into_inner()
			),
			Error::<T>::BadBatchProof
		);
		if let Some(record) = Devices::<T>::get(device) {
			ensure!(
				record.issuer == info.issuer && record.key == key,
				Error::<T>::DeviceAlreadyExists
			);
			ensure!(
				record.status != DeviceStatus::Revoked,
				Error::<T>::DeviceRevoked
			);
			// The same device claimed before (e.g. by someone racing its gateway): nothing to do,
			// so the rest of a first use's `batchAll` goes on.
			ensure!(
				status == DeviceStatus::Active,
				Error::<T>::DeviceAlreadyExists
			);
			return Ok(());
		}
		Self::ensure_claimable(&device, &key)?;
		let record = Self::batch_record(&info, key.clone(), metadata, &payer, status);
		let deposit = Self::store_device(device, record)?;
		Self::deposit_event(Event::DeviceClaimed {
			device,
			batch,
			issuer: info.issuer,
			owner: info.owner,
			key,
			submitter: payer,
			deposit,
		});
		Ok(())
	}

	/// Refuses a device of a batch that has no record yet when its id was used before or its
	/// key is not valid or is another device's.
	fn ensure_claimable(device: &DeviceId, key: &DevicePublicKey) -> DispatchResult {
		use frame_support::ensure;
		ensure!(
			!Tombstones::<T>::contains_key(device),
			Error::<T>::IdUsedBefore
		);
		ensure!(key.is_valid(), Error::<T>::InvalidPublicKey);
		ensure!(!DeviceOfKey::<T>::contains_key(key), Error::<T>::KeyInUse);
		Ok(())
	}

	/// The record a claim stores for a device of the batch `info`, paid by `payer`.
	fn batch_record(
		info: &ProvisioningBatch<T>,
		key: DevicePublicKey,
		metadata: DeviceMetadata<T>,
		payer: &T::AccountId,
		status: DeviceStatus,
	) -> Device<T> {
		Device::<T> {
			key,
			owner: info.owner.clone(),
			issuer: info.issuer.clone(),
			status,
			nonce: 0,
			metadata,
			attribute_count: 0,
			depositor: payer.clone(),
			deposit: Zero::zero(),
			registered_at: frame_system::Pallet::<T>::block_number(),
		}
	}

	/// The provisioning batch, for the runtime API.
	pub fn batch_info(
		batch: BatchId,
	) -> Option<
		BatchInfo<T::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>,
	> {
		Batches::<T>::get(batch).map(|b| BatchInfo {
			issuer: b.issuer,
			owner: b.owner,
			root: b.root,
			device_count: b.device_count,
			deposit: b.deposit,
			created_at: b.created_at,
		})
	}

	/// Stores a new device's record with its key and owner index entries and holds the record's
	/// deposit from its depositor; returns the deposit.
	fn store_device(device: DeviceId, record: Device<T>) -> Result<BalanceOf<T>, DispatchError> {
		let depositor = record.depositor.clone();
		let deposit = Self::insert_device(device, record);
		T::Currency::hold(&HoldReason::DeviceDeposit.into(), &depositor, deposit)?;
		Ok(deposit)
	}

	/// Stores a new device's record, with its deposit set, and its key and owner index entries;
	/// returns the deposit, which the caller holds from the record's depositor.
	fn insert_device(device: DeviceId, mut record: Device<T>) -> BalanceOf<T> {
		let deposit = Self::record_deposit(device, &record);
		record.deposit = deposit;
		DeviceOfKey::<T>::insert(&record.key, device);
		DevicesByOwner::<T>::insert(&record.owner, device, ());
		Devices::<T>::insert(device, record);
		deposit
	}

	/// Deposit for a device record and the index entries it adds: the key's (key and id) and
	/// the owner's (account and id).
	fn record_deposit(device: DeviceId, record: &Device<T>) -> BalanceOf<T> {
		let id = device.encoded_size();
		Self::deposit_for(
			record.encoded_size()
				+ record.key.encoded_size()
				+ id + record.owner.encoded_size()
				+ id,
		)
	}

	/// Weight of a transfer that clears `attributes` of the previous owner's attributes: each is
	/// weighed as a `clear_attribute`.
	fn transfer_weight(attributes: u32) -> Weight {
		T::WeightInfo::transfer_device()
			.saturating_add(T::WeightInfo::clear_attribute().saturating_mul(attributes.into()))
	}

	/// `None` for the admin origin, the signer for a signed origin.
	fn admin_or_signed(
		origin: frame_system::pallet_prelude::OriginFor<T>,
	) -> Result<Option<T::AccountId>, DispatchError> {
		match T::AdminOrigin::try_origin(origin) {
			Ok(_) => Ok(None),
			Err(origin) => Ok(Some(frame_system::ensure_signed(origin)?)),
		}
	}

	/// Whether `who` issued the device and governance still trusts it as a manufacturer: the
	/// condition of every issuer power.
	fn is_acting_issuer(record: &Device<T>, who: &T::AccountId) -> bool {
		record.issuer == *who && Manufacturers::<T>::contains_key(who)
	}

	/// Deposit for a record of `bytes` encoded bytes.
	fn deposit_for(bytes: usize) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (bytes as u32).into();
		T::DepositBase::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// Releases exactly `amount` held from `who` as a device deposit.
	fn release(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::DeviceDeposit.into(),
			who,
			amount,
			Precision::Exact,
		)?;
		Ok(())
	}

	/// Whether `who` sets certified attributes (the issuing manufacturer, while it is one) or
	/// ordinary ones (the owner); anybody else is refused.
	fn attribute_role(record: &Device<T>, who: &T::AccountId) -> Result<bool, DispatchError> {
		if Self::is_acting_issuer(record, who) {
			Ok(true)
		} else if record.owner == *who {
			Ok(false)
		} else {
			Err(Error::<T>::NotOwnerOrIssuer.into())
		}
	}

	/// Checks a device signature over `action` at the device's current nonce.
	fn check(
		device: &DeviceId,
		action: DeviceAction,
		signature: &DeviceSignature,
	) -> Result<Device<T>, DeviceCheckError> {
		let record = Devices::<T>::get(device).ok_or(DeviceCheckError::UnknownDevice)?;
		if record.status != DeviceStatus::Active {
			return Err(DeviceCheckError::DeviceNotActive);
		}
		let message = Self::payload(*device, record.nonce, action).to_bytes();
		if !record.key.verify(&message, signature) {
			return Err(DeviceCheckError::BadSignature);
		}
		Ok(record)
	}

	/// Accepts a device signature and advances the device's nonce; returns the nonce used.
	fn consume_signature(
		device: &DeviceId,
		action: DeviceAction,
		signature: &DeviceSignature,
	) -> Result<u64, DispatchError> {
		let mut record = Self::check(device, action, signature).map_err(|error| match error {
			DeviceCheckError::UnknownDevice => Error::<T>::UnknownDevice,
			DeviceCheckError::DeviceNotActive => Error::<T>::DeviceNotActive,
			DeviceCheckError::BadSignature => Error::<T>::BadSignature,
		})?;
		let used = record.nonce;
		record.nonce = used.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
		Devices::<T>::insert(device, record);
		Ok(used)
	}

	/// Weight of checking that `key` is a valid key of its type (`DevicePublicKey::is_valid`),
	/// added to the calls that check one: their benchmarks use a P-256 key, and an Ed25519 check
	/// (decompression, torsion and canonical encoding) costs more.
	pub fn key_check_weight(key: &DevicePublicKey) -> Weight {
		match key {
			DevicePublicKey::Sr25519(_) => T::WeightInfo::check_key_sr25519(),
			DevicePublicKey::Ed25519(_) => T::WeightInfo::check_key_ed25519(),
			DevicePublicKey::Ecdsa(_) => T::WeightInfo::check_key_ecdsa(),
			DevicePublicKey::P256(_) => T::WeightInfo::check_key_p256(),
		}
	}

	/// Weight of checking and consuming one device signature of `signature`'s key type.
	pub fn verify_weight(signature: &DeviceSignature) -> Weight {
		match signature {
			DeviceSignature::Sr25519(_) => T::WeightInfo::authenticate_sr25519(),
			DeviceSignature::Ed25519(_) => T::WeightInfo::authenticate_ed25519(),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::authenticate_ecdsa(),
			DeviceSignature::P256(_) => T::WeightInfo::authenticate_p256(),
		}
	}

	/// The device and its attributes, for the runtime API.
	pub fn device_info(
		device: DeviceId,
	) -> Option<
		DeviceInfo<T::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>,
	> {
		let record = Devices::<T>::get(device)?;
		let attributes = Attributes::<T>::iter_prefix(device)
			.map(|(key, attribute)| AttributeInfo {
				key: key.into_inner(),
				value: attribute.value.into_inner(),
				certified: attribute.certified,
			})
			.collect();
		Some(DeviceInfo {
			key: record.key,
			owner: record.owner,
			issuer: record.issuer,
			status: record.status,
			nonce: record.nonce,
			metadata: record.metadata.into_inner(),
			attributes,
			deposit: record.deposit,
			registered_at: record.registered_at,
		})
	}

	/// A page of the devices `owner` owns, for the runtime API.
	pub fn devices_of(
		owner: T::AccountId,
		start_after: Option<DeviceId>,
		count: u32,
	) -> Vec<DeviceId> {
		let count = count.min(MAX_PAGE) as usize;
		match start_after {
			Some(last) => {
				let from = DevicesByOwner::<T>::hashed_key_for(&owner, last);
				DevicesByOwner::<T>::iter_key_prefix_from(&owner, from)
					.take(count)
					.collect()
			}
			None => DevicesByOwner::<T>::iter_key_prefix(&owner)
				.take(count)
				.collect(),
		}
	}

	/// The manufacturer's record, for the runtime API.
	pub fn manufacturer_info(
		who: T::AccountId,
	) -> Option<ManufacturerInfo<frame_system::pallet_prelude::BlockNumberFor<T>>> {
		Manufacturers::<T>::get(who).map(|m| ManufacturerInfo {
			name: m.name.into_inner(),
			since: m.since,
		})
	}

	/// The payload `device` must sign to authenticate now, for the runtime API.
	pub fn challenge(device: DeviceId) -> Option<DevicePayload> {
		let record = Devices::<T>::get(device)?;
		Some(Self::payload(
			device,
			record.nonce,
			DeviceAction::Authenticate,
		))
	}

	/// Read-only signature check, for the runtime API.
	pub fn check_signature(
		device: DeviceId,
		action: DeviceAction,
		signature: DeviceSignature,
	) -> Result<(), DeviceCheckError> {
		Self::check(&device, action, &signature).map(|_| ())
	}

	/// Invariants: every index entry matches a record, a registered id has no tombstone, every
	/// batch is numbered below the counter and holds at least one device, and every
	/// record's, attribute's, tombstone's and batch's deposit is held.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::fungible::InspectHold};
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		let mut devices = 0u32;
		for (id, record) in Devices::<T>::iter() {
			devices.saturating_inc();
			ensure!(
				DeviceOfKey::<T>::get(&record.key) == Some(id),
				"key index does not match"
			);
			ensure!(
				DevicesByOwner::<T>::contains_key(&record.owner, id),
				"owner index does not match"
			);
			let attributes = Attributes::<T>::iter_prefix(id).collect::<Vec<_>>();
			ensure!(
				attributes.len() as u32 == record.attribute_count,
				"attribute count does not match"
			);
			ensure!(
				record.attribute_count <= T::MaxAttributes::get(),
				"too many attributes"
			);
			let entry = held.entry(record.depositor.clone()).or_default();
			*entry = entry.saturating_add(record.deposit);
			for (_, attribute) in attributes {
				let entry = held.entry(attribute.depositor.clone()).or_default();
				*entry = entry.saturating_add(attribute.deposit);
			}
			ensure!(
				!Tombstones::<T>::contains_key(id),
				"a registered device has a tombstone"
			);
		}
		for (_, tombstone) in Tombstones::<T>::iter() {
			let entry = held.entry(tombstone.depositor.clone()).or_default();
			*entry = entry.saturating_add(tombstone.deposit);
		}
		for (id, batch) in Batches::<T>::iter() {
			ensure!(
				id < NextBatchId::<T>::get(),
				"a batch numbered beyond the counter"
			);
			ensure!(batch.device_count > 0, "an empty batch");
			let entry = held.entry(batch.issuer.clone()).or_default();
			*entry = entry.saturating_add(batch.deposit);
		}
		ensure!(
			DeviceOfKey::<T>::iter().count() as u32 == devices,
			"stale key index entries"
		);
		ensure!(
			DevicesByOwner::<T>::iter().count() as u32 == devices,
			"stale owner index entries"
		);
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DeviceDeposit.into(), &who) == amount,
				"held deposits do not match records"
			);
		}
		Ok(())
	}
}

impl<T: Config> VerifyDevice for Pallet<T> {
	fn verify_and_consume(
		device: &DeviceId,
		action: DeviceAction,
		signature: &DeviceSignature,
	) -> DispatchResult {
		Self::consume_signature(device, action, signature).map(|_| ())
	}

	fn is_active(device: &DeviceId) -> bool {
		Devices::<T>::get(device).is_some_and(|record| record.status == DeviceStatus::Active)
	}

	fn payload(device: &DeviceId, action: DeviceAction) -> Option<DevicePayload> {
		Devices::<T>::get(device).map(|record| Self::payload(*device, record.nonce, action))
	}
}
