//! # Message lanes pallet
//!
//! Moves tokens between two VIoT chains (a parent and a child, or any two that follow each
//! other's GRANDPA finality with `pallet-child-chains`) by messages that a relayer carries and
//! the receiving chain proves itself: every message is read with a storage proof against a
//! header of the sender that the receiver's light client finalized. Nobody is trusted to say
//! what was sent.
//!
//! - **Lanes.** One per counterpart, named by its genesis hash. The outbound half is a
//!   nonce-ordered queue ([`OutboundMessages`], at most [`Config::MaxQueuedMessages`] awaiting
//!   confirmation, each backed by a deposit); the inbound half ([`InboundLanes`]) records the
//!   last message executed and who delivered the ones not confirmed yet.
//! - **Delivery** ([`Pallet::receive_messages`], anyone): messages `last_delivered + 1 ..= n`
//!   proven against a verified header of the source, executed in order; duplicates, gaps and
//!   replays fail by name. A message whose execution fails (say its beneficiary would hold
//!   less than the existential deposit) is answered by a refund message back.
//! - **Confirmation** ([`Pallet::confirm_delivery`], anyone): the destination's inbound lane,
//!   proven against a verified header of the destination, lets the source prune what was
//!   delivered, return the deposits and pay each message's delivery fee to its relayer.
//! - **Tokens** ([`Pallet::send_tokens`]). A chain's own token is locked here (in the pallet's
//!   escrow account, counted per counterpart in [`Locked`]) and minted wrapped on the
//!   counterpart (a `fungibles` asset whose id is this chain's genesis hash); the wrapped token
//!   comes back by being burned there and released here. So the counterpart can never release
//!   more than was locked for it, whatever it claims: `Locked` bounds the damage a dishonest
//!   counterpart can do.
//! - **Instructions** are typed ([`Instruction`]): mint wrapped, release native. No dispatch.
//! - **Governance** halts and resumes a lane ([`Pallet::set_lane_halted`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use extension::CheckMessageDelivery;
pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use viot_primitives::lanes::{
	DeliveredBy, DeliveryOutcome, InboundLane, Instruction, LaneInfo, Message, MessageNonce,
	OutboundLane, OutboundMessage, Token,
};
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo},
	ensure,
	traits::{
		fungible::{self, Inspect as _, Mutate as _, MutateHold as _},
		fungibles::{self, roles::Inspect as _, Create as _, Inspect as _, Mutate as _},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
	PalletId,
};
use sp_core::H256;
use sp_runtime::{
	traits::{AccountIdConversion, CheckedSub, Zero},
	DispatchError, Saturating,
};
use viot_primitives::child::{ChainId, ChildProofError};

/// The counterparts' state, as this chain's light clients verified it.
pub trait CounterpartChains {
	/// The id of the approved chain whose genesis hash is `genesis`.
	fn chain_id(genesis: &H256) -> Option<ChainId>;
	/// Reads `keys` from the state of the verified block `block_hash` of `chain_id` through one
	/// storage proof: each key's value, or `None` where the proof shows it absent.
	fn read_storage(
		chain_id: ChainId,
		block_hash: H256,
		keys: &[Vec<u8>],
		proof: Vec<Vec<u8>>,
	) -> Result<Vec<Option<Vec<u8>>>, ChildProofError>;
}

/// Sets up counterparts for benchmarks, in whatever way the runtime's [`CounterpartChains`]
/// knows them.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes `genesis` an approved counterpart with a verified header whose state root is
	/// `state_root`; returns the header's hash.
	fn verified_header(genesis: H256, state_root: H256) -> H256;
}

/// The balance type of the native token.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A message of this chain's lanes.
pub type MessageOf<T> = Message<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// An instruction of this chain's lanes.
pub type InstructionOf<T> = Instruction<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A queued message of this chain's lanes.
pub type OutboundMessageOf<T> =
	OutboundMessage<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// What the runtime API returns about a lane.
pub type LaneInfoOf<T> = LaneInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// The migration that adds this pallet to a running chain: gives the escrow account the
/// existential deposit ([`Pallet::endow_escrow`]), as the genesis build does on a new chain.
/// Does nothing where the escrow holds it already, so it may stay in a release's migrations.
pub struct EndowEscrow<T>(core::marker::PhantomData<T>);

