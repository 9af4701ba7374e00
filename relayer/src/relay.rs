//! Relaying: follow the source chain's GRANDPA finality and keep the target's light client of
//! it (ChildChains, `chain_id`) up to date; after every header it imports (and on start), carry
//! the message lanes' deliveries and confirmations that header proves ([`crate::lanes`]).
//!
//! - On start (and after every reconnect) the relayer reads the target's best verified header
//!   and authority set, and resumes from there: nothing is kept on disk.
//! - Headers that change the source's authority set must be imported in order: while the
//!   target's set id is behind the source's, the relayer fetches the stored justification of
//!   the next set-change block with `grandpa_proveFinality` and submits it first.
//! - Otherwise it submits the newest justification from `grandpa_subscribeJustifications`,
//!   trimmed to the votes the target needs. It never submits a header that is not newer than
//!   the target's best or the last one it submitted.
//! - Before signing it checks everything the target checks without signatures (sizes, counts,
//!   forced or delayed authority-set changes: `check_finality_proof_shape`, with the parent's
//!   limits) and verifies the justification itself, so it only pays for what imports. A header
//!   the target can never follow (a forced change) waits for the parent's governance to
//!   re-initialize the chain; a pending or halted chain waits for governance too.
//! - After [`MAX_PAID_FAILURES`] proofs in a row that were included (and paid for) but not
//!   imported, it stops with a fatal error instead of paying on.

use anyhow::{anyhow, bail, Context, Result};
use bp_header_chain::justification::{
	verify_and_optimize_justification, JustificationVerificationContext,
};
use codec::Decode;
use sp_core::H256;
use sp_runtime::traits::Header as _;
use std::{
	cell::Cell,
	time::{Duration, Instant},
};
use tracing::{info, warn};
use viot_primitives::{
	child::{
		check_finality_proof_shape, ChainId, ChildChainInfo, ChildChainsCall, ChildHeader,
		ChildJustification, FinalityProofError, FinalityProofLimits, ParentCall,
	},
	AccountId, Balance, BlockNumber,
};

use crate::{
	extrinsic::Signer,
	lanes::Lanes,
	rpc::{Inclusion, Node},
	Fatal,
};

/// The target's view of the source chain.
pub type ChainInfo = ChildChainInfo<AccountId, Balance, BlockNumber>;

/// How long a submitted proof may wait for a block: longer than its mortal era
/// ([`crate::extrinsic::ERA_PERIOD`] blocks of 6 s), so a proof given up on cannot land later.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(120);

/// How often a relayer of a pending or halted chain checks whether governance decided.
const APPROVAL_POLL: Duration = Duration::from_secs(2);

/// Proofs in a row that may be included (and paid for) without importing before the relayer
/// stops.
pub const MAX_PAID_FAILURES: u32 = 3;

/// `sc_consensus_grandpa::FinalityProof`, as `grandpa_proveFinality` encodes it.
#[derive(Decode)]
struct FinalityProof {
	block: H256,
	justification: Vec<u8>,
	_unknown_headers: Vec<ChildHeader>,
}

/// What became of a justification handed to [`Relay::submit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Submitted {
	/// The target's best verified header is now the justified one.
	Imported,
	/// The justification does not verify against the target's authority set; not submitted.
	NotVerifiable,
	/// Submitted, but refused by the target's pool or not imported by its runtime.
	NotImported,
	/// Not newer than the target's best header; not submitted.
	Stale,
	/// The target cannot follow this header (or it is over the target's bounds); not
	/// submitted.
	Unfollowable(FinalityProofError),
}

/// Reads the target's record of `chain_id`.
pub async fn chain_info(target: &Node, chain_id: ChainId, at: Option<H256>) -> Result<ChainInfo> {
	let info: Option<ChainInfo> = target
		.runtime_call("ChildChainsApi_child_chain", chain_id, at)
		.await?;
	info.ok_or_else(|| {
		Fatal(format!(
			"chain {chain_id} is not registered on {}",
			target.url
		))
		.into()
	})
}

/// One relaying session over two connections; returns when a connection drops.
pub struct Relay<'a> {
	/// A node of the chain whose finality is relayed.
	pub source: Node,
	/// A node of the parent chain.
	pub target: Node,
	/// The child chain's id on the parent.
	pub chain_id: ChainId,
	/// The account that submits the proofs.
	pub signer: &'a Signer,
	/// The highest header this session submitted.
	last_submitted: u32,
	/// Proofs in a row included without importing, over every session of this process.
	paid_failures: &'a Cell<u32>,
	/// Whether to carry the message lanes too (on by default).
	pub carry_messages: bool,
}

impl<'a> Relay<'a> {
	/// A session relaying `chain_id` from `source` to `target`; `paid_failures` counts proofs
	/// in a row that were included without importing, across sessions.
	pub fn new(
		source: Node,
		target: Node,
		chain_id: ChainId,
		signer: &'a Signer,
		paid_failures: &'a Cell<u32>,
	) -> Self {
		Self {
			source,
			target,
			chain_id,
			signer,
			last_submitted: 0,
			paid_failures,
			carry_messages: true,
		}
	}

