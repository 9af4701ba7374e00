//! `viot-gateway`: receives devices' signed readings over MQTT and HTTP, checks each against the
//! chain (device registered and active, signature by its current key, sequence number unused),
//! stores it durably, anchors readings in Merkle batches and serves a verification bundle for
//! every reading.
//!
//! ```text
//! viot-gateway run --node ws://127.0.0.1:9944 --signer //Alice --db gateway.sqlite \
//!     --http 127.0.0.1:8090 --mqtt mqtt://127.0.0.1:1883
//! viot-gateway prove 0x<digest> --db gateway.sqlite
//! ```
//!
//! The gateway is trusted with nothing a verifier cannot check: devices sign their readings,
//! the chain anchors the batches, and a bundle carries what is needed to check both. Logs go to
//! stderr (`RUST_LOG=viot_gateway=debug` for more, `--log-format json` for JSON lines).

#![warn(missing_docs)]

mod anchor;
mod bundle;
mod chain;
mod http;
mod ingest;
mod metrics;
mod mqtt;
mod store;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use sp_core::{crypto::Ss58Codec, H256};
use std::{
	path::PathBuf,
	sync::{atomic::AtomicU64, Arc, Mutex},
	time::Duration,
};
use tokio::sync::Notify;
use tracing::info;
use viot_primitives::AccountId;
use viot_relayer::extrinsic::Signer;

use crate::store::{SqliteStore, Store};

#[derive(Parser)]
#[command(name = "viot-gateway", version, about)]
struct Cli {
	/// Log lines as text or as JSON objects.
	#[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
	log_format: LogFormat,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
	Text,
	Json,
}

#[derive(Subcommand)]
enum Command {
	/// Runs the gateway.
	Run(RunArgs),
	/// Prints the verification bundles of the readings of a digest, from the store (works
	/// beside a running gateway).
	Prove {
		/// The record's digest (32 bytes of hex).
		digest: String,
		/// The gateway's store.
		#[arg(long, default_value = "viot-gateway.sqlite")]
		db: PathBuf,
	},
}

#[derive(clap::Args)]
struct RunArgs {
	/// Seconds to wait for the node at start, trying again while it cannot be reached (it may
	/// still be starting); after that the gateway exits with the last error.
	#[arg(long, default_value_t = 60)]
	wait_for_node: u64,
	/// WebSocket URL of a node of the chain.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Secret URI of the sr25519 account that anchors the batches and pays their fees and
	/// deposits (`//Alice`, a mnemonic, a hex seed).
	#[arg(long)]
	signer: String,
	/// The store: one SQLite file, created if missing.
	#[arg(long, default_value = "viot-gateway.sqlite")]
	db: PathBuf,
	/// Address of the HTTP API.
	#[arg(long, default_value = "127.0.0.1:8090")]
	http: String,
	/// MQTT broker to subscribe to (`mqtt://host:port`); none if absent.
	#[arg(long)]
	mqtt: Option<String>,
	/// Topic filter of device readings.
	#[arg(long, default_value = "viot/readings/#")]
	mqtt_topic: String,
	/// MQTT client id; the broker keeps unacknowledged messages for it across restarts.
	#[arg(long, default_value = "viot-gateway")]
	mqtt_client_id: String,
	/// Milliseconds between batches.
	#[arg(long, default_value_t = 1_000)]
	batch_interval_ms: u64,
	/// Readings per batch at most; a full batch is built at once.
	#[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
	batch_size: u32,
}

#[tokio::main]
async fn main() {
	use std::io::IsTerminal;
	let cli = Cli::parse();
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| "viot_gateway=info,viot_relayer=info".into());
	let logs = tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.with_env_filter(filter);
	match cli.log_format {
		LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
		LogFormat::Json => logs.json().init(),
	}
	// Whatever was acknowledged is on disk already when a signal stops it.
	viot_relayer::run_until_stopped(async move {
		match cli.command {
			Command::Prove { digest, db } => prove(&digest, &db),
			Command::Run(args) => run(args).await,
		}
	})
	.await;
}

fn digest_of(text: &str) -> Result<H256> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text)).context("a hex digest")?;
	Ok(H256(
		bytes
			.try_into()
			.map_err(|_| anyhow!("a digest is 32 bytes"))?,
	))
}

fn prove(digest: &str, db: &std::path::Path) -> Result<()> {
	let digest = digest_of(digest)?;
	if !db.exists() {
		bail!("no store at {}", db.display());
	}
	let store = SqliteStore::open_read_only(db)?;
	let genesis = store
		.setting("genesis")?
		.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
		.map(H256)
		.ok_or_else(|| anyhow!("{} has no chain yet", db.display()))?;
	let gateway = store
		.setting("gateway")?
		.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
		.map(AccountId::new)
		.ok_or_else(|| anyhow!("{} has no gateway account yet", db.display()))?;
	let readings = store.readings_of(&digest)?;
	println!(
		"{}",
		serde_json::to_string_pretty(&bundle::bundles(&digest, &readings, genesis, &gateway))?
	);
	if readings.is_empty() {
		bail!("no reading of {digest:?} in {}", db.display());
	}
	Ok(())
}

