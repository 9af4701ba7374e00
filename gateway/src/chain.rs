//! The gateway's view of the chain: one node connection (reconnected when it drops), the best
//! and finalized heads, and the devices that sent readings, kept current block by block.
//!
//! A device is checked at the best block and at the finalized block, and the stricter answer
//! wins: a suspension or revocation counts from the first block that includes it (refused
//! within a block), a registration only once it is final, a rotated key from the best block
//! on. Devices that signed a valid reading are followed: for every head the gateway reads their
//! raw storage entries (`state_queryStorageAt`, one request per 1,000 devices) and re-reads a
//! device through `DeviceIdentityApi_device` only when its entry changed. A device looked up but
//! not (yet) confirmed by a valid signature is not followed: its look-up holds until the next
//! finalized block, so naming public device ids with junk signatures does not grow the work done
//! at every head. Without a new head for five slots, the gateway refuses readings as
//! `chain-unavailable` instead of trusting what it saw last.

use anyhow::{anyhow, Context, Result};
use sp_core::H256;
use sp_crypto_hashing::{blake2_128, twox_128};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex, RwLock},
	time::{Duration, Instant},
};
use tokio::sync::{watch, Semaphore};
use tracing::{debug, info, warn};
use viot_primitives::{
	device::{DeviceId, DeviceInfo, DevicePublicKey, DeviceStatus},
	AccountId, Balance, BlockNumber,
};
use viot_relayer::rpc::Node;

/// Devices whose storage one `state_queryStorageAt` request reads.
const KEYS_PER_REQUEST: usize = 1_000;
/// Device look-ups (four runtime calls each) running at once: unknown device ids cost the
/// sender nothing, so they queue here instead of multiplying node requests.
const CONCURRENT_LOOKUPS: usize = 8;
/// Look-ups not confirmed by a valid signature remembered (until the next finalized block)
/// before the memory is cleared.
const MAX_UNCONFIRMED: usize = 100_000;
/// Slots without a new head after which the gateway no longer trusts what it saw last.
const STALE_SLOTS: u64 = 5;

/// The heads the gateway follows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Heads {
	/// Best block (number, hash).
	pub best: Option<(u32, H256)>,
	/// Finalized block (number, hash).
	pub finalized: Option<(u32, H256)>,
	/// When a head last changed.
	pub updated: Option<Instant>,
}

/// What the chain says about a device that signed a reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceCheck {
	/// Active at the best and at the finalized block; signatures are checked with this key.
	Active(DevicePublicKey),
	/// Not registered (or not yet at the finalized block).
	Unknown,
	/// Suspended by its owner or issuer at the best or the finalized block.
	Suspended,
	/// Revoked at the best or the finalized block.
	Revoked,
}

type Info = DeviceInfo<AccountId, Balance, BlockNumber>;

/// A device as one block sees it: its raw storage entry (to notice changes) and its key and
/// status.
#[derive(Clone, Debug, Default)]
struct View {
	raw: Option<Vec<u8>>,
	device: Option<(DevicePublicKey, DeviceStatus)>,
}

#[derive(Clone, Debug, Default)]
struct Entry {
	best: View,
	finalized: View,
}

impl Entry {
	fn check(&self) -> DeviceCheck {
		match (&self.best.device, &self.finalized.device) {
			(Some((key, best)), Some((_, finalized))) => {
				let statuses = [best, finalized];
				if statuses.contains(&&DeviceStatus::Revoked) {
					DeviceCheck::Revoked
				} else if statuses
					.iter()
					.all(|status| **status == DeviceStatus::Active)
				{
					DeviceCheck::Active(key.clone())
				} else {
					// Suspended by its owner or by its issuer.
					DeviceCheck::Suspended
				}
			}
			_ => DeviceCheck::Unknown,
		}
	}
}

