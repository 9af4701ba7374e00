//! Message lanes: carries the source's messages to the target and the source's receipts of the
//! target's messages back to the target.
//!
//! Every proof is of the source's state at the source header the target verified last (its
//! best verified header, which the header relay keeps moving), so the target checks it itself:
//! - **delivery**: the source's `OutboundLanes(target)` and `OutboundMessages(target, n)` for
//!   the messages after the last one the target executed (`InboundLanes(source)` on the
//!   target), at most [`MAX_MESSAGES_PER_DELIVERY`] and as many as fit the target's proof
//!   bounds, to `MessageLanes::receive_messages`;
//! - **confirmation**: the source's `InboundLanes(target)`, when it executed messages of the
//!   target's lane that the target has not confirmed, to `MessageLanes::confirm_delivery`
//!   (which pays the relayers of those messages on the target).
//!
//! Nothing is kept between passes: each pass reads both chains, so a relayer killed at any
//! point and started again neither loses nor repeats a message (the target executes each
//! nonce once whoever delivers it; a delivery raced by another relayer fails with
//! `AlreadyDelivered`).

use anyhow::{Context, Result};
use codec::Decode;
use sp_core::H256;
use tracing::{info, warn};
use viot_primitives::{
	child::{check_storage_proof_shape, limits, ChainId},
	lanes::{
		keys, InboundLane, LanesRuntimeCall, MessageLanesCall, MessageNonce, OutboundLane,
		MAX_MESSAGES_PER_DELIVERY,
	},
	AccountId,
};

use crate::{
	extrinsic::Signer,
	relay::chain_info,
	rpc::{Inclusion, Node},
};

/// How long a delivery or confirmation may wait for a block (longer than its mortal era).
const INCLUSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The lanes between one source and one target chain, as one relayer direction sees them.
pub struct Lanes<'a> {
	/// A node of the chain whose messages and receipts are carried.
	pub source: &'a Node,
	/// A node of the chain they are carried to.
	pub target: &'a Node,
	/// The source's id in the target's `ChildChains`.
	pub chain_id: ChainId,
	/// Who signs (and is paid for) deliveries.
	pub signer: &'a Signer,
	/// The source's genesis hash: its lane's name on the target.
	pub source_genesis: H256,
	/// The target's genesis hash: its lane's name on the source.
	pub target_genesis: H256,
}

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
	/// Messages the target executed from this pass's delivery.
	pub delivered: u64,
	/// Whether a confirmation landed.
	pub confirmed: bool,
}

/// Reads a SCALE value at `key` (default if absent).
async fn read<V: Decode + Default>(node: &Node, key: &[u8], at: Option<H256>) -> Result<V> {
	match node.storage(key, at).await? {
		Some(bytes) => V::decode(&mut &bytes[..])
			.with_context(|| format!("undecodable lane state on {}", node.url)),
		None => Ok(V::default()),
	}
}