/// Checks that the store belongs to this chain and this account (a batch anchored by one
/// account cannot be proven as another's), and records both on first use.
fn bind_store(store: &mut dyn Store, genesis: H256, gateway: &AccountId) -> Result<()> {
	let account: &[u8] = gateway.as_ref();
	for (key, value, what) in [
		("genesis", genesis.as_bytes(), "chain (genesis)"),
		("gateway", account, "anchoring account"),
	] {
		match store.setting(key)? {
			Some(stored) if stored != value => bail!(
				"the store belongs to another {what}: 0x{}; use its own --db",
				hex::encode(stored)
			),
			Some(_) => {}
			None => store.set_setting(key, value)?,
		}
	}
	Ok(())
}

async fn run(args: RunArgs) -> Result<()> {
	let signer = Signer::from_suri(&args.signer)?;
	let chain = chain::Chain::connect_waiting(
		&args.node,
		std::time::Duration::from_secs(args.wait_for_node),
	)
	.await?;
	let mut writer = SqliteStore::open(&args.db)?;
	bind_store(&mut writer, chain.genesis, &signer.account)?;
	let reader: Arc<Mutex<dyn Store>> = Arc::new(Mutex::new(SqliteStore::open(&args.db)?));
	let store: ingest::SharedStore = Arc::new(Mutex::new(writer));
	let metrics = Arc::new(metrics::Metrics::new());
	info!(
		node = %args.node,
		genesis = ?chain.genesis,
		account = %signer.account.to_ss58check(),
		db = %args.db.display(),
		"gateway starting"
	);

	tokio::spawn(chain.clone().follow_forever());
	let stored = Arc::new(AtomicU64::new(0));
	let batch_due = Arc::new(Notify::new());
	let anchor_due = Arc::new(Notify::new());
	let (ingest, committer) = ingest::Ingest::new(
		chain.clone(),
		store.clone(),
		metrics.clone(),
		stored.clone(),
		batch_due.clone(),
		args.batch_size.into(),
	);
	let ingest = Arc::new(ingest);
	let batcher = tokio::spawn(anchor::batch_forever(
		store.clone(),
		metrics.clone(),
		stored,
		batch_due,
		anchor_due.clone(),
		Duration::from_millis(args.batch_interval_ms.max(10)),
		args.batch_size,
	));
	let gateway = signer.account.clone();
	let anchorer = tokio::spawn(
		anchor::Anchorer::new(chain.clone(), store.clone(), metrics.clone(), signer)
			.run(anchor_due),
	);
	let mqtt = match &args.mqtt {
		Some(url) => {
			let config = mqtt::MqttConfig::parse(url, args.mqtt_client_id, args.mqtt_topic)?;
			tokio::spawn(mqtt::run(config, ingest.clone()))
		}
		None => tokio::spawn(std::future::pending()),
	};
	let api = Arc::new(http::Api {
		ingest,
		reader,
		metrics,
		chain,
		gateway,
		posts: tokio::sync::Semaphore::new(http::CONCURRENT_POSTS),
	});
	let listener = tokio::net::TcpListener::bind(&args.http)
		.await
		.with_context(|| format!("cannot listen on {}", args.http))?;
	info!(address = %listener.local_addr()?, "HTTP API listening");
	// Every part runs for the life of the process: if one ends (a bug, a poisoned lock), the
	// gateway exits rather than take readings it would never anchor; what it acknowledged is
	// in the store.
	let ended = |name: &str, ended: Result<(), tokio::task::JoinError>| match ended {
		Ok(()) => anyhow!("the {name} stopped"),
		Err(error) => anyhow!("the {name} failed: {error}"),
	};
	tokio::select! {
		served = axum::serve(listener, http::router(api)) => {
			served.context("the HTTP server stopped")
		}
		stopped = committer => Err(ended("store writer", stopped)),
		stopped = batcher => Err(ended("batcher", stopped)),
		stopped = anchorer => Err(ended("anchorer", stopped)),
		stopped = mqtt => Err(ended("MQTT client", stopped)),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_store_serves_one_chain_and_one_account() {
		let dir = tempfile::tempdir().unwrap();
		let mut store = SqliteStore::open(&dir.path().join("g.sqlite")).unwrap();
		let alice = AccountId::new([1; 32]);
		bind_store(&mut store, H256::repeat_byte(1), &alice).unwrap();
		bind_store(&mut store, H256::repeat_byte(1), &alice).unwrap();
		let other_chain = bind_store(&mut store, H256::repeat_byte(2), &alice).unwrap_err();
		assert!(other_chain.to_string().contains("another chain"));
		let other_account =
			bind_store(&mut store, H256::repeat_byte(1), &AccountId::new([2; 32])).unwrap_err();
		assert!(other_account
			.to_string()
			.contains("another anchoring account"));
	}
}