	/// Runs until a connection fails (an error) or a fatal mismatch (a [`Fatal`] error).
	pub async fn run(&mut self) -> Result<()> {
		let info = self.wait_for_governance().await?;
		let genesis = self.source.genesis_hash().await?;
		if genesis != info.genesis_hash {
			return Err(Fatal(format!(
				"{} has genesis {genesis:?}, but chain {} on {} was registered with {:?}",
				self.source.url, self.chain_id, self.target.url, info.genesis_hash
			))
			.into());
		}
		info!(
			chain_id = self.chain_id,
			best = info.best_number,
			set_id = info.authority_set_id,
			"resuming from the target's best verified header"
		);
		let target_genesis = self.target.genesis_hash().await?;
		let mut justifications = self.source.subscribe_justifications().await?;
		self.catch_up().await?;
		self.relay_messages(genesis, target_genesis).await?;
		loop {
			let next = tokio::time::timeout(Duration::from_secs(60), justifications.next()).await;
			let encoded = match next {
				Ok(Some(Ok(encoded))) => encoded,
				Ok(Some(Err(error))) => bail!("bad justification notification: {error}"),
				Ok(None) => bail!("{} closed the justification subscription", self.source.url),
				Err(_) => {
					// No finality for a minute: check both nodes are still there.
					if !self.source.is_connected() || !self.target.is_connected() {
						bail!("connection lost");
					}
					warn!("no new justification from the source for 60 s");
					continue;
				}
			};
			// Take the newest one only: older ones are implied by it.
			let mut latest = encoded;
			while let Ok(Some(Ok(newer))) =
				tokio::time::timeout(Duration::from_millis(1), justifications.next()).await
			{
				latest = newer;
			}
			let justification = ChildJustification::decode(&mut &latest[..])
				.context("undecodable justification from the source")?;
			self.relay_justification(justification).await?;
			self.relay_messages(genesis, target_genesis).await?;
		}
	}

	/// Delivers and confirms messages against the target's best verified header of the source
	/// ([`crate::lanes`]); repeats while a pass delivers a full range (more may be waiting at
	/// the same header).
	async fn relay_messages(&self, source_genesis: H256, target_genesis: H256) -> Result<()> {
		if !self.carry_messages {
			return Ok(());
		}
		let lanes = Lanes {
			source: &self.source,
			target: &self.target,
			chain_id: self.chain_id,
			signer: self.signer,
			source_genesis,
			target_genesis,
		};
		loop {
			match lanes.pass().await {
				Ok(pass) if pass.delivered > 0 => continue,
				Ok(_) => return Ok(()),
				// A lane's trouble (say the source pruned the state of an old verified header)
				// never stops the header relay; a lost connection does.
				Err(error) => {
					if !self.source.is_connected() || !self.target.is_connected() {
						return Err(error);
					}
					warn!("message lanes: {error:#}");
					return Ok(());
				}
			}
		}
	}

	/// The target's record of the chain once it is approved and running: a pending or halted
	/// chain imports nothing, so the relayer waits for governance rather than pay for refused
	/// proofs. If governance moved the chain back (re-initialized it from a lower header), the
	/// relayer starts again from there.
	async fn wait_for_governance(&mut self) -> Result<ChainInfo> {
		let info = self.approved_and_running().await?;
		if info.best_number < self.last_submitted {
			info!(
				chain_id = self.chain_id,
				best = info.best_number,
				"the parent's best verified header went back (re-initialized); following it"
			);
			self.last_submitted = info.best_number;
		}
		Ok(info)
	}

	/// Waits until the chain is approved and not halted.
	async fn approved_and_running(&self) -> Result<ChainInfo> {
		let mut info = chain_info(&self.target, self.chain_id, None).await?;
		if info.approved && !info.halted {
			return Ok(info);
		}
		info!(
			chain_id = self.chain_id,
			approved = info.approved,
			halted = info.halted,
			"waiting for the parent's governance to approve or resume the chain"
		);
		while !info.approved || info.halted {
			tokio::time::sleep(APPROVAL_POLL).await;
			if !self.target.is_connected() {
				bail!("connection lost");
			}
			info = chain_info(&self.target, self.chain_id, None).await?;
		}
		info!(
			chain_id = self.chain_id,
			"the chain is approved and running"
		);
		Ok(info)
	}