/// The chain, as the gateway follows it.
pub struct Chain {
	url: String,
	node: tokio::sync::Mutex<Arc<Node>>,
	/// The chain's genesis hash: readings are signed for it.
	pub genesis: H256,
	/// Devices that signed a valid reading, followed at every head.
	devices: RwLock<HashMap<DeviceId, Entry>>,
	/// Devices looked up but not confirmed by a valid signature (unknown ones among them), with
	/// the finalized block at which they were looked up: good until the next one.
	unconfirmed: Mutex<HashMap<DeviceId, (u32, Entry)>>,
	lookups: Semaphore,
	heads: watch::Sender<Heads>,
	/// Without a new head for this long, the gateway refuses readings.
	stale_after: Duration,
}

/// The key of `device`'s entry in `DeviceIdentity::Devices` (Blake2_128Concat).
fn device_key(device: &DeviceId) -> Vec<u8> {
	[
		&twox_128(b"DeviceIdentity")[..],
		&twox_128(b"Devices")[..],
		&blake2_128(device)[..],
		&device[..],
	]
	.concat()
}

impl Chain {
	/// Connects to the node at `url` (`ws://…`).
	pub async fn connect(url: &str) -> Result<Arc<Self>> {
		let node = Node::connect(url).await?;
		let genesis = node.genesis_hash().await?;
		let slot_ms: u64 = node
			.runtime_call("AuraApi_slot_duration", (), None)
			.await
			.context("the chain's slot duration")?;
		Ok(Arc::new(Self {
			url: url.to_string(),
			node: tokio::sync::Mutex::new(Arc::new(node)),
			genesis,
			devices: Default::default(),
			unconfirmed: Default::default(),
			lookups: Semaphore::new(CONCURRENT_LOOKUPS),
			heads: watch::channel(Heads::default()).0,
			stale_after: Duration::from_millis(slot_ms.max(1_000) * STALE_SLOTS),
		}))
	}

	/// [`Chain::connect`], tried again (1 s to 5 s apart) while it fails, for at most `wait`:
	/// a gateway started next to a node that is still starting waits for it.
	pub async fn connect_waiting(url: &str, wait: Duration) -> Result<Arc<Self>> {
		let deadline = Instant::now() + wait;
		let mut pause = Duration::from_secs(1);
		loop {
			let error = match Self::connect(url).await {
				Ok(chain) => return Ok(chain),
				Err(error) => error,
			};
			let now = Instant::now();
			if now >= deadline {
				return Err(error.context(format!(
					"no node of the chain at {url} within {} s (--wait-for-node)",
					wait.as_secs()
				)));
			}
			// The last try is at the deadline.
			let nap = pause.min(deadline - now);
			info!(%url, "waiting for the node: {error:#}; again in {nap:?}");
			tokio::time::sleep(nap).await;
			pause = (pause * 2).min(Duration::from_secs(5));
		}
	}

	/// The node connection, reconnected if it dropped.
	pub async fn node(&self) -> Result<Arc<Node>> {
		let mut node = self.node.lock().await;
		if !node.is_connected() {
			info!(url = %self.url, "reconnecting to the node");
			let fresh = Node::connect(&self.url).await?;
			let genesis = fresh.genesis_hash().await?;
			if genesis != self.genesis {
				return Err(anyhow!(
					"{} now serves another chain (genesis {genesis:?})",
					self.url
				));
			}
			*node = Arc::new(fresh);
		}
		Ok(node.clone())
	}

	/// The heads, as they change.
	pub fn heads(&self) -> watch::Receiver<Heads> {
		self.heads.subscribe()
	}

	/// Whether the heads are recent enough to check devices against.
	pub fn is_current(&self) -> bool {
		let heads = *self.heads.borrow();
		heads.finalized.is_some()
			&& heads.best.is_some()
			&& heads
				.updated
				.is_some_and(|updated| updated.elapsed() < self.stale_after)
	}

	/// Follows `device` from now on: it signed a valid reading.
	pub fn confirm(&self, device: &DeviceId) {
		if self
			.devices
			.read()
			.expect("not poisoned")
			.contains_key(device)
		{
			return;
		}
		let entry = self
			.unconfirmed
			.lock()
			.expect("not poisoned")
			.remove(device);
		if let Some((_, entry)) = entry {
			self.devices
				.write()
				.expect("not poisoned")
				.insert(*device, entry);
		}
	}