impl Lanes<'_> {
	/// Delivers what the source queued for the target and confirms what the source executed,
	/// against the target's best verified header of the source.
	pub async fn pass(&self) -> Result<Pass> {
		let info = chain_info(self.target, self.chain_id, None).await?;
		if !info.approved || info.halted || info.best_number == 0 {
			return Ok(Pass::default());
		}
		let at = info.best_hash;
		let delivered = self.deliver(at).await?;
		let confirmed = self.confirm(at).await?;
		Ok(Pass {
			delivered,
			confirmed,
		})
	}

	/// Delivers the source's messages after the target's last executed one, as proven at the
	/// source's verified block `at`; returns how many the target executed.
	async fn deliver(&self, at: H256) -> Result<u64> {
		let outbound: OutboundLane = read(
			self.source,
			&keys::outbound_lane(&self.target_genesis),
			Some(at),
		)
		.await?;
		let inbound: InboundLane<AccountId> =
			read(self.target, &keys::inbound_lane(&self.source_genesis), None).await?;
		if outbound.latest_generated <= inbound.last_delivered {
			return Ok(0);
		}
		let first = inbound.last_delivered + 1;
		let mut last = outbound
			.latest_generated
			.min(first + MessageNonce::from(MAX_MESSAGES_PER_DELIVERY) - 1);
		// The largest range from `first` whose proof the target accepts.
		let proof = loop {
			let mut wanted = vec![keys::outbound_lane(&self.target_genesis)];
			wanted.extend((first..=last).map(|n| keys::outbound_message(&self.target_genesis, n)));
			let proof = self.source.read_proof(&wanted, at).await?;
			let fits = check_storage_proof_shape(
				&proof,
				limits::MAX_STORAGE_PROOF_NODES,
				limits::MAX_STORAGE_PROOF_SIZE,
			)
			.is_ok();
			if fits {
				break proof;
			}
			if last == first {
				warn!(
					nonce = first,
					"the proof of one message is over the target's bounds; not delivered"
				);
				return Ok(0);
			}
			last = first + (last - first) / 2;
		};
		info!(chain_id = self.chain_id, first, last, "delivering messages");
		let call = LanesRuntimeCall::MessageLanes(MessageLanesCall::ReceiveMessages {
			source: self.source_genesis,
			block_hash: at,
			first,
			last,
			proof,
		});
		let Some(block) = self.submit(&call, "delivery").await? else {
			return Ok(0);
		};
		let after: InboundLane<AccountId> = read(
			self.target,
			&keys::inbound_lane(&self.source_genesis),
			Some(block),
		)
		.await?;
		if after.last_delivered < last {
			warn!(first, last, ?block, "the target included the delivery but did not execute it (another relayer's came first, or see its events)");
			return Ok(0);
		}
		info!(
			chain_id = self.chain_id,
			first, last, "messages delivered to the target"
		);
		Ok(last - first + 1)
	}

	/// Confirms to the target what the source executed of the target's lane, as proven at the
	/// source's verified block `at`; returns whether a confirmation landed.
	async fn confirm(&self, at: H256) -> Result<bool> {
		let executed: InboundLane<AccountId> = read(
			self.source,
			&keys::inbound_lane(&self.target_genesis),
			Some(at),
		)
		.await?;
		let outbound: OutboundLane = read(
			self.target,
			&keys::outbound_lane(&self.source_genesis),
			None,
		)
		.await?;
		if executed.last_delivered <= outbound.latest_confirmed {
			return Ok(false);
		}
		let proof = self
			.source
			.read_proof(&[keys::inbound_lane(&self.target_genesis)], at)
			.await?;
		let call = LanesRuntimeCall::MessageLanes(MessageLanesCall::ConfirmDelivery {
			counterpart: self.source_genesis,
			block_hash: at,
			proof,
		});
		let Some(block) = self.submit(&call, "confirmation").await? else {
			return Ok(false);
		};
		let after: OutboundLane = read(
			self.target,
			&keys::outbound_lane(&self.source_genesis),
			Some(block),
		)
		.await?;
		if after.latest_confirmed <= outbound.latest_confirmed {
			warn!(?block, "the target included the confirmation but confirmed nothing (another relayer's came first, or see its events)");
			return Ok(false);
		}
		info!(
			chain_id = self.chain_id,
			latest_confirmed = after.latest_confirmed,
			"deliveries confirmed on the target"
		);
		Ok(true)
	}

	/// Signs and submits `call` to the target; the block that included it, or `None` if the
	/// target's pool refused it.
	async fn submit(&self, call: &LanesRuntimeCall, what: &str) -> Result<Option<H256>> {
		let extrinsic = self.signer.sign(self.target, call).await?;
		match self
			.target
			.submit_and_watch(extrinsic, INCLUSION_TIMEOUT)
			.await?
		{
			Inclusion::InBlock(block) => Ok(Some(block)),
			Inclusion::Rejected(reason) => {
				warn!(%reason, "the target refused the {what}");
				Ok(None)
			}
		}
	}
}
