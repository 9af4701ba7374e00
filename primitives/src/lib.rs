//! Types shared by every VIoT component: the runtime, the node, the relayer and the SDK.
//!
//! The node knows the runtime only through these opaque types and the runtime's WASM, so a
//! runtime upgrade never needs a new node binary as long as these stay the same.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod anchor;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod child;
pub mod device;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(feature = "full_crypto")]
pub mod keys;
pub mod lanes;
pub mod offchain;
mod p256_ecdsa;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};

/// A signature on a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account on a VIoT chain: the 32-byte public key (or its hash, for ecdsa) of its signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of the chain's token, in its smallest unit (1 VIOT = 10^12 units).
pub type Balance = u128;

/// The number of transactions an account has sent.
pub type Nonce = u32;

/// The hash of a block, an extrinsic or a state trie node.
pub type Hash = sp_core::H256;

/// The height of a block.
pub type BlockNumber = u32;

/// The hasher of blocks and state tries.
pub type Hashing = BlakeTwo256;

/// The layout of VIoT transactions: the runtime's `transaction_version`. Raised whenever the
/// transaction extensions or a call's encoding change; tools that build transactions without the
/// runtime's metadata (the relayer) refuse a chain with another version.
pub const TRANSACTION_VERSION: u32 = 4;

/// Token facts every VIoT chain shares unless its chain spec says otherwise.
pub mod currency {
	use super::Balance;

	/// Number of decimals of the token: 1 VIOT is 10^12 of its smallest unit.
	pub const DECIMALS: u8 = 12;
	/// Symbol of the parent chain's token.
	pub const TOKEN_SYMBOL: &str = "VIOT";
	/// One whole token.
	pub const UNIT: Balance = 10u128.pow(DECIMALS as u32);
	/// A thousandth of a token.
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// A millionth of a token.
	pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
	/// The least balance an account must hold to exist: a hundredth of a VIOT.
	///
	/// High enough that creating millions of dust accounts to bloat the state costs real money,
	/// low enough that a device gateway can be funded with a few VIOT.
	pub const EXISTENTIAL_DEPOSIT: Balance = 10 * MILLI_UNIT;
	/// The SS58 address prefix: 42, the generic Substrate prefix, so addresses read the same in
	/// every Polkadot.js tool without a custom registry entry.
	pub const SS58_PREFIX: u16 = 42;
}

/// Block-time facts.
pub mod time {
	use super::BlockNumber;

	/// Target time between two blocks, in milliseconds.
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	/// Aura slot length of a chain whose genesis sets none (production chains); fixed for the
	/// life of a chain. Block-counted periods below assume it.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
	/// Slot length of the dev and test chains (the `development`, `local_testnet` and child
	/// presets): blocks every second, so that a transaction is in a block and final within a
	/// few seconds while developing and testing. Block-counted periods (`DAYS` and so on) pass
	/// six times faster there.
	pub const DEV_SLOT_DURATION: u64 = 1_000;
	/// Shortest slot a genesis may set, in milliseconds.
	pub const MIN_SLOT_DURATION: u64 = 500;
	/// Longest slot a genesis may set, in milliseconds.
	pub const MAX_SLOT_DURATION: u64 = 60_000;

	/// Whether `slot_duration` (ms) can be a chain's slot: within the bounds and even, as the
	/// minimum gap between block timestamps is half of it.
	pub const fn valid_slot_duration(slot_duration: u64) -> bool {
		slot_duration >= MIN_SLOT_DURATION
			&& slot_duration <= MAX_SLOT_DURATION
			&& slot_duration.is_multiple_of(2)
	}
	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Types the node uses without knowing the runtime's call or event types.
pub mod opaque {
	use super::*;

	/// An extrinsic as opaque bytes.
	pub type UncheckedExtrinsic = sp_runtime::OpaqueExtrinsic;
	/// A block header.
	pub type Header = generic::Header<BlockNumber, Hashing>;
	/// A block with opaque extrinsics.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
}