impl<T: Config> frame_support::traits::OnRuntimeUpgrade for EndowEscrow<T> {
	fn on_runtime_upgrade() -> frame_support::weights::Weight {
		Pallet::<T>::endow_escrow();
		// The escrow's account: read, and written with the issuance when minted.
		T::DbWeight::get().reads_writes(2, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			T::Currency::balance(&Pallet::<T>::escrow()) >= T::Currency::minimum_balance(),
			"the lanes' escrow holds less than the existential deposit"
		);
		Ok(())
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// This chain's token: locked when it leaves, released when it comes back; deposits
		/// and delivery fees are held in it.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The counterparts' tokens, wrapped: asset id = the counterpart's genesis hash.
		/// Only tokens whose owner is the escrow account count: the runtime must let nobody
		/// else create assets in this instance, and the pallet refuses any it does not own.
		type Assets: fungibles::Mutate<Self::AccountId, AssetId = H256, Balance = BalanceOf<Self>>
			+ fungibles::Create<Self::AccountId>
			+ fungibles::roles::Inspect<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The counterparts' verified state (the `ChildChains` light clients).
		type Counterparts: CounterpartChains;

		/// Who halts and resumes lanes.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The escrow account's id: it holds the tokens locked for every counterpart.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Deposit held from a sender for each queued message until its delivery is confirmed.
		#[pallet::constant]
		type MessageDeposit: Get<BalanceOf<Self>>;

		/// Paid by the sender of each message to the relayer that delivers it (held at sending,
		/// paid at confirmation).
		#[pallet::constant]
		type DeliveryFee: Get<BalanceOf<Self>>;

		/// Least amount of a wrapped token an account may hold: the minimum balance the
		/// pallet gives each wrapped token it creates.
		#[pallet::constant]
		type WrappedMinBalance: Get<BalanceOf<Self>>;

		/// Most messages senders may have queued on one lane and not confirmed. Refunds have
		/// a queue of the same size of their own, so that senders filling theirs never stop a
		/// delivery from refunding.
		#[pallet::constant]
		type MaxQueuedMessages: Get<u32>;

		/// Most messages one delivery or one confirmation takes.
		#[pallet::constant]
		type MaxMessagesPerDelivery: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets up counterparts for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A queued message's deposit and delivery fee.
		#[codec(index = 0)]
		MessageDeposit,
	}

	/// Outbound half of the lane to each counterpart (by genesis hash).
	#[pallet::storage]
	pub type OutboundLanes<T: Config> =
		StorageMap<_, Blake2_128Concat, H256, OutboundLane, ValueQuery>;

	/// Queued messages of each outbound lane, until their delivery is confirmed. The
	/// counterpart reads them with a storage proof.
	#[pallet::storage]
	pub type OutboundMessages<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		H256,
		Twox64Concat,
		MessageNonce,
		OutboundMessageOf<T>,
		OptionQuery,
	>;

	/// Inbound half of the lane from each counterpart (by genesis hash). The counterpart reads
	/// it with a storage proof to confirm delivery.
	#[pallet::storage]
	pub type InboundLanes<T: Config> =
		StorageMap<_, Blake2_128Concat, H256, InboundLane<T::AccountId>, ValueQuery>;

	/// Refunds queued on each outbound lane and not confirmed (they are also counted in the
	/// lane's nonces).
	#[pallet::storage]
	pub type QueuedRefunds<T: Config> = StorageMap<_, Blake2_128Concat, H256, u32, ValueQuery>;

	/// This chain's token locked in escrow for each counterpart: what the counterpart may have
	/// minted wrapped and may ask back.
	#[pallet::storage]
	pub type Locked<T: Config> = StorageMap<_, Blake2_128Concat, H256, BalanceOf<T>, ValueQuery>;

