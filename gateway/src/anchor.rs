//! Batches and their anchors: the batcher puts stored readings into Merkle batches (every
//! interval, or as soon as a full batch waits); the anchorer gets each batch's root anchored
//! with `DataAnchoring::anchor_batch` and follows it to finality.
//!
//! The anchorer keeps no state but the store: at every head it asks the chain whether each open
//! batch's root is anchored by the gateway's account at the finalized block (done), at the best
//! block (in a block, waiting), or not at all (submitted if no submission is pending). A restart
//! therefore resumes where the store says. The chain keys anchors by digest and attester, so a
//! second submission of the same root fails with `AlreadyAnchored` and a batch is never
//! anchored twice.

use anyhow::{anyhow, Result};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::sync::Notify;
use tracing::{debug, info, warn};
use viot_primitives::{
	anchor::{kind, AnchorInfo, AnchoringRuntimeCall, Attester, DataAnchoringCall},
	AccountId, Balance, BlockNumber,
};
use viot_relayer::{
	extrinsic::Signer,
	rpc::{Inclusion, Node},
};

use crate::{chain::Chain, ingest::SharedStore, metrics::Metrics, store::Batch};

/// A submission not in a block after this long is made again (the first one's mortal era,
/// 16 blocks, then expires on a 6-second chain; on faster chains the chain refuses the
/// second anchor of the same root).
const RESUBMIT_AFTER: Duration = Duration::from_secs(96);
/// A submission the node refused is tried again after this long.
const RETRY_REFUSED_AFTER: Duration = Duration::from_secs(5);
/// How long to follow a submission's status.
const WATCH_FOR: Duration = Duration::from_secs(120);

fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|elapsed| elapsed.as_millis() as u64)
		.unwrap_or_default()
}

/// Builds batches every `interval`, or when `batch_size` readings wait, until the process
/// ends. `stored` counts readings stored since the last batch.
pub async fn batch_forever(
	store: SharedStore,
	metrics: Arc<Metrics>,
	stored: Arc<AtomicU64>,
	batch_due: Arc<Notify>,
	anchor_due: Arc<Notify>,
	interval: Duration,
	batch_size: u32,
) {
	let mut ticks = tokio::time::interval(interval);
	ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
	loop {
		tokio::select! {
			_ = ticks.tick() => {},
			_ = batch_due.notified() => {},
		}
		loop {
			stored.store(0, Ordering::SeqCst);
			let store = store.clone();
			let built = tokio::task::spawn_blocking(move || {
				store
					.lock()
					.expect("not poisoned")
					.build_batch(batch_size, now_ms())
			})
			.await;
			match built {
				Ok(Ok(Some(batch))) => {
					info!(batch = batch.id, readings = batch.leaf_count, root = ?batch.root, "batch built");
					metrics.batches_built.inc();
					metrics.readings_batched.inc_by(batch.leaf_count.into());
					anchor_due.notify_one();
					if batch.leaf_count < batch_size {
						break;
					}
				}
				Ok(Ok(None)) => break,
				Ok(Err(error)) => {
					warn!("building a batch: {error:#}");
					break;
				}
				Err(error) => {
					warn!("building a batch: {error}");
					break;
				}
			}
		}
	}
}

type Anchor = AnchorInfo<AccountId, Balance, BlockNumber>;

/// Gets batches anchored and follows them to finality.
pub struct Anchorer {
	chain: Arc<Chain>,
	store: SharedStore,
	metrics: Arc<Metrics>,
	signer: Signer,
	/// Batches submitted (or refused) and not seen in a block yet, with when to submit them
	/// again.
	pending: Arc<Mutex<HashMap<i64, Instant>>>,
}

impl Anchorer {
	/// The anchorer of batches in `store`, signing with `signer`.
	pub fn new(
		chain: Arc<Chain>,
		store: SharedStore,
		metrics: Arc<Metrics>,
		signer: Signer,
	) -> Self {
		Self {
			chain,
			store,
			metrics,
			signer,
			pending: Default::default(),
		}
	}