	/// What the chain says about `device` now; looks it up on first use.
	pub async fn device(&self, device: &DeviceId) -> Result<DeviceCheck> {
		if let Some(entry) = self.devices.read().expect("not poisoned").get(device) {
			return Ok(entry.check());
		}
		let heads = *self.heads.borrow();
		let (Some((_, best)), Some((finalized_number, finalized))) = (heads.best, heads.finalized)
		else {
			return Err(anyhow!("the gateway has not seen the chain's heads yet"));
		};
		let looked_up = |unconfirmed: &HashMap<DeviceId, (u32, Entry)>| {
			unconfirmed
				.get(device)
				.filter(|(at, _)| *at == finalized_number)
				.map(|(_, entry)| entry.check())
		};
		if let Some(check) = looked_up(&self.unconfirmed.lock().expect("not poisoned")) {
			return Ok(check);
		}
		let _permit = self.lookups.acquire().await?;
		// Another reading of the same device may have looked it up meanwhile.
		if let Some(entry) = self.devices.read().expect("not poisoned").get(device) {
			return Ok(entry.check());
		}
		if let Some(check) = looked_up(&self.unconfirmed.lock().expect("not poisoned")) {
			return Ok(check);
		}
		let node = self.node().await?;
		let entry = Entry {
			best: Self::view(&node, device, best).await?,
			finalized: Self::view(&node, device, finalized).await?,
		};
		let check = entry.check();
		let mut unconfirmed = self.unconfirmed.lock().expect("not poisoned");
		if unconfirmed.len() >= MAX_UNCONFIRMED {
			unconfirmed.clear();
		}
		unconfirmed.insert(*device, (finalized_number, entry));
		Ok(check)
	}

	async fn view(node: &Node, device: &DeviceId, at: H256) -> Result<View> {
		let raw = node.storage(&device_key(device), Some(at)).await?;
		let device = match raw {
			None => None,
			Some(_) => node
				.runtime_call::<Option<Info>>("DeviceIdentityApi_device", device, Some(at))
				.await?
				.map(|info| (info.key, info.status)),
		};
		Ok(View { raw, device })
	}

	/// Follows the chain until it fails: best and finalized heads, and every known device at
	/// each. The caller restarts it.
	pub async fn follow(&self) -> Result<()> {
		let node = self.node().await?;
		let mut best = node.subscribe_heads(false).await?;
		let mut finalized = node.subscribe_heads(true).await?;
		loop {
			let (header, is_final) = tokio::select! {
				header = best.next() => (header, false),
				header = finalized.next() => (header, true),
			};
			let header = header
				.ok_or_else(|| anyhow!("the node closed a head subscription"))?
				.context("a head notification")?;
			let head = (header.number, header.hash());
			self.refresh(&node, head.1, is_final).await?;
			self.heads.send_modify(|heads| {
				if is_final {
					heads.finalized = Some(head);
					// A finalized block the best chain has not reached yet is best too.
					if heads.best.is_none_or(|(number, _)| number < head.0) {
						heads.best = Some(head);
					}
				} else {
					heads.best = Some(head);
				}
				heads.updated = Some(Instant::now());
			});
		}
	}