	/// Lanes governance halted, with the block of the halt.
	#[pallet::storage]
	pub type HaltedLanes<T: Config> =
		StorageMap<_, Blake2_128Concat, H256, BlockNumberFor<T>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		_config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::endow_escrow();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Tokens left for a counterpart.
		TokensSent {
			/// The counterpart's genesis hash.
			counterpart: H256,
			/// The message's nonce in the lane.
			nonce: MessageNonce,
			/// Who sent them.
			sender: T::AccountId,
			/// This chain's token (locked) or the counterpart's wrapped (burned).
			token: Token,
			/// What the counterpart will do.
			instruction: InstructionOf<T>,
		},
		/// A counterpart's message was delivered and executed, or refunded.
		MessageDelivered {
			/// The counterpart's genesis hash.
			counterpart: H256,
			/// The message's nonce in the counterpart's lane.
			nonce: MessageNonce,
			/// Who delivered it (and is paid its fee when the counterpart confirms).
			relayer: T::AccountId,
			/// What it asked.
			instruction: InstructionOf<T>,
			/// Executed, refunded, or (a refund itself) failed.
			outcome: DeliveryOutcome,
		},
		/// A refund was queued for a message of a counterpart whose execution failed.
		RefundQueued {
			/// The counterpart's genesis hash.
			counterpart: H256,
			/// The refund's nonce in this chain's lane to the counterpart.
			refund: MessageNonce,
			/// The failed message's nonce in the counterpart's lane.
			refund_of: MessageNonce,
			/// Why it failed.
			error: DispatchError,
		},
		/// A counterpart's executed messages were confirmed: pruned, their deposits returned
		/// and their fees paid to their relayers.
		DeliveryConfirmed {
			/// The counterpart's genesis hash.
			counterpart: H256,
			/// The lane's last confirmed nonce now.
			latest_confirmed: MessageNonce,
			/// How many messages were confirmed.
			messages: u32,
			/// Fees paid to relayers.
			rewards: BalanceOf<T>,
		},
		/// Governance halted or resumed a lane.
		LaneHalted {
			/// The counterpart's genesis hash.
			counterpart: H256,
			/// Halted (`true`) or resumed.
			halted: bool,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The counterpart is not a chain this chain's light client follows (unknown, pending
		/// or removed).
		UnknownCounterpart,
		/// Governance halted the lane.
		LaneHalted,
		/// The lane already queues `MaxQueuedMessages` unconfirmed messages; a relayer must
		/// confirm deliveries first.
		LaneFull,
		/// The lane back to the source already queues `MaxQueuedMessages` unconfirmed refunds,
		/// and a message of this delivery would need one more: a relayer must first deliver the
		/// refunds to the source and confirm them here.
		RefundQueueFull,
		/// An asset with the counterpart's genesis hash as its id exists that this pallet did
		/// not create: it is not the counterpart's token.
		ForeignWrappedToken,
		/// Less than the least amount: the existential deposit for this chain's token, the
		/// wrapped token's minimum balance for a wrapped one.
		AmountTooLow,
		/// This chain holds none of the counterpart's token wrapped.
		NoWrappedToken,
		/// The delivery starts at a message delivered already (a replay or a duplicate).
		AlreadyDelivered,
		/// The delivery starts after the message that comes next: it would leave a gap.
		MessageGap,
		/// The delivery's last message comes before its first.
		NothingToDeliver,
		/// More messages than `MaxMessagesPerDelivery` at once.
		TooManyMessages,
		/// The source says it never sent that message.
		MessageNotSent,
		/// The proof leaves out a message (or the lane) it must show.
		MissingFromProof,
		/// A proven value does not decode as the lane's type.
		UndecodableProof,
		/// The counterpart keeps no verified header with that hash (never verified, or pruned).
		UnknownHeader,
		/// The storage proof does not prove the values under the header's state root.
		InvalidStorageProof,
		/// The storage proof has too many nodes or bytes, or an empty node.
		StorageProofTooLarge,
		/// The inbound lane records `MAX_UNCONFIRMED_RELAYER_ENTRIES` runs of deliveries the
		/// source has not confirmed; a relayer must confirm on the source first.
		TooManyUnconfirmedRelayers,
		/// The counterpart has not executed anything newer than what was confirmed.
		NothingToConfirm,
		/// The counterpart claims to have executed messages this chain never sent.
		ConfirmsUnsentMessages,
		/// The counterpart asks to release more than was ever locked for it.
		ReleaseExceedsLocked,
		/// The lane is already in that state.
		AlreadyInThatState,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sends `amount` of `token` to `beneficiary` on `counterpart` (a chain this chain's
		/// light client follows, by genesis hash): this chain's own token is locked here and
		/// minted wrapped there; the counterpart's token held wrapped here is burned here and
		/// released there. Holds `MessageDeposit` until the delivery is confirmed and
		/// `DeliveryFee` for the relayer who delivers. At least the existential deposit of this
		/// chain's token, or the wrapped token's minimum balance, so that a refund can be paid
		/// back into any account. Sending a wrapped token's whole balance but less than its
		/// minimum sends the dust along with it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::send_tokens())]
		pub fn send_tokens(
			origin: OriginFor<T>,
			counterpart: H256,
			token: Token,
			amount: BalanceOf<T>,
			beneficiary: T::AccountId,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			Self::ensure_open(&counterpart)?;
			let instruction = match token {
				Token::Native => {
					ensure!(
						amount >= T::Currency::minimum_balance(),
						Error::<T>::AmountTooLow
					);
					T::Currency::transfer(
						&sender,
						&Self::escrow(),
						amount,
						Preservation::Preserve,
					)?;
					Locked::<T>::mutate(counterpart, |locked| locked.saturating_accrue(amount));
					Instruction::MintWrapped {
						beneficiary,
						amount,
					}
				}
				Token::Wrapped => {
					Self::ensure_wrapped_token(counterpart)?;
					ensure!(
						amount >= T::Assets::minimum_balance(counterpart),
						Error::<T>::AmountTooLow
					);
					// What is burned: the amount, and any dust it leaves below the minimum.
					let amount = T::Assets::burn_from(
						counterpart,
						&sender,
						amount,
						Preservation::Expendable,
						Precision::Exact,
						Fortitude::Polite,
					)?;
					Instruction::ReleaseNative {
						beneficiary,
						amount,
					}
				}
			};
			let (deposit, delivery_fee) = (T::MessageDeposit::get(), T::DeliveryFee::get());
			T::Currency::hold(
				&HoldReason::MessageDeposit.into(),
				&sender,
				deposit.saturating_add(delivery_fee),
			)?;
			let nonce = Self::enqueue(
				counterpart,
				OutboundMessage {
					message: Message {
						instruction: instruction.clone(),
						sender: sender.clone(),
						refund_of: None,
					},
					deposit,
					delivery_fee,
				},
				false,
			)?;
			Self::deposit_event(Event::TokensSent {
				counterpart,
				nonce,
				sender,
				token,
				instruction,
			});
			Ok(())
		}

		/// Delivers the messages `source` queued for this chain, `first ..= last` (`first` the
		/// one after the last delivered), proven by `proof` (the nodes `state_getReadProof` returns
		/// for the source's `OutboundLanes(this genesis)` and each `OutboundMessages(this
		/// genesis, nonce)`) against the source's verified header `block_hash`. Executes them in
		/// order; one that fails is answered by a refund message. Anyone may deliver: the
		/// sender's delivery fee pays whoever did, once the source confirms.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::receive_messages(
			Pallet::<T>::messages_weighed(*first, *last),
			Pallet::<T>::proof_bytes(proof),
		))]
		pub fn receive_messages(
			origin: OriginFor<T>,
			source: H256,
			block_hash: H256,
			first: MessageNonce,
			last: MessageNonce,
			proof: Vec<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let relayer = ensure_signed(origin)?;
			let bytes = Self::proof_bytes(&proof);
			let count = Self::do_receive_messages(relayer, source, block_hash, first, last, proof)?;
			Ok(Some(T::WeightInfo::receive_messages(count, bytes)).into())
		}

		/// Confirms what `counterpart` executed of this chain's messages: its inbound lane
		/// (`InboundLanes(this genesis)`), proven by `proof` against its verified header
		/// `block_hash`. Prunes the delivered messages (at most `MaxMessagesPerDelivery` per
		/// call), returns their deposits and pays each delivery fee to the relayer the
		/// counterpart recorded for it. Anyone may confirm.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::confirm_delivery(
			T::MaxMessagesPerDelivery::get(),
			Pallet::<T>::proof_bytes(proof),
		))]
		pub fn confirm_delivery(
			origin: OriginFor<T>,
			counterpart: H256,
			block_hash: H256,
			proof: Vec<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let bytes = Self::proof_bytes(&proof);
			let count = Self::do_confirm_delivery(counterpart, block_hash, proof)?;
			Ok(Some(T::WeightInfo::confirm_delivery(count, bytes)).into())
		}

		/// Halts (`true`) or resumes the lane to `counterpart`: while halted nothing is sent
		/// to it or delivered from it; confirmations still settle what was delivered. The admin
		/// origin.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_lane_halted())]
		pub fn set_lane_halted(
			origin: OriginFor<T>,
			counterpart: H256,
			halted: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				HaltedLanes::<T>::contains_key(counterpart) != halted,
				Error::<T>::AlreadyInThatState
			);
			if halted {
				HaltedLanes::<T>::insert(counterpart, frame_system::Pallet::<T>::block_number());
			} else {
				HaltedLanes::<T>::remove(counterpart);
			}
			Self::deposit_event(Event::LaneHalted {
				counterpart,
				halted,
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
	/// The escrow account, holding every counterpart's locked tokens.
	pub fn escrow() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// This chain's genesis hash: the name counterparts give its lanes.
	pub fn genesis_hash() -> H256 {
		let hash = frame_system::Pallet::<T>::block_hash(
			frame_system::pallet_prelude::BlockNumberFor::<T>::zero(),
		);
		H256::from_slice(hash.as_ref())
	}

	/// Gives the escrow account the existential deposit (minted once, at genesis or by the
	/// migration that adds the pallet), so releasing every locked token never reaps it.
	pub fn endow_escrow() {
		let escrow = Self::escrow();
		let minimum = T::Currency::minimum_balance();
		if T::Currency::balance(&escrow) < minimum {
			let _ = T::Currency::mint_into(&escrow, minimum);
		}
	}

	/// How many messages a delivery of `first ..= last` is weighed for: their count, at most
	/// `MaxMessagesPerDelivery` (a longer range fails with `TooManyMessages` before any work).
	pub fn messages_weighed(first: MessageNonce, last: MessageNonce) -> u32 {
		let max = T::MaxMessagesPerDelivery::get();
		let count = last.saturating_sub(first).saturating_add(1);
		u32::try_from(count).unwrap_or(max).clamp(1, max)
	}

	/// Total bytes of a storage proof's nodes (its weight parameter).
	pub fn proof_bytes(proof: &[Vec<u8>]) -> u32 {
		proof
			.iter()
			.fold(0u32, |bytes, node| bytes.saturating_add(node.len() as u32))
	}

	/// The storage key of `OutboundMessages(lane, nonce)`: where a counterpart reads message
	/// `nonce` of this chain's lane `lane` (its own genesis hash).
	pub fn outbound_message_key(lane: H256, nonce: MessageNonce) -> Vec<u8> {
		OutboundMessages::<T>::hashed_key_for(lane, nonce)
	}

	/// The storage key of `OutboundLanes(lane)`.
	pub fn outbound_lane_key(lane: H256) -> Vec<u8> {
		OutboundLanes::<T>::hashed_key_for(lane)
	}

	/// The storage key of `InboundLanes(lane)`.
	pub fn inbound_lane_key(lane: H256) -> Vec<u8> {
		InboundLanes::<T>::hashed_key_for(lane)
	}

	/// The counterpart's chain id, if the lane to it is open.
	fn ensure_open(counterpart: &H256) -> Result<ChainId, DispatchError> {
		let chain_id =
			T::Counterparts::chain_id(counterpart).ok_or(Error::<T>::UnknownCounterpart)?;
		ensure!(
			!HaltedLanes::<T>::contains_key(counterpart),
			Error::<T>::LaneHalted
		);
		Ok(chain_id)
	}

	/// The counterpart's token held wrapped here: it exists and this pallet controls it.
	fn ensure_wrapped_token(counterpart: H256) -> DispatchResult {
		ensure!(
			T::Assets::asset_exists(counterpart),
			Error::<T>::NoWrappedToken
		);
		ensure!(
			T::Assets::owner(counterpart) == Some(Self::escrow()),
			Error::<T>::ForeignWrappedToken
		);
		Ok(())
	}

	/// Queues `message` on the lane to `counterpart`, in the refunds' share of the queue if
	/// `refund`; returns its nonce.
	fn enqueue(
		counterpart: H256,
		message: OutboundMessageOf<T>,
		refund: bool,
	) -> Result<MessageNonce, DispatchError> {
		let max = T::MaxQueuedMessages::get();
		let refunds = QueuedRefunds::<T>::get(counterpart);
		OutboundLanes::<T>::try_mutate(counterpart, |lane| {
			if refund {
				ensure!(refunds < max, Error::<T>::RefundQueueFull);
				QueuedRefunds::<T>::insert(counterpart, refunds.saturating_add(1));
			} else {
				let queued = lane.latest_generated.saturating_sub(lane.latest_confirmed);
				ensure!(
					queued.saturating_sub(u64::from(refunds)) < u64::from(max),
					Error::<T>::LaneFull
				);
			}
			lane.latest_generated = lane.latest_generated.saturating_add(1);
			OutboundMessages::<T>::insert(counterpart, lane.latest_generated, message);
			Ok(lane.latest_generated)
		})
	}

	/// Reads `keys` of `counterpart`'s verified block `block_hash` through `proof`.
	fn read_counterpart(
		chain_id: ChainId,
		block_hash: H256,
		keys: &[Vec<u8>],
		proof: Vec<Vec<u8>>,
	) -> Result<Vec<Option<Vec<u8>>>, Error<T>> {
		T::Counterparts::read_storage(chain_id, block_hash, keys, proof).map_err(
			|error| match error {
				ChildProofError::UnknownChain | ChildProofError::NotApproved => {
					Error::<T>::UnknownCounterpart
				}
				ChildProofError::UnknownBlock => Error::<T>::UnknownHeader,
				ChildProofError::BadProof => Error::<T>::InvalidStorageProof,
				ChildProofError::ProofTooLarge => Error::<T>::StorageProofTooLarge,
			},
		)
	}

	/// Decodes a proven value that must be there, to its last byte.
	fn decode_proven<V: codec::Decode>(value: Option<Vec<u8>>) -> Result<V, Error<T>> {
		let bytes = value.ok_or(Error::<T>::MissingFromProof)?;
		codec::DecodeAll::decode_all(&mut &bytes[..]).map_err(|_| Error::<T>::UndecodableProof)
	}

	/// [`Pallet::receive_messages`]; returns how many messages it executed.
	fn do_receive_messages(
		relayer: T::AccountId,
		source: H256,
		block_hash: H256,
		first: MessageNonce,
		last: MessageNonce,
		proof: Vec<Vec<u8>>,
	) -> Result<u32, DispatchError> {
		let chain_id = Self::ensure_open(&source)?;
		let mut inbound = InboundLanes::<T>::get(source);
		ensure!(first > inbound.last_delivered, Error::<T>::AlreadyDelivered);
		ensure!(
			first == inbound.last_delivered.saturating_add(1),
			Error::<T>::MessageGap
		);
		ensure!(last >= first, Error::<T>::NothingToDeliver);
		let count = last.saturating_sub(first).saturating_add(1);
		ensure!(
			count <= u64::from(T::MaxMessagesPerDelivery::get()),
			Error::<T>::TooManyMessages
		);
		let this_chain = Self::genesis_hash();
		let mut keys = Vec::with_capacity(count as usize + 1);
		keys.push(Self::outbound_lane_key(this_chain));
		keys.extend((first..=last).map(|nonce| Self::outbound_message_key(this_chain, nonce)));
		let mut values = Self::read_counterpart(chain_id, block_hash, &keys, proof)?.into_iter();
		let source_lane: OutboundLane = Self::decode_proven(values.next().flatten())?;
		ensure!(
			source_lane.latest_generated >= last,
			Error::<T>::MessageNotSent
		);
		let messages = values
			.map(|value| Self::decode_proven::<OutboundMessageOf<T>>(value))
			.collect::<Result<Vec<_>, _>>()?;

		// What the source confirmed no longer needs a record of who delivered it.
		let confirmed = source_lane.latest_confirmed;
		inbound.relayers.retain(|entry| entry.last > confirmed);
		match inbound.relayers.last_mut() {
			Some(entry) if entry.relayer == relayer => entry.last = last,
			_ => inbound
				.relayers
				.try_push(DeliveredBy {
					relayer: relayer.clone(),
					last,
				})
				.map_err(|_| Error::<T>::TooManyUnconfirmedRelayers)?,
		}
		inbound.last_delivered = last;
		InboundLanes::<T>::insert(source, inbound);

		for (nonce, queued) in (first..=last).zip(messages) {
			let outcome = Self::execute(source, nonce, &queued.message)?;
			Self::deposit_event(Event::MessageDelivered {
				counterpart: source,
				nonce,
				relayer: relayer.clone(),
				instruction: queued.message.instruction,
				outcome,
			});
		}
		Ok(count as u32)
	}

	/// Executes message `nonce` from `source`; a failure changes nothing but queues a refund
	/// (unless the message is a refund itself). Fails only if the refund cannot be queued.
	fn execute(
		source: H256,
		nonce: MessageNonce,
		message: &MessageOf<T>,
	) -> Result<DeliveryOutcome, DispatchError> {
		let executed = frame_support::storage::with_storage_layer(|| match &message.instruction {
			Instruction::MintWrapped {
				beneficiary,
				amount,
			} => {
				if T::Assets::asset_exists(source) {
					Self::ensure_wrapped_token(source)?;
				} else {
					T::Assets::create(source, Self::escrow(), true, T::WrappedMinBalance::get())?;
				}
				T::Assets::mint_into(source, beneficiary, *amount).map(|_| ())
			}
			Instruction::ReleaseNative {
				beneficiary,
				amount,
			} => {
				Locked::<T>::try_mutate(source, |locked| {
					*locked = locked
						.checked_sub(amount)
						.ok_or(Error::<T>::ReleaseExceedsLocked)?;
					Ok::<_, DispatchError>(())
				})?;
				T::Currency::transfer(
					&Self::escrow(),
					beneficiary,
					*amount,
					Preservation::Preserve,
				)
				.map(|_| ())
			}
		});
		let Err(error) = executed else {
			return Ok(DeliveryOutcome::Executed);
		};
		if message.refund_of.is_some() {
			return Ok(DeliveryOutcome::RefundFailed);
		}
		// Give back what the message carried: the inverse instruction, to its sender.
		let instruction = match &message.instruction {
			Instruction::MintWrapped { amount, .. } => Instruction::ReleaseNative {
				beneficiary: message.sender.clone(),
				amount: *amount,
			},
			Instruction::ReleaseNative { amount, .. } => Instruction::MintWrapped {
				beneficiary: message.sender.clone(),
				amount: *amount,
			},
		};
		let refund = Self::enqueue(
			source,
			OutboundMessage {
				message: Message {
					instruction,
					sender: message.sender.clone(),
					refund_of: Some(nonce),
				},
				deposit: Zero::zero(),
				delivery_fee: Zero::zero(),
			},
			true,
		)?;
		Self::deposit_event(Event::RefundQueued {
			counterpart: source,
			refund,
			refund_of: nonce,
			error,
		});
		Ok(DeliveryOutcome::Refunded { refund })
	}

	/// [`Pallet::confirm_delivery`]; returns how many messages it pruned.
	fn do_confirm_delivery(
		counterpart: H256,
		block_hash: H256,
		proof: Vec<Vec<u8>>,
	) -> Result<u32, DispatchError> {
		let chain_id =
			T::Counterparts::chain_id(&counterpart).ok_or(Error::<T>::UnknownCounterpart)?;
		let key = Self::inbound_lane_key(Self::genesis_hash());
		let mut values = Self::read_counterpart(chain_id, block_hash, &[key], proof)?.into_iter();
		// An absent inbound lane is an empty one: it executed nothing.
		let inbound: InboundLane<T::AccountId> = match values.next().flatten() {
			Some(bytes) => Self::decode_proven(Some(bytes))?,
			None => Default::default(),
		};
		let mut lane = OutboundLanes::<T>::get(counterpart);
		ensure!(
			inbound.last_delivered <= lane.latest_generated,
			Error::<T>::ConfirmsUnsentMessages
		);
		ensure!(
			inbound.last_delivered > lane.latest_confirmed,
			Error::<T>::NothingToConfirm
		);
		let up_to = inbound.last_delivered.min(
			lane.latest_confirmed
				.saturating_add(u64::from(T::MaxMessagesPerDelivery::get())),
		);
		let mut rewards = BalanceOf::<T>::zero();
		for nonce in lane.latest_confirmed.saturating_add(1)..=up_to {
			let Some(queued) = OutboundMessages::<T>::take(counterpart, nonce) else {
				continue;
			};
			if queued.message.refund_of.is_some() {
				QueuedRefunds::<T>::mutate(counterpart, |refunds| refunds.saturating_dec());
			}
			let sender = &queued.message.sender;
			let relayer = inbound
				.relayers
				.iter()
				.find(|entry| entry.last >= nonce)
				.map(|entry| &entry.relayer);
			let reason = HoldReason::MessageDeposit.into();
			let mut paid = BalanceOf::<T>::zero();
			if let (Some(relayer), false) = (relayer, queued.delivery_fee.is_zero()) {
				// A fee that cannot be paid (the relayer's account would stay below the
				// existential deposit) goes back to the sender with the deposit.
				if let Ok(amount) = T::Currency::transfer_on_hold(
					&reason,
					sender,
					relayer,
					queued.delivery_fee,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				) {
					paid = amount;
				}
			}
			rewards.saturating_accrue(paid);
			let _ = T::Currency::release(
				&reason,
				sender,
				queued
					.deposit
					.saturating_add(queued.delivery_fee.saturating_sub(paid)),
				Precision::BestEffort,
			);
		}
		let messages = up_to.saturating_sub(lane.latest_confirmed) as u32;
		lane.latest_confirmed = up_to;
		OutboundLanes::<T>::insert(counterpart, lane);
		Self::deposit_event(Event::DeliveryConfirmed {
			counterpart,
			latest_confirmed: up_to,
			messages,
			rewards,
		});
		Ok(messages)
	}

	/// Whether the lane to `counterpart` holds anything that needs the counterpart followed to
	/// be settled: tokens locked for it, its tokens wrapped here, or messages sent and not
	/// confirmed (their deposits and fees). The chain registry refuses its owner's
	/// deregistration of such a chain.
	pub fn holds_state_for(counterpart: &H256) -> bool {
		let outbound = OutboundLanes::<T>::get(counterpart);
		outbound.latest_generated > outbound.latest_confirmed
			|| !Locked::<T>::get(counterpart).is_zero()
			|| !T::Assets::total_issuance(*counterpart).is_zero()
	}

	/// The weight of [`Pallet::holds_state_for`]: three reads.
	pub fn holds_state_for_weight() -> frame_support::weights::Weight {
		T::DbWeight::get().reads(3)
	}

	/// The lane to `counterpart`, for the runtime API: `None` if this chain does not follow it
	/// and nothing ever went either way.
	pub fn lane_info(counterpart: H256) -> Option<LaneInfoOf<T>> {
		let outbound = OutboundLanes::<T>::get(counterpart);
		let inbound = InboundLanes::<T>::get(counterpart);
		let locked = Locked::<T>::get(counterpart);
		let wrapped_supply = T::Assets::total_issuance(counterpart);
		let chain_id = T::Counterparts::chain_id(&counterpart);
		if outbound == OutboundLane::default()
			&& inbound.last_delivered == 0
			&& locked.is_zero()
			&& wrapped_supply.is_zero()
			&& chain_id.is_none()
		{
			return None;
		}
		Some(LaneInfo {
			counterpart,
			chain_id,
			halted: HaltedLanes::<T>::contains_key(counterpart),
			outbound,
			inbound,
			locked,
			wrapped_supply,
		})
	}

	/// Message `nonce` of the lane to `counterpart`, for the runtime API.
	pub fn outbound_message(
		counterpart: H256,
		nonce: MessageNonce,
	) -> Option<OutboundMessageOf<T>> {
		OutboundMessages::<T>::get(counterpart, nonce)
	}

	/// What must always hold: every outbound lane queues exactly its unconfirmed messages; the
	/// escrow holds at least everything locked; inbound relayer runs are ordered and end at the
	/// last delivered message.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError;
		for (counterpart, lane) in OutboundLanes::<T>::iter() {
			if lane.latest_confirmed > lane.latest_generated {
				return Err(TryRuntimeError::Other("confirmed beyond generated"));
			}
			let (queued, refunds) = OutboundMessages::<T>::iter_prefix(counterpart).try_fold(
				(0u64, 0u32),
				|(count, refunds), (nonce, queued)| {
					if nonce <= lane.latest_confirmed || nonce > lane.latest_generated {
						return Err(TryRuntimeError::Other("message outside its lane's queue"));
					}
					Ok((
						count + 1,
						refunds + queued.message.refund_of.is_some() as u32,
					))
				},
			)?;
			if queued != lane.latest_generated - lane.latest_confirmed {
				return Err(TryRuntimeError::Other("a queued message is missing"));
			}
			if refunds != QueuedRefunds::<T>::get(counterpart) {
				return Err(TryRuntimeError::Other("queued refunds miscounted"));
			}
		}
		for (counterpart, _) in OutboundMessages::<T>::iter_keys() {
			if !OutboundLanes::<T>::contains_key(counterpart) {
				return Err(TryRuntimeError::Other(
					"message of a lane that does not exist",
				));
			}
		}
		let locked = Locked::<T>::iter_values().fold(BalanceOf::<T>::zero(), |total, locked| {
			total.saturating_add(locked)
		});
		if T::Currency::balance(&Self::escrow()) < locked {
			return Err(TryRuntimeError::Other("escrow holds less than is locked"));
		}
		for (_, inbound) in InboundLanes::<T>::iter() {
			let ordered = inbound
				.relayers
				.windows(2)
				.all(|pair| pair[0].last < pair[1].last);
			let ends = inbound
				.relayers
				.last()
				.is_none_or(|entry| entry.last == inbound.last_delivered);
			if !ordered || !ends {
				return Err(TryRuntimeError::Other("inbound relayer runs out of order"));
			}
		}
		Ok(())
	}
}