	/// Runs at every head, every second, and when a batch is built, until the process ends.
	pub async fn run(self, anchor_due: Arc<Notify>) {
		let mut heads = self.chain.heads();
		let mut ticks = tokio::time::interval(Duration::from_secs(1));
		ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			tokio::select! {
				_ = ticks.tick() => {},
				_ = anchor_due.notified() => {},
				changed = heads.changed() => if changed.is_err() { return },
			}
			if let Err(error) = self.step().await {
				warn!("anchoring: {error:#}");
			}
		}
	}

	async fn with_store<R: Send + 'static>(
		&self,
		work: impl FnOnce(&mut dyn crate::store::Store) -> Result<R> + Send + 'static,
	) -> Result<R> {
		let store = self.store.clone();
		tokio::task::spawn_blocking(move || work(&mut *store.lock().expect("not poisoned")))
			.await
			.map_err(|error| anyhow!("store task: {error}"))?
	}

	/// One pass over the open batches.
	async fn step(&self) -> Result<()> {
		let heads = *self.chain.heads().borrow();
		let (Some((best_number, best)), Some((finalized_number, finalized))) =
			(heads.best, heads.finalized)
		else {
			return Ok(());
		};
		self.metrics.best_block.set(best_number.into());
		self.metrics.finalized_block.set(finalized_number.into());
		self.metrics
			.chain_lag_blocks
			.set(i64::from(best_number.saturating_sub(finalized_number)));
		let open = self.with_store(|store| store.open_batches()).await?;
		let backlog = self.with_store(|store| store.backlog()).await?;
		self.metrics.unbatched.set(backlog.unbatched as i64);
		self.metrics.open_batches.set(backlog.open_batches as i64);
		if open.is_empty() {
			return Ok(());
		}
		let node = self.chain.node().await?;
		let me = Attester::Account(self.signer.account.clone());
		for batch in open {
			let anchored = |at| {
				node.runtime_call::<Option<Anchor>>(
					"DataAnchoringApi_anchor_of",
					(batch.root, me.clone()),
					Some(at),
				)
			};
			if let Some(anchor) = anchored(finalized).await? {
				self.finalized(&node, &batch, anchor.block).await?;
				continue;
			}
			match anchored(best).await? {
				Some(anchor) => {
					if batch.block.map(|(number, _)| number) != Some(anchor.block) {
						let hash = node
							.block_hash(anchor.block)
							.await?
							.ok_or_else(|| anyhow!("no hash for block {}", anchor.block))?;
						let id = batch.id;
						self.with_store(move |store| {
							store.record_inclusion(id, Some((anchor.block, hash)), None)
						})
						.await?;
						self.metrics
							.batch_to_block
							.observe(now_ms().saturating_sub(batch.created_at) as f64 / 1_000.0);
						info!(
							batch = batch.id,
							block = anchor.block,
							"batch anchored in a block"
						);
					}
					self.pending.lock().expect("not poisoned").remove(&batch.id);
				}
				None => {
					if batch.block.is_some() {
						// Its block left the best chain.
						let id = batch.id;
						self.with_store(move |store| store.record_inclusion(id, None, None))
							.await?;
					}
					let waiting = self
						.pending
						.lock()
						.expect("not poisoned")
						.get(&batch.id)
						.is_some_and(|again| Instant::now() < *again);
					if !waiting {
						self.submit(&node, &batch).await?;
					}
				}
			}
		}
		Ok(())
	}

	async fn finalized(&self, node: &Node, batch: &Batch, number: u32) -> Result<()> {
		let hash = node
			.block_hash(number)
			.await?
			.ok_or_else(|| anyhow!("no hash for finalized block {number}"))?;
		let at = now_ms();
		let id = batch.id;
		self.with_store(move |store| store.record_inclusion(id, Some((number, hash)), Some(at)))
			.await?;
		self.pending.lock().expect("not poisoned").remove(&batch.id);
		self.metrics.batches_finalized.inc();
		self.metrics
			.reading_to_finality
			.observe(at.saturating_sub(batch.oldest_reading_at) as f64 / 1_000.0);
		info!(batch = batch.id, block = number, "batch anchor finalized");
		Ok(())
	}

	async fn submit(&self, node: &Arc<Node>, batch: &Batch) -> Result<()> {
		let call = AnchoringRuntimeCall::DataAnchoring(DataAnchoringCall::AnchorBatch {
			root: batch.root,
			leaf_count: batch.leaf_count,
			subject: None,
			kind: kind::SENSOR_READING,
			metadata: format!("viot-gateway batch {}", batch.id).into_bytes(),
		});
		let extrinsic = self.signer.sign(node, &call).await?;
		let id = batch.id;
		self.with_store(move |store| store.record_submission(id))
			.await?;
		match node.submit(extrinsic).await? {
			Ok(status) => {
				self.metrics
					.submissions
					.get_or_create(&[("outcome", "pooled")])
					.inc();
				debug!(batch = id, "anchor submitted");
				self.pending
					.lock()
					.expect("not poisoned")
					.insert(id, Instant::now() + RESUBMIT_AFTER);
				let pending = self.pending.clone();
				let metrics = self.metrics.clone();
				tokio::spawn(async move {
					match Node::wait_for_inclusion(status, WATCH_FOR).await {
						Ok(Inclusion::InBlock(_)) => {}
						Ok(Inclusion::Rejected(reason)) => {
							warn!(batch = id, reason, "anchor dropped; submitting again");
							metrics
								.submissions
								.get_or_create(&[("outcome", "dropped")])
								.inc();
							pending.lock().expect("not poisoned").remove(&id);
						}
						// Timeouts and lost subscriptions: the next pass looks at the chain.
						Err(error) => debug!(batch = id, "anchor status: {error:#}"),
					}
				});
			}
			Err(reason) => {
				self.metrics
					.submissions
					.get_or_create(&[("outcome", "refused")])
					.inc();
				warn!(batch = id, reason, account = %self.signer.address(), "the node refused the anchor");
				self.pending
					.lock()
					.expect("not poisoned")
					.insert(id, Instant::now() + RETRY_REFUSED_AFTER);
			}
		}
		Ok(())
	}
}