	/// Re-reads every known device whose storage entry changed at block `at`.
	async fn refresh(&self, node: &Node, at: H256, finalized: bool) -> Result<()> {
		let devices: Vec<DeviceId> = self
			.devices
			.read()
			.expect("not poisoned")
			.keys()
			.copied()
			.collect();
		for chunk in devices.chunks(KEYS_PER_REQUEST) {
			let keys: Vec<Vec<u8>> = chunk.iter().map(device_key).collect();
			let values: HashMap<Vec<u8>, Option<Vec<u8>>> =
				node.storage_values(&keys, at).await?.into_iter().collect();
			for (device, key) in chunk.iter().zip(&keys) {
				let Some(raw) = values.get(key) else {
					continue;
				};
				let unchanged = self
					.devices
					.read()
					.expect("not poisoned")
					.get(device)
					.is_some_and(|entry| {
						let view = if finalized {
							&entry.finalized
						} else {
							&entry.best
						};
						view.raw == *raw
					});
				if unchanged {
					continue;
				}
				let view = Self::view(node, device, at).await?;
				debug!(device = %hex::encode(device), finalized, status = ?view.device.as_ref().map(|d| &d.1), "device changed");
				if let Some(entry) = self.devices.write().expect("not poisoned").get_mut(device) {
					if finalized {
						entry.finalized = view;
					} else {
						entry.best = view;
					}
				}
			}
		}
		Ok(())
	}

	/// Follows the chain forever, reconnecting after failures (1 s to 30 s apart).
	pub async fn follow_forever(self: Arc<Self>) {
		let mut pause = Duration::from_secs(1);
		loop {
			let started = Instant::now();
			if let Err(error) = self.follow().await {
				warn!("following the chain: {error:#}; again in {pause:?}");
			}
			if started.elapsed() > Duration::from_secs(60) {
				pause = Duration::from_secs(1);
			}
			tokio::time::sleep(pause).await;
			pause = (pause * 2).min(Duration::from_secs(30));
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn view(status: DeviceStatus, key: u8) -> View {
		View {
			raw: Some(vec![key]),
			device: Some((DevicePublicKey::Sr25519([key; 32]), status)),
		}
	}

	#[test]
	fn the_stricter_of_best_and_finalized_wins_and_the_best_key_counts() {
		use DeviceStatus::*;
		let entry = |best, finalized| Entry { best, finalized };
		assert_eq!(
			entry(view(Active, 2), view(Active, 1)).check(),
			DeviceCheck::Active(DevicePublicKey::Sr25519([2; 32]))
		);
		assert_eq!(
			entry(view(Revoked, 1), view(Active, 1)).check(),
			DeviceCheck::Revoked
		);
		assert_eq!(
			entry(view(Active, 1), view(Suspended, 1)).check(),
			DeviceCheck::Suspended
		);
		// Suspended by its issuer, at either block.
		assert_eq!(
			entry(view(SuspendedByIssuer, 1), view(Active, 1)).check(),
			DeviceCheck::Suspended
		);
		assert_eq!(
			entry(view(Active, 1), view(SuspendedByIssuer, 1)).check(),
			DeviceCheck::Suspended
		);
		// Registered in a block not finalized yet, or gone from the best chain.
		assert_eq!(
			entry(view(Active, 1), View::default()).check(),
			DeviceCheck::Unknown
		);
		assert_eq!(
			entry(View::default(), view(Active, 1)).check(),
			DeviceCheck::Unknown
		);
	}

	#[test]
	fn the_device_key_is_the_runtimes_storage_key() {
		for id in [[7; 32], [0; 32], [255; 32]] {
			assert_eq!(
				device_key(&id),
				pallet_device_identity::Devices::<viot_runtime::Runtime>::hashed_key_for(id)
			);
		}
	}

	#[tokio::test]
	async fn a_node_that_never_comes_is_waited_for_then_named() {
		// A port nothing listens on.
		let port = std::net::TcpListener::bind("127.0.0.1:0")
			.unwrap()
			.local_addr()
			.unwrap()
			.port();
		let url = format!("ws://127.0.0.1:{port}");
		let started = Instant::now();
		let error = match Chain::connect_waiting(&url, Duration::from_secs(3)).await {
			Ok(_) => panic!("nothing listens on {url}"),
			Err(error) => error,
		};
		// Tried at 0 s, 1 s and 3 s (1 s, then 2 s apart), not once.
		assert!(started.elapsed() >= Duration::from_secs(3));
		assert!(started.elapsed() < Duration::from_secs(10));
		assert!(format!("{error:#}").contains(&format!(
			"no node of the chain at {url} within 3 s (--wait-for-node)"
		)));
	}
}
