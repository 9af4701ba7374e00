//! `viot-relayer`: keeps a VIoT chain's light client of another chain (a child on its parent,
//! or the parent on a child) up to date, and carries the message lanes between them: the
//! source's messages to the target and the source's receipts of the target's messages. Run one
//! per direction, with the same signer, to move tokens both ways and be paid for deliveries.
//!
//! ```text
//! viot-relayer --source ws://127.0.0.1:9955 --target ws://127.0.0.1:9944 --chain-id 0 --signer //Alice
//! viot-relayer register --source ws://127.0.0.1:9955 --target ws://127.0.0.1:9944 --signer //Alice
//! ```
//!
//! The relayer is trusted with nothing: the target verifies every justification and every
//! message proof itself. It
//! keeps no state of its own; it resumes from the parent's best verified header, reconnects
//! when either node drops, and stops cleanly on SIGINT/SIGTERM. Logs go to stderr
//! (`RUST_LOG=viot_relayer=debug` for more).

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::time::Duration;
use tracing::{info, warn};
use viot_primitives::child::ChainId;
use viot_relayer::{extrinsic, register, relay, rpc, Fatal};

#[derive(Parser)]
#[command(
	name = "viot-relayer",
	version,
	about,
	args_conflicts_with_subcommands = true
)]
struct Cli {
	#[command(subcommand)]
	command: Option<Command>,
	#[command(flatten)]
	relay: RelayArgs,
}

#[derive(clap::Args)]
struct RelayArgs {
	/// WebSocket URL of a node of the chain whose finality is relayed (the child).
	#[arg(long)]
	source: Option<String>,
	/// WebSocket URL of a node of the parent chain.
	#[arg(long)]
	target: Option<String>,
	/// The child chain's id on the parent.
	#[arg(long)]
	chain_id: Option<ChainId>,
	/// Secret URI of the sr25519 account that signs the proofs (`//Alice`, a mnemonic, a hex
	/// seed). Valid proofs are free, but the account must hold enough for the fee up front.
	#[arg(long)]
	signer: Option<String>,
	/// Relay headers only: carry no messages of the lanes between the two chains.
	#[arg(long)]
	no_lanes: bool,
}

#[derive(Subcommand)]
enum Command {
	/// Registers the source chain on the target from its genesis, finalized header and GRANDPA
	/// authorities; prints the new chain id on stdout. The registration is pending until the
	/// target's governance approves it (`childChains.approveChildChain`); a relayer started
	/// before that waits for the approval.
	Register {
		/// WebSocket URL of a node of the child chain.
		#[arg(long)]
		source: String,
		/// WebSocket URL of a node of the parent chain.
		#[arg(long)]
		target: String,
		/// Secret URI of the account that registers (and owns) the child chain.
		#[arg(long)]
		signer: String,
		/// Name to register; the source's `system_chain` by default.
		#[arg(long)]
		name: Option<String>,
		/// Token symbol to register (at most 12 bytes); the source's `tokenSymbol` property by
		/// default, or `UNIT` if the source reports none.
		#[arg(long)]
		symbol: Option<String>,
	},
}

#[tokio::main]
async fn main() {
	use std::io::IsTerminal;
	tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.with_ansi(std::io::stderr().is_terminal())
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| "viot_relayer=info".into()),
		)
		.init();
	let cli = Cli::parse();
	viot_relayer::run_until_stopped(run(cli)).await;
}

async fn run(cli: Cli) -> Result<()> {
	match cli.command {
		Some(Command::Register {
			source,
			target,
			signer,
			name,
			symbol,
		}) => {
			let signer = extrinsic::Signer::from_suri(&signer)?;
			let source = rpc::Node::connect(&source).await?;
			let target = rpc::Node::connect(&target).await?;
			let chain_id = register::register(&source, &target, &signer, name, symbol).await?;
			info!(
				chain_id,
				"registered; pending until the parent's governance approves it"
			);
			println!("{chain_id}");
			Ok(())
		}
		None => {
			let args = cli.relay;
			let missing = |name: &str| anyhow::anyhow!("--{name} is required (see --help)");
			let source = args.source.ok_or_else(|| missing("source"))?;
			let target = args.target.ok_or_else(|| missing("target"))?;
			let chain_id = args.chain_id.ok_or_else(|| missing("chain-id"))?;
			let signer =
				extrinsic::Signer::from_suri(&args.signer.ok_or_else(|| missing("signer"))?)?;
			relay_forever(&source, &target, chain_id, &signer, !args.no_lanes).await
		}
	}
}

/// Relays, reconnecting after any failure that is not [`Fatal`], with a growing pause (1 s to
/// 30 s).
async fn relay_forever(
	source: &str,
	target: &str,
	chain_id: ChainId,
	signer: &extrinsic::Signer,
	carry_messages: bool,
) -> Result<()> {
	info!(source, target, chain_id, signer = %signer.address(), carry_messages, "relayer starting");
	let mut pause = Duration::from_secs(1);
	// Kept across reconnections: a proof that keeps failing on chain stops the relayer however
	// often it reconnects.
	let paid_failures = std::cell::Cell::new(0);
	loop {
		let session = async {
			let source = rpc::Node::connect(source).await?;
			let target = rpc::Node::connect(target).await?;
			let mut relay = relay::Relay::new(source, target, chain_id, signer, &paid_failures);
			relay.carry_messages = carry_messages;
			relay.run().await
		};
		let started = std::time::Instant::now();
		match session.await {
			Ok(()) => return Ok(()),
			Err(error) if error.downcast_ref::<Fatal>().is_some() => return Err(error),
			Err(error) => warn!("{error:#}; reconnecting in {pause:?}"),
		}
		// A session that ran a while starts the pauses over.
		if started.elapsed() > Duration::from_secs(60) {
			pause = Duration::from_secs(1);
		}
		tokio::time::sleep(pause).await;
		pause = (pause * 2).min(Duration::from_secs(30));
	}
}