	/// Submits, in order, the set-change headers the target still needs.
	async fn catch_up(&mut self) -> Result<()> {
		loop {
			let info = self.wait_for_governance().await?;
			let source_set = self.source.grandpa_set_id().await?;
			if info.authority_set_id >= source_set {
				return Ok(());
			}
			let from = info.best_number.max(self.last_submitted) + 1;
			let Some(encoded) = self.source.prove_finality(from).await? else {
				warn!(
					from,
					"the source has no stored justification to prove the next set change yet"
				);
				return Ok(());
			};
			let proof = FinalityProof::decode(&mut &encoded[..])
				.context("undecodable grandpa_proveFinality answer")?;
			let justification = ChildJustification::decode(&mut &proof.justification[..])
				.context("undecodable justification in a finality proof")?;
			if justification.commit.target_hash != proof.block {
				bail!(
					"finality proof of {:?} justifies another block",
					proof.block
				);
			}
			info!(
				target_set = info.authority_set_id,
				source_set,
				block = justification.commit.target_number,
				"submitting an authority-set change first"
			);
			match self.submit(&info, justification).await? {
				Submitted::Imported | Submitted::Stale => continue,
				Submitted::Unfollowable(error) => {
					warn!(
						chain_id = self.chain_id,
						?error,
						"the parent cannot follow the source's authority-set change; waiting for \
						 its governance to re-initialize the chain (childChains.reinitializeChildChain)"
					);
					return Ok(());
				}
				Submitted::NotVerifiable => {
					// The source's set change cannot be proven to the target's set (a forced
					// change leaves no justification by the old set): only governance can
					// re-initialize the chain.
					warn!(
						chain_id = self.chain_id,
						target_set = info.authority_set_id,
						source_set,
						"the source's finality cannot be proven to the parent's authority set; \
						 waiting for its governance to re-initialize the chain \
						 (childChains.reinitializeChildChain)"
					);
					return Ok(());
				}
				Submitted::NotImported => bail!("the target did not accept the set-change header"),
			}
		}
	}

	/// Relays one justification from the subscription.
	async fn relay_justification(&mut self, justification: ChildJustification) -> Result<()> {
		let number = justification.commit.target_number;
		let info = self.wait_for_governance().await?;
		if number <= info.best_number.max(self.last_submitted) {
			return Ok(());
		}
		// A justification signed by a newer authority set than the target's: the set-change
		// headers the relayer missed must go first. Only then is the source's set id asked for.
		if self.submit(&info, justification).await? == Submitted::NotVerifiable
			&& info.authority_set_id < self.source.grandpa_set_id().await?
		{
			return self.catch_up().await;
		}
		Ok(())
	}

	/// Trims `justification` to what the target's authority set needs, submits it with its
	/// header and waits for a block.
	async fn submit(
		&mut self,
		info: &ChainInfo,
		mut justification: ChildJustification,
	) -> Result<Submitted> {
		let hash = justification.commit.target_hash;
		let number = justification.commit.target_number;
		// Whatever the source sends, only a header above the target's best can import.
		if number <= info.best_number {
			return Ok(Submitted::Stale);
		}
		let header = self.source.header(hash).await?;
		if header.hash() != hash || *header.number() != number {
			bail!("the source returned another header than {hash:?}");
		}
		let context = JustificationVerificationContext::try_from(
			bp_header_chain::AuthoritySet::new(info.authorities.clone(), info.authority_set_id),
		)
		.map_err(|error| anyhow!("the target's authority set is unusable: {error:?}"))?;
		if let Err(error) =
			verify_and_optimize_justification((hash, number), &context, &mut justification)
		{
			warn!(
				number,
				?error,
				"the justification does not verify against the target's authority set; skipped"
			);
			return Ok(Submitted::NotVerifiable);
		}
		// Checked on the trimmed justification: the one that is sent.
		if let Err(error) =
			check_finality_proof_shape(&header, &justification, &FinalityProofLimits::PARENT)
		{
			warn!(
				number,
				?error,
				"the target would refuse this proof; not submitted"
			);
			return Ok(Submitted::Unfollowable(error));
		}
		let started = Instant::now();
		let call = ParentCall::ChildChains(ChildChainsCall::SubmitFinalityProof {
			chain_id: self.chain_id,
			header: Box::new(header),
			justification,
		});
		let extrinsic = self.signer.sign(&self.target, &call).await?;
		self.last_submitted = number;
		match self
			.target
			.submit_and_watch(extrinsic, INCLUSION_TIMEOUT)
			.await?
		{
			Inclusion::InBlock(block) => {
				let after = chain_info(&self.target, self.chain_id, Some(block)).await?;
				if after.best_number >= number {
					let finalized = self
						.source
						.header(self.source.finalized_head().await?)
						.await?;
					info!(
						chain_id = self.chain_id,
						header = number,
						source_finalized = *finalized.number(),
						lag = finalized.number().saturating_sub(after.best_number),
						took_ms = started.elapsed().as_millis() as u64,
						"child header verified on the target"
					);
					self.paid_failures.set(0);
					Ok(Submitted::Imported)
				} else {
					warn!(number, ?block, "the target included the proof but did not import the header (see its events)");
					self.last_submitted = after.best_number;
					let failures = self.paid_failures.get() + 1;
					self.paid_failures.set(failures);
					if failures >= MAX_PAID_FAILURES {
						return Err(Fatal(format!(
							"{failures} proofs in a row were included (and paid for) without \
							 importing; stopping (see the parent's events of block {block:?})"
						))
						.into());
					}
					Ok(Submitted::NotImported)
				}
			}
			Inclusion::Rejected(reason) => {
				warn!(number, %reason, "the target refused the proof");
				self.last_submitted = info.best_number;
				Ok(Submitted::NotImported)
			}
		}
	}
}
