//! Command-line interface.

use sc_cli::RunCmd;

/// `viot-node [SUBCOMMAND] [OPTIONS]`: without a subcommand, runs a node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	/// Peers a warp sync (`--sync warp`) waits for before it starts; polkadot-sdk's default
	/// is 3. A network of fewer nodes sets it lower.
	#[arg(long, value_name = "COUNT")]
	pub warp_sync_min_peers: Option<usize>,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Write a chain specification (JSON) to stdout.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks from a file.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous block.
	Revert(sc_cli::RevertCmd),

	/// Print database column information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmarks: the runtime's pallets (`pallet`), block and extrinsic base weights
	/// (`overhead`), database reads and writes (`storage`), block import (`block`). `pallet` and
	/// `overhead` need a node built with the feature `runtime-benchmarks`.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
