//! Parses the command line and runs the chosen subcommand or the node.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use viot_primitives::opaque::Block;

/// What `benchmark pallet` and `benchmark overhead` answer on a node built without benchmarks.
const NEEDS_BENCHMARKS: &str = "`benchmark pallet` and `benchmark overhead` need the node built \
	with `--features runtime-benchmarks` (scripts/bench/build-bench-node.sh); `benchmark storage` \
	and `benchmark block` run on every build";

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"VIoT Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/viot-chain/viot/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development()?),
			"" | "local" => Box::new(chain_spec::local_testnet()?),
			"staging" => Box::new(chain_spec::staging()?),
			"child-dev" => Box::new(chain_spec::child_development()?),
			"child-local" => Box::new(chain_spec::child_local_testnet()?),
			path => Box::new(chain_spec::ChainSpec::from_json_file(path.into())?),
		})
	}
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					import_queue,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					import_queue,
					..
				} = service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					task_manager,
					backend,
					..
				} = service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		Some(Subcommand::Benchmark(cmd)) => {
			use frame_benchmarking_cli::BenchmarkCmd;
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| match cmd {
				// The pallets' benchmarks and the base weights are measured on the runtime built
				// with its benchmarks (scripts/bench/build-bench-node.sh).
				BenchmarkCmd::Pallet(_) | BenchmarkCmd::Overhead(_)
					if !cfg!(feature = "runtime-benchmarks") =>
				{
					Err(NEEDS_BENCHMARKS.into())
				}
				BenchmarkCmd::Pallet(cmd) => cmd
					.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(Some(
						config.chain_spec,
					)),
				// Block execution and extrinsic base weights, measured with empty blocks and
				// blocks full of `System::remark`.
				BenchmarkCmd::Overhead(cmd) => {
					cmd.run_with_default_builder_and_spec::<Block, ()>(Some(config.chain_spec))
				}
				// Database read and write costs on the chain in `--base-path` (its state as it
				// is), for the runtime's `DbWeight`: scripts/bench/scale.mjs.
				BenchmarkCmd::Storage(cmd) => {
					let PartialComponents {
						client, backend, ..
					} = service::new_partial(&config)?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let shared_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, shared_cache)
				}
				// Re-imports blocks of the chain in `--base-path` and times them.
				BenchmarkCmd::Block(cmd) => {
					let PartialComponents { client, .. } = service::new_partial(&config)?;
					cmd.run(client)
				}
				_ => Err(
					"viot-node runs `benchmark pallet`, `overhead`, `storage` and `block`".into(),
				),
			})
		}
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let warp_sync_min_peers = cli.warp_sync_min_peers;
			runner.run_node_until_exit(|mut config| async move {
				if warp_sync_min_peers.is_some() {
					config.network.min_peers_to_start_warp_sync = warp_sync_min_peers;
				}
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							Block,
							<Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config)
							.map_err(sc_cli::Error::Service)
					}
				}
			})
		}
	}
}
