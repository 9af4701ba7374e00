//! Batches and their anchors: the batcher puts stored readings into Merkle batches (every
//! interval, or as soon as a full batch waits); the anchorer gets each batch's root anchored
//! with `DataAnchoring::anchor_batch` and follows it to finality.
//!
//! The anchorer keeps no state but the store: at every head it asks the chain whether each open
//! batch's root is anchored by the gateway's account at the finalized block (done), at the best
//! block (in a block, waiting), or not at all (submitted, unless a submission is pending: the
//! time of the last one is in the store, so a restart does not submit again what the node's pool
//! still holds). A transaction included without anchoring (its deposit could not be held) is
//! noticed in its block and retried after 30 s. The chain keys anchors by digest and attester,
//! so a second submission of the same root fails with `AlreadyAnchored` and a batch is never
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

use crate::{
	chain::Chain,
	ingest::{now_ms, SharedStore},
	metrics::Metrics,
	store::Batch,
};

/// A submission not in a block after this long is made again (the first one's mortal era,
/// 16 blocks, then expires on a 6-second chain; on faster chains the chain refuses the
/// second anchor of the same root).
const RESUBMIT_AFTER: Duration = Duration::from_secs(96);
/// A submission the node refused is tried again after this long.
const RETRY_REFUSED_AFTER: Duration = Duration::from_secs(5);
/// A submission included but failed (no anchor) is tried again after this long.
const RETRY_FAILED_AFTER: Duration = Duration::from_secs(30);
/// How long to follow a submission's status.
const WATCH_FOR: Duration = Duration::from_secs(120);

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

/// Submissions one pass makes at most: a backlog of batches (the account out of funds, the node
/// refusing) does not turn into a burst of transactions.
const SUBMISSIONS_PER_PASS: usize = 4;

/// Gets batches anchored and follows them to finality.
pub struct Anchorer {
	chain: Arc<Chain>,
	store: SharedStore,
	metrics: Arc<Metrics>,
	signer: Signer,
	/// Batches whose last submission was dropped, refused, or included without anchoring, with
	/// when to submit them again (sooner than [`RESUBMIT_AFTER`]).
	retry_at: Arc<Mutex<HashMap<i64, Instant>>>,
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
			retry_at: Default::default(),
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
		let mut submissions = 0;
		for batch in open {
			// One batch's trouble does not hold up the others.
			match self.advance(&node, &batch, best, finalized).await {
				Ok(Some(Due)) if submissions < SUBMISSIONS_PER_PASS => {
					submissions += 1;
					if let Err(error) = self.submit(&node, &batch).await {
						warn!(batch = batch.id, "submitting the anchor: {error:#}");
					}
				}
				Ok(_) => {}
				Err(error) => warn!(batch = batch.id, "following the anchor: {error:#}"),
			}
		}
		Ok(())
	}

	/// Records what the chain says about `batch`'s anchor; `Some(Due)` if it must be submitted.
	async fn advance(
		&self,
		node: &Node,
		batch: &Batch,
		best: sp_core::H256,
		finalized: sp_core::H256,
	) -> Result<Option<Due>> {
		if let Some(anchor) = self.anchor_at(node, batch, finalized).await? {
			self.finalized(node, batch, anchor.block).await?;
			return Ok(None);
		}
		if let Some(anchor) = self.anchor_at(node, batch, best).await? {
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
			self.retry_at
				.lock()
				.expect("not poisoned")
				.remove(&batch.id);
			return Ok(None);
		}
		if batch.block.is_some() {
			// Its block left the best chain.
			let id = batch.id;
			self.with_store(move |store| store.record_inclusion(id, None, None))
				.await?;
		}
		// Submitted before (also before a restart: the time is in the store)? Then wait for
		// that submission, unless it was dropped or refused.
		let due = match self.retry_at.lock().expect("not poisoned").get(&batch.id) {
			Some(again) => Instant::now() >= *again,
			None => batch
				.submitted_at
				.is_none_or(|at| now_ms() >= at.saturating_add(RESUBMIT_AFTER.as_millis() as u64)),
		};
		Ok(due.then_some(Due))
	}

	async fn anchor_at(
		&self,
		node: &Node,
		batch: &Batch,
		at: sp_core::H256,
	) -> Result<Option<Anchor>> {
		node.runtime_call::<Option<Anchor>>(
			"DataAnchoringApi_anchor_of",
			(batch.root, Attester::Account(self.signer.account.clone())),
			Some(at),
		)
		.await
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
		self.retry_at
			.lock()
			.expect("not poisoned")
			.remove(&batch.id);
		self.metrics.batches_finalized.inc();
		self.metrics
			.reading_to_finality
			.observe(at.saturating_sub(batch.oldest_reading_at) as f64 / 1_000.0);
		info!(batch = batch.id, block = number, "batch anchor finalized");
		Ok(())
	}

	/// Retries `batch` after `pause`, counting `outcome`.
	fn retry_later(
		retry_at: &Mutex<HashMap<i64, Instant>>,
		metrics: &Metrics,
		batch: i64,
		outcome: &'static str,
		pause: Duration,
	) {
		metrics
			.submissions
			.get_or_create(&[("outcome", outcome)])
			.inc();
		retry_at
			.lock()
			.expect("not poisoned")
			.insert(batch, Instant::now() + pause);
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
		self.retry_at.lock().expect("not poisoned").remove(&id);
		let status = match node.submit(extrinsic).await? {
			Ok(status) => status,
			Err(reason) => {
				warn!(batch = id, reason, account = %self.signer.address(), "the node refused the anchor; again in 5 s");
				Self::retry_later(
					&self.retry_at,
					&self.metrics,
					id,
					"refused",
					RETRY_REFUSED_AFTER,
				);
				return Ok(());
			}
		};
		// In the pool: recorded, so that a restart waits for it rather than submit again.
		let at = now_ms();
		self.with_store(move |store| store.record_submission(id, at))
			.await?;
		self.metrics
			.submissions
			.get_or_create(&[("outcome", "pooled")])
			.inc();
		debug!(batch = id, "anchor submitted");
		let (retry_at, metrics, node, account, root) = (
			self.retry_at.clone(),
			self.metrics.clone(),
			node.clone(),
			self.signer.account.clone(),
			batch.root,
		);
		tokio::spawn(async move {
			match Node::wait_for_inclusion(status, WATCH_FOR).await {
				Ok(Inclusion::InBlock(block)) => {
					// In a block, but did it anchor? (It fails if, e.g., the deposit cannot be
					// held.)
					let anchored = node
						.runtime_call::<Option<Anchor>>(
							"DataAnchoringApi_anchor_of",
							(root, Attester::Account(account)),
							Some(block),
						)
						.await;
					if let Ok(None) = anchored {
						warn!(batch = id, ?block, "the anchor's transaction failed in its block (funds for the deposit?); again in 30 s");
						Self::retry_later(&retry_at, &metrics, id, "failed", RETRY_FAILED_AFTER);
					}
				}
				Ok(Inclusion::Rejected(reason)) => {
					warn!(batch = id, reason, "anchor dropped; submitting again");
					Self::retry_later(&retry_at, &metrics, id, "dropped", Duration::ZERO);
				}
				// Timeouts and lost subscriptions: the passes look at the chain.
				Err(error) => debug!(batch = id, "anchor status: {error:#}"),
			}
		});
		Ok(())
	}
}

/// A batch whose anchor must be submitted.
struct Due;
